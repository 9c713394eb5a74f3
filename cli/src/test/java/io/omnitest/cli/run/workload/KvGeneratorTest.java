package io.omnitest.cli.run.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class KvGeneratorTest {
    private static Invocation inv(String f, String key, String value) {
        return new Invocation(f, Arrays.asList(key, value));
    }

    @Test
    void picksSlotThenKindAndWritesUniqueValues() {
        // each op draws (slot, kind): kind < 0.4 get, < 0.6 put, else append
        ScriptedRandom random = new ScriptedRandom(0.0, 0.1, 1.0, 0.5, 0.0, 0.9, 1.0, 0.39, 1.0, 0.6);
        KvGenerator gen = new KvGenerator(random, 2, 100);
        assertEquals(inv("get", "k0", null), gen.next());
        assertEquals(inv("put", "k1", "x1"), gen.next());
        assertEquals(inv("append", "k0", "x2"), gen.next());
        assertEquals(inv("get", "k1", null), gen.next());
        assertEquals(inv("append", "k1", "x3"), gen.next());
        assertTrue(random.exhausted());
    }

    @Test
    void keyRetiresAfterItsOpsAndAFreshKeyTakesItsSlot() {
        ScriptedRandom random = new ScriptedRandom(0.0, 0.1, 0.0, 0.1, 0.0, 0.1, 1.0, 0.5, 1.0, 0.1);
        KvGenerator gen = new KvGenerator(random, 2, 2);
        assertEquals(inv("get", "k0", null), gen.next());
        assertEquals(inv("get", "k0", null), gen.next());
        assertEquals(inv("get", "k2", null), gen.next()); // k0 retired after 2 ops; k2 took slot 0
        assertEquals(inv("put", "k1", "x1"), gen.next());
        assertEquals(inv("get", "k1", null), gen.next());
        // final reads cover touched keys in first-use order; k3 (slot 1's successor) was never used
        assertEquals(List.of(inv("get", "k0", null), inv("get", "k2", null), inv("get", "k1", null)), gen.finalReads());
    }

    @Test
    void longSeededRunKeepsValuesUniqueAndKeysSmall() {
        KvGenerator gen = KvGenerator.withDefaults(new SplittableRandom(7));
        Set<Object> written = new HashSet<>();
        Map<Object, Integer> perKey = new HashMap<>();
        int writes = 0;
        for (int i = 0; i < 20_000; i++) {
            Invocation op = gen.next();
            List<?> kv = (List<?>) op.value();
            perKey.merge(kv.get(0), 1, Integer::sum);
            if (!op.f().equals("get")) {
                writes++;
                written.add(kv.get(1));
            }
        }
        assertEquals(writes, written.size());
        assertTrue(perKey.values().stream().allMatch(n -> n <= 60), "no key outlives its 60 ops");
        // all but the 5 still-active keys retired, each after exactly 60 ops
        assertEquals(
                perKey.size() - 5, perKey.values().stream().filter(n -> n == 60).count());
        assertEquals(perKey.size(), gen.finalReads().size());
    }

    @Test
    void sameSeedSameOperations() {
        KvGenerator a = KvGenerator.withDefaults(new SplittableRandom(99));
        KvGenerator b = KvGenerator.withDefaults(new SplittableRandom(99));
        for (int i = 0; i < 1000; i++) assertEquals(a.next(), b.next());
    }

    @Test
    void moreWorkersMoreActiveKeys() {
        // one key per two workers: the first 200 ops of 40 workers spread over exactly k0..k19 (none retires yet)
        KvGenerator gen = KvGenerator.forConcurrency(new SplittableRandom(5), 40);
        Set<Object> keys = new HashSet<>();
        for (int i = 0; i < 200; i++) keys.add(((List<?>) gen.next().value()).get(0));
        Set<Object> expected = new HashSet<>();
        for (int k = 0; k < 20; k++) expected.add("k" + k);
        assertEquals(expected, keys);
        KvGenerator few = KvGenerator.forConcurrency(new SplittableRandom(5), 4);
        Set<Object> fewKeys = new HashSet<>();
        for (int i = 0; i < 50; i++) fewKeys.add(((List<?>) few.next().value()).get(0));
        assertEquals(Set.of("k0", "k1", "k2", "k3", "k4"), fewKeys);
    }

    @Test
    void rejectsEmptyKeySets() {
        assertThrows(IllegalArgumentException.class, () -> new KvGenerator(new SplittableRandom(1), 0, 5));
    }
}
