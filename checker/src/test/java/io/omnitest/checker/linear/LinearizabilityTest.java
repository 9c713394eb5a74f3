package io.omnitest.checker.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Hand-written histories, one rule each, with exact verdicts and evidence. */
class LinearizabilityTest {
    static Result check(Model model, H h) {
        return check(model, h.history());
    }

    static Result check(Model model, History h) {
        return new Linearizability(model, Linearizability.Options.DEFAULTS, () -> 0L).check(h);
    }

    @Test
    void sequentialWriteThenReadIsLinearizable() {
        Result r =
                check(Models.casRegister(0L), new H().call(0, "write", 1L, 1L).call(0, "read", null, 1L));
        assertEquals(Validity.TRUE, r.valid());
        assertEquals(Map.of("model", "cas-register", "partitions", 1, "ops", 2), r.details());
        assertEquals("linearizable: 2 operations in 1 partition under model cas-register", r.summary());
    }

    @Test
    void staleReadIsReportedWithItsEvidence() {
        H h = new H().call(0, "write", 1L, 1L).call(0, "write", 2L, 2L).call(1, "read", null, 1L);
        Result r = check(Models.casRegister(0L), h);
        assertEquals(Validity.FALSE, r.valid());
        assertEquals(
                "no order of the operations explains read → 1 by process 1 (index 4); after the longest linearizable "
                        + "prefix (2 ops) the state is 2",
                r.summary());
        Map<String, Object> d = r.details();
        assertEquals(null, d.get("key"));
        assertEquals(opMap(4, 1, "read", 1L, "ok", 5L, "read → 1"), d.get("op"));
        assertEquals(List.of(0L, 2L), d.get("linearized"));
        assertEquals(List.of("write 1", "write 2"), d.get("linearizedSteps"));
        assertEquals(List.of("2"), d.get("states"));
        assertEquals(
                List.of(
                        opMap(0, 0, "write", 1L, "ok", 1L, "write 1"),
                        opMap(2, 0, "write", 2L, "ok", 3L, "write 2"),
                        opMap(4, 1, "read", 1L, "ok", 5L, "read → 1")),
                d.get("window"));
    }

    @Test
    void theWindowHoldsTheConcurrentOpsAndTheLastThreeBefore() {
        H h = new H()
                .call(0, "write", 1L, 1L)
                .call(0, "write", 2L, 2L)
                .call(0, "write", 3L, 3L)
                .call(0, "write", 4L, 4L)
                .invoke(2, "write", 5L)
                .call(1, "read", null, 1L)
                .ok(2, "write", 5L);
        Result r = check(Models.casRegister(0L), h);
        assertEquals(Validity.FALSE, r.valid());
        List<Object> window = new ArrayList<>();
        for (Object o : (List<?>) r.details().get("window")) window.add(((Map<?, ?>) o).get("index"));
        assertEquals(List.of(2L, 4L, 6L, 8L, 9L), window);
        assertEquals(List.of(0L, 2L, 4L, 6L, 8L), r.details().get("linearized"));
        assertEquals(List.of("5", "4"), r.details().get("states"));
        assertEquals(11L, ((Map<?, ?>) ((List<?>) r.details().get("window")).get(3)).get("completeIndex"));
    }

