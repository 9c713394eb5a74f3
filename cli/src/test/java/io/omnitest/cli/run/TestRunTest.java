package io.omnitest.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.JsonlCodec;
import io.omnitest.checker.history.Op;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole run pipeline on an in-memory testbed: phases, history, store layout, verdict. */
class TestRunTest {
    static RunOptions options(Path store, String workload, List<String> nemeses, double seconds) {
        return new RunOptions(
                null,
                3,
                workload,
                nemeses,
                0.4,
                seconds,
                6,
                400,
                5,
                store,
                null,
                null,
                null,
                false,
                1,
                Path.of("unused.jar"),
                false);
    }

    static History readHistory(Path dir) throws Exception {
        try (Reader r = Files.newBufferedReader(dir.resolve(StoreLayout.HISTORY_JSONL))) {
            return JsonlCodec.read(r, "history.jsonl");
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    @Test
    void aValidKvRunLeavesTheFullStoreLayoutAndIsValid(@TempDir Path store) throws Exception {
        FakeTestbed bed = new FakeTestbed(3, false);
        TestRun.Outcome o = new TestRun(
                        options(store, "kv", List.of("kill", "partition-chain"), 2.0),
                        bed,
                        new AtomicBoolean(),
                        new PrintWriter(new StringWriter()))
                .run();

        assertEquals(0, o.exitCode(), () -> o.verdict().toJson().toString());
        assertFalse(o.interrupted());
        Path dir = o.dir();
        assertEquals(dir.toRealPath(), store.resolve("latest").toRealPath());
        for (String f : List.of(
                "test.json", "history.jsonl", "history.edn", "results.json", "omnitest.log", "nodes/n1/node.log")) {
            assertTrue(Files.exists(dir.resolve(f)), f);
        }
        Map<?, ?> results =
                new ObjectMapper().readValue(dir.resolve("results.json").toFile(), Map.class);
        assertEquals(true, results.get("valid"));
        assertEquals(
                List.of("linearizable", "stats", "perf", "availability", "node-logs"),
                List.copyOf(((Map<?, ?>) results.get("checkers")).keySet()));
        Map<?, ?> test = new ObjectMapper().readValue(dir.resolve("test.json").toFile(), Map.class);
        assertEquals(5, test.get("seed"));
        assertEquals("omnipaxos-kv-kill+partition-chain", test.get("name"));

        History h = readHistory(dir);
        // the nemesis took its turns: kill in [0.4, 0.8), partition-chain in [1.2, 1.6), with invoke + completion each
        List<String> nemesisFs =
                h.ops().stream().filter(Op::isNemesis).map(Op::f).toList();
        assertEquals(
                List.of(
                        "start-kill",
                        "start-kill",
                        "stop-kill",
                        "stop-kill",
                        "start-partition-chain",
                        "start-partition-chain",
                        "stop-partition-chain",
                        "stop-partition-chain"),
                nemesisFs);
        // an info moves the worker to process p + concurrency; that old process never invokes again
        Map<Integer, List<Op>> byProcess =
                h.ops().stream().filter(op -> !op.isNemesis()).collect(Collectors.groupingBy(Op::process));
        for (var e : byProcess.entrySet()) {
            List<Op> ops = e.getValue();
            for (int i = 0; i < ops.size() - 1; i++) {
                assertFalse(ops.get(i).type() == Op.Type.INFO, "process " + e.getKey() + " invoked after an info");
            }
            assertEquals(
                    e.getKey() % 3 == 0 ? "n1" : e.getKey() % 3 == 1 ? "n2" : "n3",
                    ops.get(0).node());
        }
        assertTrue(o.counts().info() > 0, "the fake times out sometimes");
        assertTrue(byProcess.keySet().stream().anyMatch(p -> p >= 6), "some worker moved on to a new process");
        // every touched key got a final get after the main phase: the tail after the last write
        // holds only gets, and they read every key ever written (a few random main-phase gets would not)
        List<Op> clientOps =
                h.ops().stream().filter(op -> !op.isNemesis() && op.isInvoke()).toList();
        int lastWrite = 0;
        for (int i = 0; i < clientOps.size(); i++) if (!clientOps.get(i).f().equals("get")) lastWrite = i;
        Set<Object> written = clientOps.stream()
                .filter(op -> !op.f().equals("get"))
                .map(op -> ((List<?>) op.value()).get(0))
                .collect(Collectors.toSet());
        Set<Object> readAtTheEnd = clientOps.subList(lastWrite + 1, clientOps.size()).stream()
                .map(op -> ((List<?>) op.value()).get(0))
                .collect(Collectors.toSet());
        assertTrue(
                readAtTheEnd.containsAll(written),
                () -> "no final read of "
                        + written.stream()
                                .filter(k -> !readAtTheEnd.contains(k))
                                .toList() + "; last ops " + h.ops().subList(Math.max(0, h.size() - 5), h.size())
                        + "\nlog: " + read(dir.resolve("omnitest.log")));
        // ... through every node (a read that failed is tried again on the same node)
        Map<Object, List<String>> nodesPerKey = clientOps.subList(lastWrite + 1, clientOps.size()).stream()
                .collect(Collectors.groupingBy(
                        op -> ((List<?>) op.value()).get(0), Collectors.mapping(Op::node, Collectors.toList())));
        for (Object key : written) {
            assertEquals(
                    List.of("n1", "n2", "n3"),
                    nodesPerKey.get(key).stream().distinct().sorted().toList(),
                    "final reads of " + key);
        }
        assertEquals(List.of("setup", "nemesis-setup kill", "nemesis-setup partition-chain"), bed.calls.subList(0, 3));
        assertTrue(bed.calls.containsAll(List.of("nemesis-teardown kill", "collect-logs", "teardown")));
    }

    /** A 1.5 s run of {@code workload} without faults on a fresh fake of 3 nodes, its output dropped. */
    static TestRun.Outcome quickRun(Path store, String workload, boolean staleReads) throws java.io.IOException {
        return new TestRun(
                        options(store, workload, List.of(), 1.5),
                        new FakeTestbed(3, staleReads),
                        new AtomicBoolean(),
                        new PrintWriter(new StringWriter()))
                .run();
    }

    @Test
    void aListAppendRunIsJudgedByElle(@TempDir Path store) throws Exception {
        TestRun.Outcome o = quickRun(store, "list-append", false);
        assertEquals(0, o.exitCode(), () -> o.verdict().toJson().toString());
        assertEquals(
                List.of("elle-list-append", "stats", "perf", "availability", "node-logs"),
                List.copyOf(o.verdict().results().keySet()));
        History h = readHistory(o.dir());
        assertTrue(h.ops().stream().allMatch(op -> op.isNemesis() || op.f().equals("txn")));
    }

    /** The default workload: kv and list-append side by side, each part judged by its own checker, keys kept apart. */
    @Test
    void kvAndListAppendSideBySideAreEachJudgedByTheirOwnChecker(@TempDir Path store) throws Exception {
        for (boolean streamed : new boolean[] {false, true}) {
            String was = System.getProperty("omnitest.check.streamAboveBytes");
            if (streamed) System.setProperty("omnitest.check.streamAboveBytes", "0");
            try {
                TestRun.Outcome o = quickRun(store.resolve("valid-" + streamed), "kv,list-append", false);
                assertEquals(0, o.exitCode(), () -> o.verdict().toJson().toString());
                assertEquals(
                        List.of("linearizable", "elle-list-append", "stats", "perf", "availability", "node-logs"),
                        List.copyOf(o.verdict().results().keySet()));
                History h = readHistory(o.dir());
                Set<String> fs = h.ops().stream()
                        .filter(op -> !op.isNemesis())
                        .map(Op::f)
                        .collect(Collectors.toSet());
                assertEquals(Set.of("put", "append", "get", "txn"), fs);
                for (Op op : h.ops()) {
                    if (op.isNemesis()) continue;
                    List<?> v = (List<?>) op.value();
                    if (op.f().equals("txn")) {
                        for (Object m : v)
                            assertTrue(((String) ((List<?>) m).get(1)).startsWith("list-append:"), op::toString);
                    } else {
                        assertTrue(((String) v.get(0)).startsWith("k"), op::toString);
                    }
                }
                Map<?, ?> results = new ObjectMapper()
                        .readValue(o.dir().resolve("results.json").toFile(), Map.class);
                assertEquals("linearizable+elle-list-append", ((Map<?, ?>) results.get("live")).get("checker"));

                // the fake's gets are stale, its lists are not: only the kv part finds an anomaly
                TestRun.Outcome stale = quickRun(store.resolve("stale-" + streamed), "kv,list-append", true);
                assertEquals(1, stale.exitCode());
                assertEquals(
                        io.omnitest.checker.Validity.FALSE,
                        stale.verdict().results().get("linearizable").valid());
                assertEquals(
                        io.omnitest.checker.Validity.TRUE,
                        stale.verdict().results().get("elle-list-append").valid());
            } finally {
                if (was == null) System.clearProperty("omnitest.check.streamAboveBytes");
                else System.setProperty("omnitest.check.streamAboveBytes", was);
            }
        }
    }

    @Test
    void anRwRegisterRunIsJudgedByElle(@TempDir Path store) throws Exception {
        TestRun.Outcome o = quickRun(store, "rw-register", false);
        assertEquals(0, o.exitCode(), () -> o.verdict().toJson().toString());
        assertEquals(
                List.of("elle-rw-register", "stats", "perf", "availability", "node-logs"),
                List.copyOf(o.verdict().results().keySet()));
        History h = readHistory(o.dir());
        assertTrue(
                h.ops().stream()
                        .anyMatch(op -> op.type() == Op.Type.OK
                                && op.value() instanceof List<?> l
                                && l.stream()
                                        .anyMatch(m -> ((List<?>) m).get(0).equals("r")
                                                && ((List<?>) m).get(2) instanceof Long)),
                "register reads complete as values");
    }

    @Test
    void replicasThatAgreeAddAValidReplicaCheck(@TempDir Path store) throws Exception {
        FakeTestbed bed = new FakeTestbed(3, false);
        bed.digests = Map.of(
                "n1",
                new ReplicaDigests.Digest(40, "aa"),
                "n2",
                new ReplicaDigests.Digest(40, "aa"),
                "n3",
                new ReplicaDigests.Digest(40, "aa"));
        TestRun.Outcome o = new TestRun(
                        options(store, "kv", List.of(), 1.5),
                        bed,
                        new AtomicBoolean(),
                        new PrintWriter(new StringWriter()))
                .run();
        assertEquals(0, o.exitCode(), () -> o.verdict().toJson().toString());
        assertEquals(
                List.of("linearizable", "stats", "perf", "availability", "node-logs", "replica-divergence"),
                List.copyOf(o.verdict().results().keySet()));
    }

    @Test
    void divergedReplicasMakeAValidHistoryInvalid(@TempDir Path store) throws Exception {
        FakeTestbed bed = new FakeTestbed(3, false);
        // every client read is fine (the fake serves all from one store), but n3 applied other entries
        bed.digests = Map.of(
                "n1",
                new ReplicaDigests.Digest(40, "aa"),
                "n2",
                new ReplicaDigests.Digest(40, "aa"),
                "n3",
                new ReplicaDigests.Digest(40, "bb"));
        TestRun.Outcome o = new TestRun(
                        options(store, "kv", List.of(), 1.5),
                        bed,
                        new AtomicBoolean(),
                        new PrintWriter(new StringWriter()))
                .run();
        assertEquals(1, o.exitCode());
        assertEquals(
                io.omnitest.checker.Validity.TRUE,
                o.verdict().results().get("linearizable").valid());
        assertEquals(
                io.omnitest.checker.Validity.FALSE,
                o.verdict().results().get("replica-divergence").valid());
    }

    @Test
    void staleReadsAreCaughtAndExitOne(@TempDir Path store) throws Exception {
        TestRun.Outcome o = quickRun(store, "kv", true);
        assertEquals(1, o.exitCode());
        assertEquals(false, o.verdict().toJson().get("valid"));
    }

    /** A history too big to hold (forced here: every history is) is checked as a stream, with the verdicts of the whole. */
    @Test
    void aHistoryTooBigToHoldIsCheckedAsAStream(@TempDir Path store) throws Exception {
        String was = System.getProperty("omnitest.check.streamAboveBytes");
        System.setProperty("omnitest.check.streamAboveBytes", "0");
        try {
            StringWriter err = new StringWriter();
            TestRun.Outcome valid = new TestRun(
                            options(store.resolve("a"), "kv", List.of("kill"), 1.5),
                            new FakeTestbed(3, false),
                            new AtomicBoolean(),
                            new PrintWriter(err))
                    .run();
            assertEquals(0, valid.exitCode(), () -> valid.verdict().toJson().toString());
            assertTrue(err.toString().contains("history events as a stream"), err::toString);
            Map<?, ?> results = new ObjectMapper()
                    .readValue(valid.dir().resolve("results.json").toFile(), Map.class);
            assertEquals(
                    List.of("linearizable", "stats", "perf", "availability", "node-logs"),
                    List.copyOf(((Map<?, ?>) results.get("checkers")).keySet()));
            History h = readHistory(valid.dir());
            for (var c : Checks.forWorkload("kv").subList(1, 4)) {
                assertEquals(
                        c.check(h).summary(),
                        valid.verdict().results().get(c.name()).summary(),
                        c.name());
            }
            try (Reader edn = Files.newBufferedReader(valid.dir().resolve(StoreLayout.HISTORY_EDN))) {
                assertEquals(
                        h.ops(),
                        io.omnitest.checker.history.EdnCodec.read(edn, "history.edn")
                                .ops());
            }
            try (var left = Files.list(valid.dir())) {
                assertFalse(
                        left.anyMatch(f -> f.getFileName().toString().startsWith(".omnitest-spill-")),
                        "a spill directory was left");
            }
            TestRun.Outcome stale = quickRun(store.resolve("b"), "kv", true);
            assertEquals(1, stale.exitCode());
        } finally {
            if (was == null) System.clearProperty("omnitest.check.streamAboveBytes");
            else System.setProperty("omnitest.check.streamAboveBytes", was);
        }
    }

    @Test
    void anAbortedRunStillCleansUpAndLeavesAReadableHistory(@TempDir Path store) throws Exception {
        FakeTestbed bed = new FakeTestbed(3, false);
        AtomicBoolean abort = new AtomicBoolean();
        bed.abortFlag = abort;
        bed.abortAfterOps = 300; // about 0.75 s into the main phase, after the kill started at 0.4 s
        TestRun.Outcome o = new TestRun(
                        options(store, "kv", List.of("kill"), 30), bed, abort, new PrintWriter(new StringWriter()))
                .run();
        assertTrue(o.interrupted());
        assertEquals(2, o.exitCode());
        assertTrue(o.mainNanos() < 10_000_000_000L, "the abort cut the 30 s main phase short");
        assertTrue(bed.calls.containsAll(List.of("nemesis-teardown kill", "collect-logs", "teardown")));
        History h = readHistory(o.dir());
        assertTrue(
                h.size() >= 600, () -> "history too short; log: " + read(o.dir().resolve("omnitest.log")));
        // how many kill windows fit before the abort depends on the machine's speed; whatever
        // number, each start (invoke + info) is followed by its stop, the last one included
        List<String> fs = h.ops().stream().filter(Op::isNemesis).map(Op::f).toList();
        assertTrue(!fs.isEmpty() && fs.size() % 4 == 0, fs::toString);
        for (int i = 0; i < fs.size(); i += 4) {
            assertEquals(
                    List.of("start-kill", "start-kill", "stop-kill", "stop-kill"),
                    fs.subList(i, i + 4),
                    "the kill in force at the abort was healed and recorded: " + fs);
        }
        Map<?, ?> results =
                new ObjectMapper().readValue(o.dir().resolve("results.json").toFile(), Map.class);
        assertEquals("unknown", results.get("valid"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void theGeneralMixIsPlannedFromTheSeedRecordedInTestJsonAndInjectedAsPlanned(@TempDir Path store) throws Exception {
        FakeTestbed bed = new FakeTestbed(3, false);
        StringWriter err = new StringWriter();
        TestRun.Outcome o = new TestRun(
                        options(store, "kv", List.of(NemesisMix.GENERAL), 4.0),
                        bed,
                        new AtomicBoolean(),
                        new PrintWriter(err))
                .run();
        assertEquals(0, o.exitCode(), () -> o.verdict().toJson().toString());
        assertEquals("omnipaxos-kv-general", o.dir().getParent().getFileName().toString());
        Map<?, ?> test =
                new ObjectMapper().readValue(o.dir().resolve("test.json").toFile(), Map.class);
        Map<String, Object> mix = (Map<String, Object>) test.get("nemesis-mix");
        assertEquals("general", mix.get("mix"));
        List<String> used = (List<String>) mix.get("nemeses");
        Map<String, String> leftOut = (Map<String, String>) mix.get("left-out");
        // the clock faults are never in the general mix; every other fault is in it or left out with a reason
        for (String clock : List.of("clock-skew", "clock-jump", "clock-strobe")) {
            assertFalse(used.contains(clock));
            assertTrue(leftOut.get(clock).contains("libfaketime"), leftOut::toString);
        }
        assertEquals(io.omnitest.nuke.Nemeses.all().size(), used.size() + leftOut.size());
        assertTrue(err.toString().contains("omnitest: nemesis general: " + used.size() + " faults"), err::toString);
        // the history holds exactly the planned faults, in order, each healed
        List<Map<String, Object>> schedule = (List<Map<String, Object>>) mix.get("schedule");
        assertFalse(schedule.isEmpty());
        List<String> planned = schedule.stream()
                .flatMap(w -> ((List<String>) w.get("faults")).stream())
                .map(f -> f.replaceFirst("@.*", ""))
                .toList();
        List<Op> nemesisOps =
                readHistory(o.dir()).ops().stream().filter(Op::isNemesis).toList();
        List<String> started = nemesisOps.stream()
                .filter(op -> op.isInvoke() && "fault".equals(((Map<?, ?>) op.value()).get("phase")))
                .map(op -> ((Map<?, ?>) op.value()).get("name").toString())
                .toList();
        assertEquals(planned, started);
        long heals = nemesisOps.stream()
                .filter(op -> op.isInvoke() && "heal".equals(((Map<?, ?>) op.value()).get("phase")))
                .count();
        assertEquals(planned.size(), heals);
        // the same seed plans the same schedule
        TestRun.Outcome again = new TestRun(
                        options(store, "kv", List.of(NemesisMix.GENERAL), 4.0),
                        new FakeTestbed(3, false),
                        new AtomicBoolean(),
                        new PrintWriter(new StringWriter()))
                .run();
        Map<?, ?> test2 =
                new ObjectMapper().readValue(again.dir().resolve("test.json").toFile(), Map.class);
        assertEquals(schedule, ((Map<String, Object>) test2.get("nemesis-mix")).get("schedule"));
    }
}
