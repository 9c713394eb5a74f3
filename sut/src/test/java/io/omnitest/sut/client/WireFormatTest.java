package io.omnitest.sut.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.core.Ballot;
import io.omnitest.sut.kv.KvCommand;
import io.omnitest.sut.kv.KvResult;
import io.omnitest.sut.kv.MicroOp;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireFormatTest {
    @Test
    void parsesEachOp() {
        assertEquals(
                new Request.Command(7, KvCommand.put("c1", 3, "k", "v")),
                WireFormat.parseRequest(
                        "{\"id\":7,\"client\":\"c1\",\"seq\":3,\"op\":\"put\",\"key\":\"k\",\"value\":\"v\"}"));
        assertEquals(
                new Request.Command(1, KvCommand.append("c", 0, "k", "")),
                WireFormat.parseRequest(
                        "{\"id\":1,\"client\":\"c\",\"seq\":0,\"op\":\"append\",\"key\":\"k\",\"value\":\"\"}"));
        assertEquals(
                new Request.Command(2, KvCommand.get("c", 9, "k")),
                WireFormat.parseRequest("{\"op\":\"get\",\"id\":2,\"client\":\"c\",\"seq\":9,\"key\":\"k\"}"));
        assertEquals(
                new Request.Command(
                        3,
                        KvCommand.txn(
                                "c",
                                4,
                                List.of(
                                        new MicroOp("append", "k1", "5"),
                                        new MicroOp("r", "k2", null),
                                        new MicroOp("r", "k3", null)))),
                WireFormat.parseRequest("{\"id\":3,\"client\":\"c\",\"seq\":4,\"op\":\"txn\","
                        + "\"txn\":[[\"append\",\"k1\",\"5\"],[\"r\",\"k2\",null],[\"r\",\"k3\"]]}"));
        assertEquals(
                new Request.Command(
                        5, KvCommand.txn("c", 6, List.of(new MicroOp("w", "x", "7"), new MicroOp("r", "x", null)))),
                WireFormat.parseRequest(
                        "{\"id\":5,\"client\":\"c\",\"seq\":6,\"op\":\"txn\",\"txn\":[[\"w\",\"x\",\"7\"],[\"r\",\"x\",null]]}"));
        assertEquals(new Request.StatusQuery(8), WireFormat.parseRequest("{\"id\":8,\"op\":\"status\"}"));
    }

    @Test
    void encodedCommandsParseBack() {
        KvCommand txn = KvCommand.txn("c", 4, List.of(new MicroOp("append", "k1", "5"), new MicroOp("r", "k2", null)));
        for (KvCommand c : List.of(KvCommand.put("c", 1, "k", "v\n\"q\""), KvCommand.get("c", 2, "k"), txn)) {
            assertEquals(new Request.Command(11, c), WireFormat.parseRequest(WireFormat.encodeCommand(11, c)));
        }
        assertEquals(new Request.StatusQuery(5), WireFormat.parseRequest(WireFormat.encodeStatusQuery(5)));
    }

    @Test
    void nonsenseIsMalformedWithAReason() {
        assertMalformed(null, "not a JSON object", "hello");
        assertMalformed(null, "not a JSON object", "[1,2]");
        assertMalformed(null, "not a JSON object", "{\"id\":1} trailing");
        assertMalformed(null, "\"id\" must be an integer", "{\"op\":\"status\"}");
        assertMalformed(null, "\"id\" must be an integer", "{\"id\":\"7\",\"op\":\"status\"}");
        assertMalformed(null, "\"id\" must be an integer", "{\"id\":1.5,\"op\":\"status\"}");
        assertMalformed(null, "\"id\" must be an integer", "{\"id\":123456789012345678901234567890,\"op\":\"status\"}");
        assertMalformed(
                4L,
                "unknown op \"cas\" (put, append, get, txn, status)",
                "{\"id\":4,\"client\":\"c\",\"seq\":1,\"op\":\"cas\"}");
        assertMalformed(4L, "\"op\" must be a string", "{\"id\":4}");
        assertMalformed(4L, "\"client\" must be a string", "{\"id\":4,\"op\":\"get\",\"key\":\"k\",\"seq\":1}");
        assertMalformed(
                4L,
                "\"seq\" must be a non-negative integer",
                "{\"id\":4,\"op\":\"get\",\"key\":\"k\",\"client\":\"c\",\"seq\":-1}");
        assertMalformed(
                4L,
                "\"value\" must be a string",
                "{\"id\":4,\"op\":\"put\",\"key\":\"k\",\"client\":\"c\",\"seq\":1,\"value\":5}");
        assertMalformed(
                4L, "\"key\" must be a string", "{\"id\":4,\"op\":\"put\",\"client\":\"c\",\"seq\":1,\"value\":\"v\"}");
        assertMalformed(
                4L,
                "get takes no \"value\"",
                "{\"id\":4,\"op\":\"get\",\"key\":\"k\",\"client\":\"c\",\"seq\":1,\"value\":\"v\"}");
        assertMalformed(4L, "unknown field \"extra\"", "{\"id\":4,\"op\":\"status\",\"extra\":1}");
        assertMalformed(
                4L,
                "\"txn\" must be a list of 1 to 1024 micro-ops",
                "{\"id\":4,\"op\":\"txn\",\"client\":\"c\",\"seq\":1,\"txn\":[]}");
        String badOp = "a micro-op must be [\"append\",key,value], [\"w\",key,value] or [\"r\",key,null]";
        assertMalformed(4L, badOp, "{\"id\":4,\"op\":\"txn\",\"client\":\"c\",\"seq\":1,\"txn\":[[\"append\",\"k\"]]}");
        assertMalformed(
                4L, badOp, "{\"id\":4,\"op\":\"txn\",\"client\":\"c\",\"seq\":1,\"txn\":[[\"r\",\"k\",\"x\"]]}");
        assertMalformed(4L, badOp, "{\"id\":4,\"op\":\"txn\",\"client\":\"c\",\"seq\":1,\"txn\":[[\"w\",\"k\",5]]}");
        assertMalformed(4L, badOp, "{\"id\":4,\"op\":\"txn\",\"client\":\"c\",\"seq\":1,\"txn\":[[\"w\",\"k\",null]]}");
        assertMalformed(
                4L, badOp, "{\"id\":4,\"op\":\"txn\",\"client\":\"c\",\"seq\":1,\"txn\":[[\"put\",\"k\",\"x\"]]}");
        assertMalformed(4L, badOp, "{\"id\":4,\"op\":\"txn\",\"client\":\"c\",\"seq\":1,\"txn\":[\"append\"]}");
        assertMalformed(null, "not a JSON object", "[".repeat(5000));
    }

    private static void assertMalformed(Long id, String message, String line) {
        assertEquals(new Request.Malformed(id, message), WireFormat.parseRequest(line), line);
    }

    @Test
    void answersHaveTheDocumentedShape() {
        assertEquals("{\"id\":7,\"ok\":true,\"value\":\"v\"}", WireFormat.encodeOk(7, new KvResult("v", null)));
        assertEquals("{\"id\":7,\"ok\":true,\"value\":null}", WireFormat.encodeOk(7, new KvResult(null, null)));
        assertEquals(
                "{\"id\":7,\"ok\":true,\"value\":[[\"append\",\"k1\",\"5\"],[\"r\",\"k2\",[\"1\",\"2\"]]]}",
                WireFormat.encodeOk(
                        7,
                        new KvResult(
                                null,
                                List.of(new MicroOp("append", "k1", "5"), new MicroOp("r", "k2", List.of("1", "2"))))));
        assertEquals("{\"id\":7,\"ok\":false,\"error\":\"not-leader\",\"leader\":3}", WireFormat.encodeNotLeader(7, 3));
        assertEquals("{\"id\":7,\"ok\":false,\"error\":\"timeout\"}", WireFormat.encodeTimeout(7));
        assertEquals(
                "{\"id\":null,\"ok\":false,\"error\":\"bad-request\",\"message\":\"m\"}",
                WireFormat.encodeBadRequest(null, "m"));
        NodeStatus s = new NodeStatus(2, "leader", 2, new Ballot(3, 0, 2), 41, 42, true);
        assertEquals(
                "{\"id\":8,\"ok\":true,\"node\":2,\"role\":\"leader\",\"leader\":2,\"ballot\":{\"n\":3,\"priority\":0,\"pid\":2},"
                        + "\"decidedIdx\":41,\"logLength\":42,\"quorumConnected\":true}",
                WireFormat.encodeStatus(8, s));
    }

    @Test
    void answersParseBack() throws Exception {
        KvResult txn = new KvResult(
                null, List.of(new MicroOp("append", "k1", "5"), new MicroOp("r", "k2", List.of("1", "2"))));
        assertEquals(new Response.Ok(7L, txn), WireFormat.parseResponse(WireFormat.encodeOk(7, txn)));
        assertEquals(
                new Response.Ok(7L, new KvResult("", null)),
                WireFormat.parseResponse(WireFormat.encodeOk(7, new KvResult("", null))));
        assertEquals(
                new Response.Error(7L, "not-leader", 3, null),
                WireFormat.parseResponse(WireFormat.encodeNotLeader(7, 3)));
        assertEquals(
                new Response.Error(null, "bad-request", 0, "m"),
                WireFormat.parseResponse(WireFormat.encodeBadRequest(null, "m")));
        NodeStatus s = new NodeStatus(2, "follower", 1, new Ballot(3, 0, 1), 41, 42, false);
        assertEquals(new Response.StatusAnswer(8L, s), WireFormat.parseResponse(WireFormat.encodeStatus(8, s)));
    }

    @Test
    void statusNamesTheNodesBugsOnlyWhenThereAreSome() throws Exception {
        NodeStatus buggy =
                new NodeStatus(2, "leader", 2, new Ballot(3, 0, 2), 41, 42, true, List.of("stale-read", "no-dedup"));
        String line = WireFormat.encodeStatus(8, buggy);
        assertEquals(
                "{\"id\":8,\"ok\":true,\"node\":2,\"role\":\"leader\",\"leader\":2,\"ballot\":{\"n\":3,\"priority\":0,\"pid\":2},"
                        + "\"decidedIdx\":41,\"logLength\":42,\"quorumConnected\":true,\"bugs\":[\"stale-read\",\"no-dedup\"]}",
                line);
        assertEquals(new Response.StatusAnswer(8L, buggy), WireFormat.parseResponse(line));
        NodeStatus withDigest =
                new NodeStatus(2, "leader", 2, new Ballot(3, 0, 2), 41, 42, true, List.of(), 40, "00000000c0ffee00");
        String digestLine = WireFormat.encodeStatus(8, withDigest);
        assertTrue(
                digestLine.endsWith(",\"quorumConnected\":true,\"applied\":40,\"digest\":\"00000000c0ffee00\"}"),
                digestLine);
        assertEquals(new Response.StatusAnswer(8L, withDigest), WireFormat.parseResponse(digestLine));
        NodeStatus correct = new NodeStatus(2, "leader", 2, new Ballot(3, 0, 2), 41, 42, true, List.of());
        assertEquals(
                List.of(),
                ((Response.StatusAnswer) WireFormat.parseResponse(WireFormat.encodeStatus(8, correct)))
                        .status()
                        .bugs());
    }
}
