package io.omnitest.sut.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class KvCommandTest {
    @Test
    void roundTripsEveryOp() {
        for (KvCommand c : List.of(
                KvCommand.put("c1", 1, "k", "v"),
                KvCommand.append("c1", 2, "k", "w"),
                KvCommand.get("c1", 3, "k"),
                KvCommand.txn("c1", 4, List.of(new MicroOp("append", "a", "1"), new MicroOp("r", "a", null))))) {
            assertEquals(c, KvCommand.fromJson(c.toJson()));
        }
    }

    @Test
    void rejectsGarbage() {
        for (String bad : List.of(
                "",
                "nope",
                "{}",
                "null",
                "[1,2]",
                "{\"client\":\"c\",\"seq\":1,\"op\":\"del\",\"key\":\"k\"}",
                "{\"client\":\"c\",\"seq\":1,\"op\":\"put\",\"key\":\"k\"}",
                "{\"client\":\"c\",\"seq\":1,\"op\":\"txn\",\"txn\":[]}",
                "{\"client\":\"c\",\"seq\":1,\"op\":\"txn\",\"txn\":[{\"f\":\"append\",\"key\":\"a\",\"value\":[1]}]}",
                "{\"client\":\"c\",\"seq\":1,\"op\":\"get\",\"key\":\"k\",\"extra\":1}",
                "{\"client\":\"c\",\"seq\":\"x\",\"op\":\"get\",\"key\":\"k\"}")) {
            assertThrows(IllegalArgumentException.class, () -> KvCommand.fromJson(bad), bad);
        }
    }
}