    private static Map<String, Object> opMap(
            long index, int process, String f, Object value, String type, Long done, String description) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("index", index);
        m.put("process", process);
        m.put("f", f);
        m.put("value", value);
        m.put("type", type);
        m.put("invokeIndex", index);
        m.put("completeIndex", done);
        m.put("invokeTime", null);
        m.put("completeTime", null);
        m.put("description", description);
        return m;
    }

    @Test
    void concurrentReadMaySeeEitherValue() {
        for (long seen : new long[] {1L, 2L}) {
            H h = new H()
                    .call(0, "write", 1L, 1L)
                    .invoke(0, "write", 2L)
                    .invoke(1, "read", null)
                    .ok(1, "read", seen)
                    .ok(0, "write", 2L);
            assertEquals(Validity.TRUE, check(Models.casRegister(0L), h).valid(), "read " + seen);
        }
        H h = new H()
                .call(0, "write", 1L, 1L)
                .invoke(0, "write", 2L)
                .invoke(1, "read", null)
                .ok(1, "read", 0L)
                .ok(0, "write", 2L);
        assertEquals(Validity.FALSE, check(Models.casRegister(0L), h).valid());
    }

    @Test
    void infoWriteMayTakeEffectLaterOrNever() {
        H later = new H()
                .invoke(0, "write", 1L)
                .info(0, "write", 1L)
                .call(1, "read", null, 0L)
                .call(1, "read", null, 1L);
        assertEquals(Validity.TRUE, check(Models.casRegister(0L), later).valid());
        H never = new H()
                .invoke(0, "write", 1L)
                .info(0, "write", 1L)
                .call(1, "read", null, 0L)
                .call(1, "read", null, 0L);
        assertEquals(Validity.TRUE, check(Models.casRegister(0L), never).valid());
        H backwards = new H()
                .invoke(0, "write", 1L)
                .info(0, "write", 1L)
                .call(1, "read", null, 1L)
                .call(1, "read", null, 0L);
        assertEquals(Validity.FALSE, check(Models.casRegister(0L), backwards).valid());
    }

    @Test
    void infoWriteCannotTakeEffectBeforeItsInvocation() {
        H h = new H().call(1, "read", null, 1L).invoke(0, "write", 1L).info(0, "write", 1L);
        assertEquals(Validity.FALSE, check(Models.casRegister(0L), h).valid());
    }

    @Test
    void neverCompletedOpIsLikeInfo() {
        H h = new H().invoke(0, "write", 1L).call(1, "read", null, 1L);
        assertEquals(Validity.TRUE, check(Models.casRegister(0L), h).valid());
    }

    @Test
    void failedOpsHaveNoEffect() {
        H h = new H().invoke(0, "write", 1L).fail(0, "write", 1L).call(1, "read", null, 1L);
        assertEquals(Validity.FALSE, check(Models.casRegister(0L), h).valid());
        H h2 = new H().invoke(0, "write", 1L).fail(0, "write", 1L).call(1, "read", null, 0L);
        assertEquals(Validity.TRUE, check(Models.casRegister(0L), h2).valid());
    }

    @Test
    void etcdKeepsFailedCasAsACasThatReturnedFalse() {
        H matching = new H()
                .call(0, "write", 1L, 1L)
                .invoke(1, "cas", List.of(1L, 2L))
                .fail(1, "cas", List.of(1L, 2L));
        assertEquals(Validity.FALSE, check(Models.etcd(), matching).valid());
        assertEquals(Validity.TRUE, check(Models.casRegister(0L), matching).valid(), "cas-register drops failed ops");
        H other = new H()
                .call(0, "write", 1L, 1L)
                .invoke(1, "cas", List.of(3L, 2L))
                .fail(1, "cas", List.of(3L, 2L));
        assertEquals(Validity.TRUE, check(Models.etcd(), other).valid());
    }

    @Test
    void etcdReadsNilOnlyBeforeAnyWriteWhileKnossosNilReadsTellNothing() {
        H h = new H().call(0, "read", null, null).call(0, "write", 1L, 1L).call(1, "read", null, null);
        assertEquals(Validity.FALSE, check(Models.etcd(), h).valid());
        assertEquals(Validity.TRUE, check(Models.casRegister(0L), h).valid());
        H first = new H().call(0, "read", null, null).call(0, "write", 1L, 1L).call(1, "read", null, 1L);
        assertEquals(Validity.TRUE, check(Models.etcd(), first).valid());
    }

    @Test
    void casMustFindItsExpectedValue() {
        H h = new H().call(0, "cas", List.of(0L, 5L), List.of(0L, 5L)).call(1, "cas", List.of(0L, 6L), List.of(0L, 6L));
        assertEquals(Validity.FALSE, check(Models.casRegister(0L), h).valid());
        H ok = new H()
                .call(0, "cas", List.of(0L, 5L), List.of(0L, 5L))
                .call(1, "cas", List.of(5L, 6L), List.of(5L, 6L))
                .call(1, "read", null, 6L);
        assertEquals(Validity.TRUE, check(Models.casRegister(0L), ok).valid());
    }

    @Test
    void kvChecksKeysSeparatelyAndNamesTheFailingKey() {
        H h = new H()
                .call(0, "get", List.of("a", ""), List.of("a", ""))
                .call(0, "append", List.of("a", "x"), List.of("a", "x"))
                .call(1, "put", List.of("b", "1"), List.of("b", "1"))
                .call(1, "append", List.of("a", "y"), List.of("a", "y"))
                .call(0, "get", Arrays.asList("a", null), List.of("a", "xy"))
                .call(2, "get", Arrays.asList("b", null), List.of("b", ""));
        Result r = check(Models.kv(), h);
        assertEquals(Validity.FALSE, r.valid());
        assertEquals("b", r.details().get("key"));
        assertEquals(10L, ((Map<?, ?>) r.details().get("op")).get("index"));
        assertEquals(List.of("\"1\""), r.details().get("states"));
        assertEquals(List.of(4L), r.details().get("linearized"));
    }

    @Test
    void kvMissingKeyReadsEmptyAndAppendActsAsPut() {
        H h = new H()
                .call(0, "get", Arrays.asList("k", null), List.of("k", ""))
                .call(0, "append", List.of("k", "1"), List.of("k", "1"))
                .call(1, "get", Arrays.asList("k", null), List.of("k", "1"));
        Result r = check(Models.kv(), h);
        assertEquals(Validity.TRUE, r.valid());
        assertEquals(Map.of("model", "kv", "partitions", 1, "ops", 3), r.details());
    }

    @Test
    void mutexAllowsOneHolder() {
        H twice = new H().call(0, "acquire", null, null).call(1, "acquire", null, null);
        assertEquals(Validity.FALSE, check(Models.mutex(), twice).valid());
        H handedOver = new H()
                .call(0, "acquire", null, null)
                .call(0, "release", null, null)
                .call(1, "acquire", null, null);
        assertEquals(Validity.TRUE, check(Models.mutex(), handedOver).valid());
        H infoAcquire =
                new H().invoke(0, "acquire", null).info(0, "acquire", null).call(1, "acquire", null, null);
        assertEquals(
                Validity.TRUE, check(Models.mutex(), infoAcquire).valid(), "an info acquire may never have happened");
        H notHeld = new H().invoke(0, "release", null).fail(0, "release", null).call(1, "release", null, null);
        assertEquals(Validity.FALSE, check(Models.mutex(), notHeld).valid());
    }

    @Test
    void multiRegisterTxnsApplyAtomically() {
        Model m = Models.multiRegister(0L, Map.of());
        H ok = new H()
                .call(
                        0,
                        "txn",
                        List.of(List.of("write", "x", 1L), List.of("write", "y", 1L)),
                        List.of(List.of("write", "x", 1L), List.of("write", "y", 1L)))
                .call(
                        1,
                        "txn",
                        List.of(Arrays.asList("read", "x", null), Arrays.asList("read", "y", null)),
                        List.of(List.of("read", "x", 1L), List.of("read", "y", 1L)));
        assertEquals(Validity.TRUE, check(m, ok).valid());
        H torn = new H()
                .invoke(0, "txn", List.of(List.of("write", "x", 1L), List.of("write", "y", 1L)))
                .call(
                        1,
                        "txn",
                        List.of(Arrays.asList("read", "x", null), Arrays.asList("read", "y", null)),
                        List.of(List.of("read", "x", 1L), List.of("read", "y", 0L)))
                .ok(0, "txn", List.of(List.of("write", "x", 1L), List.of("write", "y", 1L)));
        assertEquals(Validity.FALSE, check(m, torn).valid());
    }

    @Test
    void timeFieldsAreIgnored() {
        List<Op> ops = new ArrayList<>(new H()
                .call(0, "write", 1L, 1L)
                .call(0, "write", 2L, 2L)
                .call(1, "read", null, 1L)
                .ops());
        List<Op> timed = new ArrayList<>();
        long[] times = {900, 950, 50, 700, 20, 30}; // times that contradict the event order: only event order may count
        for (int i = 0; i < ops.size(); i++) {
            Op o = ops.get(i);
            timed.add(new Op(o.index(), times[i], o.type(), o.process(), o.f(), o.value(), o.node(), o.error()));
        }
        assertEquals(
                Validity.FALSE, check(Models.casRegister(0L), History.of(timed)).valid());
    }

    @Test
    void nemesisOpsAreIgnored() {
        H h = new H()
                .add(Op.Type.INFO, Op.NEMESIS, "start-partition", "halves")
                .call(0, "write", 1L, 1L)
                .add(Op.Type.INFO, Op.NEMESIS, "stop-partition", null)
                .call(1, "read", null, 1L);
        assertEquals(Validity.TRUE, check(Models.casRegister(0L), h).valid());
    }

    @Test
    void anOpTheModelDoesNotKnowGivesUnknown() {
        Result r = check(Models.register(0L), new H().call(0, "cas", List.of(0L, 1L), List.of(0L, 1L)));
        assertEquals(Validity.UNKNOWN, r.valid());
        assertEquals(
                "the history does not fit model register: model register has no operation 'cas' (index 0); it knows read, write",
                r.details().get("cause"));
    }

    @Test
    void emptyHistoryIsLinearizable() {
        assertEquals(Validity.TRUE, check(Models.kv(), new H()).valid());
    }

    @Test
    void modelsAreFoundByName() {
        for (String name : Models.NAMES) assertEquals(name, Models.byName(name).name());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class, () -> Models.byName("queue"));
        assertEquals(
                "unknown model 'queue'; known models: register, cas-register, multi-register, kv, mutex, etcd",
                e.getMessage());
    }
}
