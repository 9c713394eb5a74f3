package io.omnitest.checker.history;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Random op values for the fast-path tests: numbers, strings (some non-ASCII, some escaped), booleans, nils, lists, maps. */
final class JsonLineTestValues {
    private JsonLineTestValues() {}

    static Object random(Random rnd, int depth) {
        int k = depth > 3 ? rnd.nextInt(4) : rnd.nextInt(7);
        return switch (k) {
            case 0 -> rnd.nextInt(3) == 0 ? (Object) rnd.nextLong() : (Object) (long) (rnd.nextInt(2000) - 1000);
            case 1 ->
                rnd.nextInt(5) == 0 ? "é" + rnd.nextInt(9) : "s" + "\"\\\t/ ".charAt(rnd.nextInt(5)) + rnd.nextInt(100);
            case 2 -> rnd.nextBoolean() ? null : (Object) rnd.nextBoolean();
            case 3 -> rnd.nextDouble() * 1e6 - 5e5;
            case 4, 5 -> {
                int n = rnd.nextInt(7);
                Object[] items = new Object[n];
                for (int j = 0; j < n; j++)
                    items[j] = rnd.nextBoolean() ? (Object) (long) rnd.nextInt(5) : random(rnd, depth + 1);
                yield Arrays.asList(items);
            }
            default -> {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int j = rnd.nextInt(3); j > 0; j--) m.put("k" + rnd.nextInt(5), random(rnd, depth + 1));
                yield m;
            }
        };
    }
}
