package io.omnitest.checker.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A multi-key history where one key is not linearizable while the searches of its sibling
 * keys explode: the failing key is still reached (partitions take turns), its failure cancels
 * the siblings, and the check returns FALSE at once. With no time or memory budget, a
 * sibling left to run would take hours.
 */
class PathologicalTest {
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void theFirstFailureCancelsExplodingSiblings(int parallelism) {
        H h = new H();
        Pathological.putStorm(h, "slow-1", 20, 0);
        Pathological.putStorm(h, "slow-2", 20, 20);
        Pathological.putStorm(h, "slow-3", 20, 40);
        Pathological.staleRead(h, "bad", 30, 60); // the biggest partition, so it is scheduled last
        Linearizability.Options unbounded = new Linearizability.Options(null, Long.MAX_VALUE, parallelism);
        Result r = assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> Linearizability.withSystemClock(Models.kv(), unbounded).check(h.history()));
        assertEquals(Validity.FALSE, r.valid());
        assertEquals("bad", r.details().get("key"));
        assertEquals(4, r.details().get("partitions"));
        assertEquals(3, r.details().get("unfinishedPartitions"));
        assertEquals(
                Map.of("index", 186L, "process", 60, "f", "get"),
                subMap((Map<?, ?>) r.details().get("op"), "index", "process", "f"));
        assertEquals(java.util.List.of("\"v29\""), r.details().get("states"));
    }

    private static Map<Object, Object> subMap(Map<?, ?> m, String... keys) {
        Map<Object, Object> out = new java.util.HashMap<>();
        for (String k : keys) out.put(k, m.get(k));
        return out;
    }
}
