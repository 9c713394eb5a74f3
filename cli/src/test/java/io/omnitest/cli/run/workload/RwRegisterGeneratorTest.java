package io.omnitest.cli.run.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RwRegisterGeneratorTest {
    private static List<Object> r(String k) {
        return Arrays.asList("r", k, null);
    }

    private static List<Object> w(String k, long v) {
        return List.of("w", k, v);
    }

    @Test
    void buildsRegisterTransactionsFromScriptedChoices() {
        // txn: length-1, then per micro-op (slot, isRead? 1=read 0=write)
        ScriptedRandom random = new ScriptedRandom(
                2.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0, // 3 micro-ops: w k0 1, r k1, w k0 2
                0.0, 1.0, 1.0); // 1 micro-op: r k1
        RwRegisterGenerator gen = new RwRegisterGenerator(random, 2, 4, 10);
        assertEquals(new Invocation("txn", List.of(w("k0", 1), r("k1"), w("k0", 2)), true), gen.next());
        assertEquals(new Invocation("txn", List.of(r("k1")), true), gen.next());
        assertTrue(random.exhausted());
        assertEquals(
                List.of(new Invocation("txn", List.of(r("k0")), true), new Invocation("txn", List.of(r("k1")), true)),
                gen.finalReads());
    }

    @Test
    void keyRetiresAfterMaxWrites() {
        ScriptedRandom random = new ScriptedRandom(2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
        RwRegisterGenerator gen = new RwRegisterGenerator(random, 1, 4, 2);
        assertEquals(new Invocation("txn", List.of(w("k0", 1), w("k0", 2), w("k1", 1)), true), gen.next());
    }

    @Test
    void seededRunWritesUniqueValuesPerKey() {
        RwRegisterGenerator gen = RwRegisterGenerator.withDefaults(new SplittableRandom(3));
        Map<Object, Long> lastWritten = new HashMap<>();
        int reads = 0, writes = 0;
        for (int i = 0; i < 10_000; i++) {
            Invocation inv = gen.next();
            assertTrue(inv.registers());
            for (Object mop : (List<?>) inv.value()) {
                List<?> m = (List<?>) mop;
                if (m.get(0).equals("w")) {
                    long v = (Long) m.get(2);
                    assertEquals(lastWritten.getOrDefault(m.get(1), 0L) + 1, v, "values count up per key");
                    assertTrue(v <= 32);
                    lastWritten.put(m.get(1), v);
                    writes++;
                } else {
                    assertEquals(Arrays.asList("r", m.get(1), null), m);
                    reads++;
                }
            }
        }
        assertTrue(reads > 10_000 && writes > 10_000, reads + " reads, " + writes + " writes");
    }
}
