package io.omnitest.cli.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.omnitest.checker.history.History;
import io.omnitest.checker.history.HistoryFormat;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelChoiceTest {
    private static History of(Object... fAndValue) {
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < fAndValue.length; i += 2) {
            ops.add(new Op(0, -1, Op.Type.INVOKE, i, (String) fAndValue[i], fAndValue[i + 1], null, null));
        }
        ops.add(new Op(0, -1, Op.Type.INFO, Op.NEMESIS, "start-partition", null, null, null));
        return History.of(ops);
    }

    private static String infer(History h) {
        ModelChoice c = ModelChoice.infer(h, HistoryFormat.JSONL);
        return c == null ? null : c.model() + " / " + c.reason();
    }

    @Test
    void infersFromOperations() {
        assertEquals(
                "kv / inferred from its append/get ops",
                infer(of("get", List.of("k", "v"), "append", List.of("k", "v"))));
        assertEquals(
                "list-append / inferred from its txns of append/r micro-ops",
                infer(of("txn", List.of(List.of("append", 1L, 2L), java.util.Arrays.asList("r", 1L, null)))));
        assertEquals(
                "rw-register / inferred from its txns of w/r micro-ops",
                infer(of("txn", List.of(List.of("w", "x", 2L), java.util.Arrays.asList("r", "y", null)))));
        assertEquals(
                "multi-register / inferred from its txns of read/write micro-ops",
                infer(of("txn", List.of(List.of("write", "x", 2L)), "txn", List.of(List.of("read", "y", 0L)))));
        assertEquals(
                "kv,list-append / inferred from its get/txn ops: put/append/get and txns of append/r micro-ops side by side",
                infer(of("get", List.of("k", "v"), "txn", List.of(List.of("append", "l:k", 2L)))));
        assertEquals(true, ModelChoice.known("kv,list-append"));
        assertEquals(false, ModelChoice.known("list-append,rw-register")); // both judge txns
        assertEquals(false, ModelChoice.known("kv,bank"));
        assertEquals("mutex / inferred from its acquire/release ops", infer(of("acquire", null, "release", null)));
        assertEquals("cas-register / inferred from its read/write ops", infer(of("read", null, "write", 3L)));
        assertEquals("cas-register / chosen because the history has no client operations", infer(of()));
    }

    @Test
    void infersFromFormat() {
        assertEquals(
                "etcd",
                ModelChoice.infer(of("read", null), HistoryFormat.JEPSEN_LOG).model());
        assertEquals(
                "kv",
                ModelChoice.infer(of("get", List.of("k", "")), HistoryFormat.PORCUPINE_KV)
                        .model());
    }

    @Test
    void nothingFitsMixedOrUnknownOperations() {
        assertNull(ModelChoice.infer(of("read", null, "put", List.of("k", "v")), HistoryFormat.JSONL));
        assertNull(ModelChoice.infer(of("transfer", 5L), HistoryFormat.JSONL));
        assertNull(ModelChoice.infer(
                of("txn", List.of(List.of("append", 1L, 2L), List.of("write", "x", 1L))), HistoryFormat.JSONL));
    }
}
