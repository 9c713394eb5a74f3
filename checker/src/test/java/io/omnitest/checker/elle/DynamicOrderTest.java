package io.omnitest.checker.elle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link DynamicOrder} against a brute-force reachability test on seeded random edge sequences:
 * an edge is refused exactly when its head already reaches its tail, and after every accepted
 * edge every edge goes forward in the order.
 */
class DynamicOrderTest {
    @Test
    void refusesExactlyTheEdgesThatCloseACycleAndKeepsATopologicalOrder() {
        Random random = new Random(1_5_4L);
        int refused = 0, reordered = 0;
        for (int round = 0; round < 300; round++) {
            int n = 2 + random.nextInt(30);
            DynamicOrder g = new DynamicOrder();
            List<List<Integer>> out = new ArrayList<>();
            for (int i = 0; i < n; i++) out.add(new ArrayList<>());
            g.ensureNode(n - 1);
            for (int e = 0; e < n * 3; e++) {
                int x = random.nextInt(n), y = random.nextInt(n);
                boolean cycle = x == y ? false : reaches(out, y, x);
                if (x > y) reordered++;
                boolean added = g.add(x, y);
                assertEquals(!cycle, added, "round " + round + " edge " + x + "->" + y);
                if (added && x != y) out.get(x).add(y);
                if (!added) refused++;
                assertTrue(g.consistent(), "round " + round + " after " + x + "->" + y);
            }
            // nodes added later go last and take edges both ways
            int extra = n + random.nextInt(5);
            g.ensureNode(extra);
            assertTrue(g.add(extra, 0) && g.consistent());
        }
        assertTrue(refused > 100 && reordered > 1000, refused + " refused, " + reordered + " against the ids");
    }

    private static boolean reaches(List<List<Integer>> out, int from, int to) {
        boolean[] seen = new boolean[out.size()];
        List<Integer> stack = new ArrayList<>(List.of(from));
        seen[from] = true;
        while (!stack.isEmpty()) {
            int n = stack.remove(stack.size() - 1);
            if (n == to) return true;
            for (int w : out.get(n)) {
                if (!seen[w]) {
                    seen[w] = true;
                    stack.add(w);
                }
            }
        }
        return false;
    }
}
