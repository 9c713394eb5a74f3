package io.omnitest.cli.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Checks Paxos' safety invariants on the protocol traces the OmniPaxos nodes write ({@code --trace};
 * the events are described in the node's {@code ProtocolTrace}), fetched into
 * {@code nodes/<node>/trace.jsonl}. A history shows a broken invariant only when a later fault
 * exposes it (a decision made one acknowledgement short is lost only if the right nodes then fail);
 * the trace shows it when it happens. The events of all nodes are merged in the order of their
 * timestamps, which come from one monotonic clock when the nodes share a kernel (the local
 * cluster); nodes on different machines (different boot ids) cannot be ordered: {@link #applies}
 * is then false, and a run reports no verdict of this check (the verdict of {@link #check} would be
 * unknown). Invariants, each a kind of violation:
 *
 * <ul>
 *   <li>{@code decided-without-majority}: a leader of ballot b decided index i before a majority
 *       of the nodes had had, on disk, a log of at least i entries accepted in round b (at any
 *       time before: a node may move on to a later round before the leader counts its answer); not
 *       judged in a cluster of one node, whose leader decides what it had on disk before it led;
 *   <li>{@code led-without-majority-promises}: a node took on its own ballot b as its accepted
 *       round (it began to lead) before a majority of the nodes, itself included, had had a promise
 *       of b or above on disk (a node may promise b and a higher ballot in one batch, whose fsync then
 *       shows the higher one; its promise of b still holds); not judged in a cluster of one node;
 *   <li>{@code promise-regressed}: a node's promise on disk went down (after a restart too);
 *   <li>{@code accepted-below-promise}: a node's log on disk grew in a round below the promise it
 *       had already made durable;
 *   <li>{@code accepted-lost}: a restarted node recovered a lower accepted round, or a shorter log
 *       in the same round, than it had made durable;
 *   <li>{@code read-ack-below-promise}: a node confirmed a leader read of a ballot below its promise;
 *   <li>{@code decided-outside-promised-round}: a node raised its decided index while its accepted
 *       round was not the ballot it had promised (it learns decisions only of the leader it
 *       follows, about a log that leader brought in line with its own).
 * </ul>
 *
 * Memory is bounded by the number of nodes (the traces are merged as streams); a line longer than
 * {@link #MAX_LINE} or one that is not an event makes the verdict unknown.
 */
public final class ProtocolTraceCheck {
    public static final String NAME = "protocol-trace";
    /** The trace's file name, on the node and in {@code nodes/<node>/}. */
    public static final String FILE = "trace.jsonl";

    static final int MAX_LINE = 4096;
    static final int EXAMPLES = 5;

    private static final ObjectMapper JSON = new ObjectMapper();

    private ProtocolTraceCheck() {}

    /** True if some node's trace was fetched into {@code nodesDir}. */
    public static boolean present(Path nodesDir) {
        return !traces(nodesDir).isEmpty();
    }

    /**
     * True if some node's trace was fetched and all traces begin on one machine (one boot id, so
     * one monotonic clock orders their events); false for nodes on several machines, and when
     * there is no trace. A trace whose first line cannot be read counts as applying: {@link #check}
     * then says what is wrong with it.
     */
    public static boolean applies(Path nodesDir) {
        List<Path> files = traces(nodesDir);
        java.util.Set<String> boots = new java.util.HashSet<>();
        for (Path f : files) {
            try (BufferedReader in = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                String first = in.readLine();
                if (first == null || first.length() > MAX_LINE) continue;
                JsonNode e = JSON.readTree(first);
                if (e != null && "start".equals(e.path("ev").asText()))
                    boots.add(e.path("boot").asText("unknown"));
            } catch (IOException | RuntimeException e) {
                // check() reports it
            }
        }
        return !files.isEmpty() && boots.size() <= 1 && !boots.contains("unknown");
    }

    private static List<Path> traces(Path nodesDir) {
        if (!Files.isDirectory(nodesDir)) return List.of();
        try (Stream<Path> nodes = Files.list(nodesDir)) {
            return nodes.map(n -> n.resolve(FILE))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The verdict over the traces in {@code nodesDir/<node>/trace.jsonl}. */
    public static Result check(Path nodesDir) {
        List<Path> files = traces(nodesDir);
        if (files.isEmpty()) return Result.unknown("no protocol traces were collected");
        List<Reader> readers = new ArrayList<>();
        try {
            for (Path f : files)
                readers.add(new Reader(f.getParent().getFileName().toString(), f));
            return new Replay(readers).run();
        } catch (IOException | IllegalArgumentException e) {
            return Result.unknown("cannot read the protocol traces: " + e.getMessage());
        } finally {
            for (Reader r : readers) r.close();
        }
    }

    /** One event: its node's directory name, the parsed line, its timestamp. */
    private record Event(String node, JsonNode e, long t) {}

    /** One node's trace, read one event ahead. */
    private static final class Reader {
        final String node;
        final BufferedReader in;
        long line;
        Event next;

        Reader(String node, Path file) throws IOException {
            this.node = node;
            this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            advance();
        }

        void advance() throws IOException {
            next = null;
            String s;
            while ((s = in.readLine()) != null) {
                line++;
                if (s.isBlank()) continue;
                if (s.length() > MAX_LINE)
                    throw new IllegalArgumentException(node + "/" + FILE + ":" + line + " is longer than " + MAX_LINE);
                JsonNode e;
                try {
                    e = JSON.readTree(s);
                } catch (IOException bad) {
                    throw new IllegalArgumentException(node + "/" + FILE + ":" + line + " is not JSON");
                }
                if (e == null || !e.path("ev").isTextual() || !e.path("t").canConvertToLong())
                    throw new IllegalArgumentException(node + "/" + FILE + ":" + line + " is not a trace event");
                next = new Event(node, e, e.get("t").asLong());
                return;
            }
        }

        void close() {
            try {
                in.close();
            } catch (IOException ignored) {
                // read-only
            }
        }
    }

    /** What a node has on disk, as its trace last said. */
    private record OnDisk(long[] promise, long[] round, long len) {}

    /** The merge of all traces in timestamp order, and the invariants checked on it. */
    private static final class Replay {
        final PriorityQueue<Reader> queue = new PriorityQueue<>(
                Comparator.comparingLong((Reader r) -> r.next.t()).thenComparing(r -> r.node));
        final Map<String, OnDisk> disk = new TreeMap<>();
        /** Per node, per accepted round ({@link #show}n), the longest log it had on disk in that round. */
        final Map<String, Map<String, Long>> longest = new TreeMap<>();
        /** Per node, the highest promise it had on disk. */
        final Map<String, long[]> highestPromise = new TreeMap<>();

        final Map<String, Long> ids = new TreeMap<>();
        final Map<String, Long> violations = new LinkedHashMap<>();
        final List<String> examples = new ArrayList<>();
        long clusterSize = -1;
        String boot;
        long origin = Long.MIN_VALUE;
        long decisions, durables, readAcks, restarts, learned;
        String stoppedAt;

        Replay(List<Reader> readers) {
            for (Reader r : readers) {
                if (r.next == null) throw new IllegalArgumentException("the trace of " + r.node + " is empty");
                if (!"start".equals(r.next.e().path("ev").asText()))
                    throw new IllegalArgumentException("the trace of " + r.node + " does not begin with a start event");
                queue.add(r);
            }
        }

        Result run() throws IOException {
            while (!queue.isEmpty()) {
                Reader r = queue.poll();
                Event ev = r.next;
                if (origin == Long.MIN_VALUE) origin = ev.t();
                if (!apply(ev)) break;
                r.advance();
                if (r.next != null) queue.add(r);
            }
            if (boot == null) return Result.unknown("no node started");
            if ("unknown".equals(boot))
                return Result.unknown(
                        "the nodes ran on different machines (or gave no boot id): their events cannot be ordered");
            if (ids.size() < clusterSize) {
                return Result.unknown("traces of " + ids.size() + " of the " + clusterSize
                        + " nodes only: a decision cannot be checked against nodes whose disk is unknown");
            }
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("nodes", ids.size());
            details.put("decisions", decisions);
            details.put("durable-events", durables);
            details.put("read-acks", readAcks);
            details.put("learned", learned);
            details.put("restarts", restarts);
            details.put("violations", violations);
            details.put("examples", examples);
            if (stoppedAt != null) details.put("stopped", stoppedAt);
            if (!violations.isEmpty()) {
                long total =
                        violations.values().stream().mapToLong(Long::longValue).sum();
                return new Result(
                        Validity.FALSE,
                        total + " violation(s) of Paxos' invariants in the protocol traces, first: " + examples.get(0),
                        details);
            }
            return new Result(
                    Validity.TRUE,
                    String.format(
                            Locale.ROOT,
                            "Paxos' invariants held over %d decisions, %d fsyncs, %d read confirmations and %d restarts"
                                    + " of %d nodes%s",
                            decisions,
                            durables,
                            readAcks,
                            restarts,
                            ids.size(),
                            stoppedAt == null ? "" : " (checked until " + stoppedAt + ")"),
                    details);
        }

        /** Applies one event; false once the check must stop (a trace reached its cap). */
        boolean apply(Event ev) {
            JsonNode e = ev.e();
            String node = ev.node();
            switch (e.path("ev").asText()) {
                case "start" -> start(node, e, ev.t());
                case "durable" -> {
                    durables++;
                    OnDisk now = state(e);
                    OnDisk before = disk.get(node);
                    held(node, now); // its own promise counts for the round it begins to lead
                    if (before != null && compare(now.round(), before.round()) != 0) leads(node, now.round(), ev.t());
                    if (before != null) {
                        if (compare(now.promise(), before.promise()) < 0)
                            violation(
                                    "promise-regressed",
                                    node,
                                    ev.t(),
                                    "promise " + show(now.promise()) + " made durable after " + show(before.promise()));
                        if (compare(now.round(), before.round()) == 0
                                && now.len() > before.len()
                                && compare(before.promise(), before.round()) > 0)
                            violation(
                                    "accepted-below-promise",
                                    node,
                                    ev.t(),
                                    "log grew from " + before.len() + " to "
                                            + now.len() + " entries in round " + show(now.round())
                                            + " after promise " + show(before.promise()) + " was durable");
                    }
                }
                case "decided" -> decided(node, e, ev.t());
                case "read-ack" -> {
                    readAcks++;
                    long[] ballot = ballot(e, "ballot");
                    long[] promise = ballot(e, "promise");
                    if (compare(promise, ballot) > 0)
                        violation(
                                "read-ack-below-promise",
                                node,
                                ev.t(),
                                "confirmed a read of leader ballot " + show(ballot) + " while its promise was "
                                        + show(promise));
                }
                case "learned" -> {
                    learned++;
                    long[] promise = ballot(e, "promise");
                    long[] round = ballot(e, "round");
                    if (compare(promise, round) != 0)
                        violation(
                                "decided-outside-promised-round",
                                node,
                                ev.t(),
                                "raised its decided index to "
                                        + e.path("idx").asLong() + " in round " + show(round)
                                        + " while its promise was "
                                        + show(promise));
                }
                case "full" -> {
                    stoppedAt = node + "'s trace reached its size cap at " + seconds(ev.t());
                    return false;
                }
                default ->
                    throw new IllegalArgumentException(
                            "unknown event \"" + e.path("ev").asText() + "\" in the trace of " + node);
            }
            return true;
        }

        void start(String node, JsonNode e, long t) {
            long id = e.path("node").asLong(-1);
            long size = e.path("nodes").asLong(-1);
            String b = e.path("boot").asText("unknown");
            if (id < 0 || size < 1)
                throw new IllegalArgumentException("a start event of " + node + " lacks node or nodes");
            if (clusterSize >= 0 && size != clusterSize)
                throw new IllegalArgumentException(
                        node + " started in a cluster of " + size + ", others of " + clusterSize);
            clusterSize = size;
            if (boot == null) boot = b;
            else if (!boot.equals(b)) boot = "unknown";
            Long known = ids.putIfAbsent(node, id);
            if (known != null && known != id)
                throw new IllegalArgumentException(node + " started as node " + known + " and as node " + id);
            OnDisk now = state(e);
            OnDisk before = disk.get(node);
            if (before != null) {
                restarts++;
                if (compare(now.promise(), before.promise()) < 0)
                    violation(
                            "promise-regressed",
                            node,
                            t,
                            "restarted with promise " + show(now.promise()) + " below its durable "
                                    + show(before.promise()));
                int round = compare(now.round(), before.round());
                if (round < 0 || (round == 0 && now.len() < before.len()))
                    violation(
                            "accepted-lost",
                            node,
                            t,
                            "restarted with " + now.len() + " entries of round "
                                    + show(now.round()) + " after " + before.len() + " of round " + show(before.round())
                                    + " were durable");
            }
            held(node, now);
        }

        /** Records {@code now} as the node's disk, what it held in its round and the promise it had made. */
        void held(String node, OnDisk now) {
            disk.put(node, now);
            longest.computeIfAbsent(node, n -> new TreeMap<>()).merge(show(now.round()), now.len(), Math::max);
            highestPromise.merge(node, now.promise(), (a, b) -> compare(a, b) >= 0 ? a : b);
        }

        /** The node's accepted round became {@code round}: if that is its own ballot, it now leads with it. */
        void leads(String node, long[] round, long t) {
            Long id = ids.get(node);
            if (id == null || round[2] != id || clusterSize == 1) return;
            List<String> promisers = new ArrayList<>();
            highestPromise.forEach((n, p) -> {
                if (compare(p, round) >= 0) promisers.add(n);
            });
            long majority = clusterSize / 2 + 1;
            if (promisers.size() < majority)
                violation(
                        "led-without-majority-promises",
                        node,
                        t,
                        "began to lead with its ballot " + show(round)
                                + " while only " + String.join(", ", promisers)
                                + " had promised it or above on disk (a majority is "
                                + majority + ")");
        }

        void decided(String node, JsonNode e, long t) {
            decisions++;
            if (clusterSize == 1) return; // its own disk is the majority, whichever round it wrote
            long[] b = ballot(e, "ballot");
            long idx = e.path("idx").asLong();
            List<String> holders = new ArrayList<>();
            String round = show(b);
            longest.forEach((n, rounds) -> {
                if (rounds.getOrDefault(round, -1L) >= idx) holders.add(n);
            });
            long majority = clusterSize / 2 + 1;
            if (holders.size() < majority)
                violation(
                        "decided-without-majority",
                        node,
                        t,
                        "decided index " + idx + " as leader of "
                                + show(b) + " while "
                                + (holders.isEmpty() ? "no node" : "only " + String.join(", ", holders))
                                + " had had it on disk in that round (a majority is " + majority + ")");
        }

        void violation(String kind, String node, long t, String what) {
            violations.merge(kind, 1L, Long::sum);
            if (examples.size() < EXAMPLES) examples.add(kind + ": " + node + " at " + seconds(t) + " " + what);
        }

        String seconds(long t) {
            return String.format(Locale.ROOT, "%.3f s", (t - origin) / 1e9);
        }

        static OnDisk state(JsonNode e) {
            if (!e.path("len").canConvertToLong()) throw new IllegalArgumentException("an event lacks len: " + e);
            return new OnDisk(
                    ballot(e, "promise"), ballot(e, "round"), e.get("len").asLong());
        }

        static long[] ballot(JsonNode e, String field) {
            JsonNode b = e.path(field);
            if (!b.isArray() || b.size() != 3) throw new IllegalArgumentException("an event lacks " + field + ": " + e);
            return new long[] {b.get(0).asLong(), b.get(1).asLong(), b.get(2).asLong()};
        }

        static int compare(long[] a, long[] b) {
            for (int i = 0; i < 3; i++) if (a[i] != b[i]) return Long.compare(a[i], b[i]);
            return 0;
        }

        static String show(long[] b) {
            return "(" + b[0] + "," + b[1] + "," + b[2] + ")";
        }
    }
}
