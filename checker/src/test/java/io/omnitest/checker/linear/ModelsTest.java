package io.omnitest.checker.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelsTest {
    @Test
    void infersTheModelFromTheOperations() {
        assertEquals(
                "kv",
                Models.infer(new H()
                        .call(0, "put", List.of("k", "1"), List.of("k", "1"))
                        .call(0, "get", Arrays.asList("k", null), List.of("k", "1"))
                        .history()));
        assertEquals(
                "mutex", Models.infer(new H().call(0, "acquire", null, null).history()));
        assertEquals(
                "cas-register",
                Models.infer(new H()
                        .call(0, "write", 1L, 1L)
                        .call(0, "cas", List.of(1L, 2L), List.of(1L, 2L))
                        .history()));
        assertEquals(
                "register",
                Models.infer(new H()
                        .call(0, "write", 1L, 1L)
                        .call(0, "read", null, 1L)
                        .history()));
        assertEquals(
                "multi-register",
                Models.infer(new H()
                        .call(0, "txn", List.of(List.of("write", "x", 1L)), List.of(List.of("write", "x", 1L)))
                        .history()));
        assertNull(Models.infer(new H()
                .call(0, "txn", List.of(List.of("append", "x", 1L)), List.of(List.of("append", "x", 1L)))
                .history()));
        assertNull(Models.infer(new H().call(0, "enqueue", 1L, 1L).history()));
        assertNull(Models.infer(new H().history()));
    }
}
