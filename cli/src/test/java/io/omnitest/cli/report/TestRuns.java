package io.omnitest.cli.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnitest.checker.Checker;
import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import io.omnitest.checker.analysis.AvailabilityChecker;
import io.omnitest.checker.analysis.PerfChecker;
import io.omnitest.checker.analysis.StatsChecker;
import io.omnitest.checker.elle.ListAppendChecker;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.HistoryFormat;
import io.omnitest.checker.history.HistoryReader;
import io.omnitest.checker.history.HistoryWriter;
import io.omnitest.checker.history.Op;
import io.omnitest.checker.linear.Linearizability;
import io.omnitest.checker.linear.Models;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Run directories for the report tests, laid out as the runner leaves them (docs/ARCHITECTURE.md §4) and
 * checked by the real checkers in-process: a valid kv run with partitions and kills, a run of a
 * known non-linearizable Knossos history, and a run of the known-bad Elle list-append history.
 */
public final class TestRuns {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestRuns() {}

    public static Path validKvRun(Path store) throws IOException {
        History h = syntheticKv(20_000_000_000L, 10, 7);
        return write(
                store,
                "omnipaxos-kv-partition-majorities-ring+kill",
                "20261122T101500.000",
                test("kv", List.of("partition-majorities-ring", "kill"), 7),
                h,
                List.of(
                        Linearizability.withSystemClock(Models.kv(), Linearizability.Options.DEFAULTS),
                        new StatsChecker(),
                        new PerfChecker(),
                        new AvailabilityChecker()));
    }

    public static Path linearAnomalyRun(Path store, String ednFile) throws IOException {
        History h = withTimes(HistoryReader.read(io.omnitest.cli.Cli.corpus("knossos")
                        .resolve("cas-register/bad")
                        .resolve(ednFile))
                .history());
        return write(
                store,
                "knossos-cas-register",
                "20261122T101600.000",
                test("cas-register", List.of(), 1),
                h,
                List.of(
                        Linearizability.withSystemClock(Models.casRegister(0L), Linearizability.Options.DEFAULTS),
                        new StatsChecker(),
                        new PerfChecker(),
                        new AvailabilityChecker()));
    }

    public static Path elleAnomalyRun(Path store) throws IOException {
        History h = HistoryReader.read(io.omnitest.cli.Cli.corpus("elle").resolve("list-append-1000-bad.jsonl"))
                .history();
        return write(
                store,
                "omnipaxos-list-append-none",
                "20261122T101700.000",
                test("list-append", List.of(), 3),
                h,
                List.of(new ListAppendChecker(), new StatsChecker(), new PerfChecker(), new AvailabilityChecker()));
    }

