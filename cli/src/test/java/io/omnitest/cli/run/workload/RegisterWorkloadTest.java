package io.omnitest.cli.run.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The register workload: its generator's shape and its per-key cas-register checker. */
class RegisterWorkloadTest {
    private final List<Op> ops = new ArrayList<>();

    private void op(int process, Op.Type type, String f, Object value) {
        ops.add(new Op(ops.size(), ops.size() * 10L, type, process, f, value, "n1", null));
    }

    private Result check() {
        return Workloads.REGISTER.consistency().create(Duration.ofSeconds(10)).check(History.of(ops));
    }

    @Test
    void aReadOfTheLastWriteIsLinearizableKeyByKey() {
        op(0, Op.Type.INVOKE, "write", List.of("r0", 3L));
        op(0, Op.Type.OK, "write", List.of("r0", 3L));
        op(1, Op.Type.INVOKE, "write", List.of("r1", 1L));
        op(1, Op.Type.OK, "write", List.of("r1", 1L));
        op(0, Op.Type.INVOKE, "cas", List.of("r0", List.of(3L, 4L)));
        op(0, Op.Type.OK, "cas", List.of("r0", List.of(3L, 4L)));
        op(1, Op.Type.INVOKE, "read", Arrays.asList("r0", null));
        op(1, Op.Type.OK, "read", Arrays.asList("r0", 4L));
        op(1, Op.Type.INVOKE, "read", Arrays.asList("r1", null));
        op(1, Op.Type.OK, "read", Arrays.asList("r1", 1L));
        Result r = check();
        assertEquals(Validity.TRUE, r.valid(), r.summary());
        assertEquals(2, r.details().get("partitions"));
    }

    @Test
    void aStaleReadAfterAWriteIsCaughtEvenWhenItReadsNothing() {
        op(0, Op.Type.INVOKE, "write", List.of("r0", 3L));
        op(0, Op.Type.OK, "write", List.of("r0", 3L));
        op(1, Op.Type.INVOKE, "read", Arrays.asList("r0", null));
        op(1, Op.Type.OK, "read", Arrays.asList("r0", null));
        Result r = check();
        assertEquals(Validity.FALSE, r.valid(), r.summary());
        assertTrue(r.summary().contains("r0"), r.summary());
    }

    @Test
    void generatorMakesReadsWritesAndCasOnFewKeysWithFinalReads() {
        RegisterGenerator gen = new RegisterGenerator(new SplittableRandom(1), 2, 5);
        Set<String> fs = new HashSet<>();
        Set<Object> keys = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            Invocation inv = gen.next();
            fs.add(inv.f());
            keys.add(((List<?>) inv.value()).get(0));
        }
        assertEquals(Set.of("read", "write", "cas"), fs);
        assertEquals(Workloads.REGISTER.operations(), fs);
        // 30 ops, 5 per key, 2 keys at a time: 6 keys retired or active, each read once at the end
        assertTrue(keys.size() >= 6, keys::toString);
        assertEquals(keys.size(), gen.finalReads().size());
    }
}
