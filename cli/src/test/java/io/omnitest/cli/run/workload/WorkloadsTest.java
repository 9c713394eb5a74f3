package io.omnitest.cli.run.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.checker.Split;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code --workload} names, workloads side by side, and the default a plain run takes. */
class WorkloadsTest {
    @Test
    void oneNameIsThatWorkloadAndSeveralRunSideBySide() {
        assertSame(Workloads.KV, Workloads.parse("kv"));
        Workload both = Workloads.parse("kv,list-append");
        assertEquals("kv,list-append", both.name());
        assertEquals("kv,list-append", both.model());
        assertEquals(Set.of("put", "append", "get", "txn"), both.operations());
        assertEquals(List.of(Workloads.KV, Workloads.LIST_APPEND), both.components());
        assertEquals(List.of(Workloads.KV), Workloads.KV.components());
        Split split = (Split) both.consistency().create(java.time.Duration.ofSeconds(10));
        assertEquals("linearizable+elle-list-append", split.name());
        assertEquals(Set.of("txn"), split.parts().get(1).operations());
        // the model string names the same checkers, for `omnitest check --model kv,list-append`
        assertEquals(
                split.name(),
                Workloads.consistency(both.model(), java.time.Duration.ofSeconds(10))
                        .name());
    }

    @Test
    void badListsAreOneSentenceErrors() {
        IllegalArgumentException clash =
                assertThrows(IllegalArgumentException.class, () -> Workloads.parse("list-append,rw-register"));
        assertEquals(
                "--workload list-append and rw-register both make txn operations, so they cannot run side by side;"
                        + " give one of them.",
                clash.getMessage());
        assertEquals(
                "--workload names kv twice in 'kv,kv'.",
                assertThrows(IllegalArgumentException.class, () -> Workloads.parse("kv,kv"))
                        .getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Workloads.parse("kv,nope"))
                .getMessage()
                .endsWith("or several of them joined with commas, not 'kv,nope'."));
        assertThrows(IllegalArgumentException.class, () -> Workloads.parse("kv,"));
    }

    @Test
    void aPlainRunTakesKvAndListAppendWhereTheSystemHasThem() {
        assertEquals("kv,list-append", Workloads.defaultFor(Set.of("kv", "list-append", "rw-register")));
        assertEquals("list-append", Workloads.defaultFor(Set.of("register", "list-append")));
        assertEquals("register", Workloads.defaultFor(Set.of("rw-register", "register")));
    }

    @Test
    void theMixedGeneratorDrawsBothPartsOnKeysOfTheirOwnAndRepeatsPerSeed() {
        Workload both = Workloads.parse("register,list-append");
        List<Invocation> a = draw(both, 7), b = draw(both, 7), c = draw(both, 8);
        assertEquals(a, b);
        assertNotEquals(a, c);
        Set<Object> registerKeys = new HashSet<>(), txnKeys = new HashSet<>();
        int reads = 0, txns = 0;
        for (Invocation inv : a) {
            List<?> v = (List<?>) inv.value();
            if (inv.f().equals("txn")) {
                txns++;
                for (Object m : v) txnKeys.add(((List<?>) m).get(1));
            } else {
                reads += inv.f().equals("read") ? 1 : 0;
                registerKeys.add(v.get(0));
            }
        }
        assertTrue(txns > 400 && txns < 600, "txns " + txns + " of 1000"); // each part half the draws
        assertTrue(reads > 0);
        for (Object k : txnKeys) assertTrue(((String) k).startsWith("list-append:"), k.toString());
        for (Object k : registerKeys) assertTrue(((String) k).startsWith("r"), k.toString());

        // the final reads: every key of both parts, each part's in its own shape
        Generator g = Workloads.generator(both, 7, 6);
        for (int i = 0; i < 1000; i++) g.next();
        Set<Object> finalKeys = new HashSet<>();
        for (Invocation inv : g.finalReads()) {
            List<?> v = (List<?>) inv.value();
            finalKeys.add(inv.f().equals("txn") ? ((List<?>) v.get(0)).get(1) : v.get(0));
        }
        Set<Object> all = new HashSet<>(registerKeys);
        all.addAll(txnKeys);
        assertEquals(all, finalKeys);
    }

    private static List<Invocation> draw(Workload w, long seed) {
        Generator g = Workloads.generator(w, seed, 6);
        List<Invocation> out = new ArrayList<>();
        for (int i = 0; i < 1000; i++) out.add(g.next());
        return out;
    }
}