    static Map<String, Object> test(String workload, List<String> nemeses, long seed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "omnipaxos-" + workload + "-" + (nemeses.isEmpty() ? "none" : String.join("+", nemeses)));
        m.put("hosts", null);
        m.put("nodes", 5);
        m.put("workload", workload);
        m.put("nemesis", nemeses);
        m.put("nemesis-interval", 5.0);
        m.put("time-limit", 20.0);
        m.put("concurrency", 10);
        m.put("rate", 100.0);
        m.put("seed", seed);
        m.put("store", "store");
        m.put("junit", null);
        m.put("leave-running", false);
        m.put("test-count", 1);
        return m;
    }

    /** Writes test.json, history.jsonl and results.json (every checker run on {@code h}). */
    static Path write(
            Path store, String test, String stamp, Map<String, Object> options, History h, List<Checker> checkers)
            throws IOException {
        Path dir = store.resolve(test).resolve(stamp);
        Files.createDirectories(dir);
        JSON.writerWithDefaultPrettyPrinter()
                .writeValue(dir.resolve("test.json").toFile(), options);
        HistoryWriter.write(h, dir.resolve("history.jsonl"), HistoryFormat.JSONL);
        Map<String, Object> byName = new LinkedHashMap<>();
        Validity all = Validity.TRUE;
        for (Checker c : checkers) {
            Result r = c.check(h);
            all = all.and(r.valid());
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("valid", r.valid().json());
            one.put("summary", r.summary());
            one.put("details", r.details());
            byName.put(c.name(), one);
        }
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("valid", all.json());
        results.put("checkers", byName);
        JSON.writerWithDefaultPrettyPrinter()
                .writeValue(dir.resolve("results.json").toFile(), results);
        return dir;
    }

    /** Knossos histories have no times: one millisecond per event keeps their order on the plots. */
    static History withTimes(History h) {
        List<Op> ops = new ArrayList<>();
        for (Op op : h.ops())
            ops.add(new Op(
                    op.index(),
                    op.index() * 1_000_000L,
                    op.type(),
                    op.process(),
                    op.f(),
                    op.value(),
                    op.node(),
                    op.error()));
        return new History(ops);
    }

    /**
     * A linearizable kv history: {@code processes} clients doing put/append/get on 3 keys against
     * a register that applies each op at its completion; during the partition window (4–9 s) ops
     * fail or time out (info, then the process is replaced), during the kill window (13–16 s)
     * latencies grow. Seeded, so every run of the tests sees the same history.
     */
    static History syntheticKv(long lengthNs, int processes, long seed) {
        Random random = new Random(seed);
        List<Op> ops = new ArrayList<>();
        Map<String, String> state = new LinkedHashMap<>();
        long[] nextFree = new long[processes];
        int[] processId = new int[processes];
        for (int p = 0; p < processes; p++) processId[p] = p;
        long[][] nemesis = {{4_000_000_000L, 9_000_000_000L}, {13_000_000_000L, 16_000_000_000L}};
        String[][] nemesisF = {
            {"start-partition", "stop-partition", "partition-majorities-ring"}, {"kill", "start", "kill"}
        };
        List<long[]> events = new ArrayList<>();
        // Collect (time, kind, process slot) events, then emit in time order.
        for (long t = 0; t < lengthNs; t += 20_000_000L) {
            int slot = random.nextInt(processes);
            if (nextFree[slot] > t) continue;
            boolean partitioned = t >= nemesis[0][0] && t < nemesis[0][1];
            boolean killed = t >= nemesis[1][0] && t < nemesis[1][1];
            long latency =
                    2_000_000L + random.nextInt(8_000_000) + (killed ? 150_000_000L + random.nextInt(200_000_000) : 0);
            int outcome = 0;
            if (partitioned && random.nextInt(3) == 0) {
                outcome = 1;
                latency = 1_000_000L + random.nextInt(2_000_000);
            } else if (partitioned && random.nextInt(4) == 0) {
                outcome = 2;
                latency = 500_000_000L;
            }
            events.add(
                    new long[] {t, slot, latency, outcome, random.nextInt(3), random.nextInt(3), random.nextInt(1000)});
            nextFree[slot] = t + latency + 1;
        }
        // Emit invocations and completions in time order, applying ok writes at their completion.
        List<long[]> timeline = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            long[] e = events.get(i);
            timeline.add(new long[] {e[0], 0, i});
            timeline.add(new long[] {e[0] + e[2], 1, i});
        }
        for (int n = 0; n < 2; n++) {
            timeline.add(new long[] {nemesis[n][0], 2, n * 2});
            timeline.add(new long[] {nemesis[n][0] + 1_000_000L, 2, n * 2});
            timeline.add(new long[] {nemesis[n][1], 2, n * 2 + 1});
            timeline.add(new long[] {nemesis[n][1] + 1_000_000L, 2, n * 2 + 1});
        }
        timeline.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int[] procOf = new int[events.size()];
        String[] fs = {"put", "append", "get"};
        for (long[] t : timeline) {
            if (t[1] == 2) {
                int n = (int) t[2] / 2;
                String f = nemesisF[n][(int) t[2] % 2];
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("name", nemesisF[n][2]);
                if (n == 1) v.put("nodes", List.of("n2"));
                ops.add(new Op(ops.size(), t[0], Op.Type.INFO, Op.NEMESIS, f, v, null, null));
                continue;
            }
            long[] e = events.get((int) t[2]);
            int slot = (int) e[1];
            String f = fs[(int) e[4]];
            String key = "k" + e[5];
            if (t[1] == 0) {
                procOf[(int) t[2]] = processId[slot];
                Object value = f.equals("get") ? Arrays.asList(key, null) : List.of(key, "x" + e[6]);
                ops.add(new Op(
                        ops.size(), t[0], Op.Type.INVOKE, processId[slot], f, value, "n" + (slot % 5 + 1), null));
            } else {
                int process = procOf[(int) t[2]];
                Op.Type type = e[3] == 0 ? Op.Type.OK : e[3] == 1 ? Op.Type.FAIL : Op.Type.INFO;
                Object value;
                if (f.equals("get")) value = List.of(key, type == Op.Type.OK ? state.getOrDefault(key, "") : "");
                else value = List.of(key, "x" + e[6]);
                if (type == Op.Type.OK && f.equals("put")) state.put(key, "x" + e[6]);
                if (type == Op.Type.OK && f.equals("append")) state.put(key, state.getOrDefault(key, "") + "x" + e[6]);
                if (f.equals("get") && type != Op.Type.OK) value = Arrays.asList(key, null);
                ops.add(new Op(
                        ops.size(),
                        t[0],
                        type,
                        process,
                        f,
                        value,
                        "n" + (slot % 5 + 1),
                        type == Op.Type.FAIL ? "not-leader" : type == Op.Type.INFO ? "timeout" : null));
                if (type == Op.Type.INFO) processId[slot] += processes;
            }
        }
        return new History(ops);
    }
}
