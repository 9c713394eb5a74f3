package io.omnitest.cli.run.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ListAppendGeneratorTest {
    private static List<Object> r(String k) {
        return Arrays.asList("r", k, null);
    }

    private static List<Object> append(String k, long v) {
        return List.of("append", k, v);
    }

    @Test
    void buildsTransactionsFromScriptedChoices() {
        // txn: length-1, then per micro-op (slot, isRead? 1=read 0=append)
        ScriptedRandom random = new ScriptedRandom(
                2.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, // 3 micro-ops: append k0 1, r k1, r k1
                0.0, 0.0, 0.0); // 1 micro-op: append k0 2
        ListAppendGenerator gen = new ListAppendGenerator(random, 2, 4, 10);
        assertEquals(new Invocation("txn", List.of(append("k0", 1), r("k1"), r("k1"))), gen.next());
        assertEquals(new Invocation("txn", List.of(append("k0", 2))), gen.next());
        assertTrue(random.exhausted());
        assertEquals(
                List.of(new Invocation("txn", List.of(r("k0"))), new Invocation("txn", List.of(r("k1")))),
                gen.finalReads());
    }

    @Test
    void keyRetiresAfterMaxWritesWithinATransaction() {
        ScriptedRandom random = new ScriptedRandom(2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        ListAppendGenerator gen = new ListAppendGenerator(random, 1, 4, 2);
        assertEquals(new Invocation("txn", List.of(append("k0", 1), append("k0", 2), append("k1", 1))), gen.next());
    }

    @Test
    void seededRunHasShortTxnsAndUniqueValuesPerKey() {
        ListAppendGenerator gen = ListAppendGenerator.withDefaults(new SplittableRandom(3));
        Map<Object, Long> lastAppended = new HashMap<>();
        int[] lengths = new int[5];
        for (int i = 0; i < 10_000; i++) {
            List<?> txn = (List<?>) gen.next().value();
            lengths[txn.size()]++;
            for (Object mop : txn) {
                List<?> m = (List<?>) mop;
                if (m.get(0).equals("append")) {
                    long v = (Long) m.get(2);
                    assertEquals(lastAppended.getOrDefault(m.get(1), 0L) + 1, v, "values count up per key");
                    assertTrue(v <= 32);
                    lastAppended.put(m.get(1), v);
                }
            }
        }
        assertEquals(0, lengths[0]);
        for (int len = 1; len <= 4; len++)
            assertTrue(lengths[len] > 2000, "length " + len + " appears about a quarter of the time");
    }

    @Test
    void theRunnersChoiceAppendsManyElementsPerKeyOverKeysThatScaleWithTheWorkers() {
        // 15 workers (3 per node of 5): 8 active keys; a key takes 128 appends before it retires
        ListAppendGenerator gen = ListAppendGenerator.forConcurrency(new SplittableRandom(8), 15);
        Map<Object, Long> appends = new HashMap<>();
        Set<Object> firstKeys = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            for (Object mop : (List<?>) gen.next().value()) {
                List<?> m = (List<?>) mop;
                if (i < 50) firstKeys.add(m.get(1));
                if (m.get(0).equals("append")) {
                    long v = (Long) m.get(2);
                    assertEquals(appends.getOrDefault(m.get(1), 0L) + 1, v, "values count up per key");
                    appends.put(m.get(1), v);
                }
            }
        }
        assertEquals(Set.of("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"), firstKeys);
        long retired = appends.values().stream()
                .filter(n -> n == ListAppendGenerator.APPENDS_PER_KEY)
                .count();
        assertTrue(appends.values().stream().allMatch(n -> n <= ListAppendGenerator.APPENDS_PER_KEY));
        // fresh keys keep coming: all but the 8 active ones retired full (about 25,000 appends / 128)
        assertTrue(retired >= appends.size() - 8 && retired > 150, retired + " of " + appends.size() + " keys retired");
        assertTrue(gen.finalReads().size() >= appends.size(), "every touched key is read at the end");
    }
}
