package io.omnitest.cli.campaign;

import io.omnitest.nuke.Figure8Nemesis;
import io.omnitest.nuke.Nemeses;
import io.omnitest.sut.core.Bug;
import io.omnitest.sut.log.ProtocolBugs;
import io.omnitest.sut.multipaxos.MultiPaxosBug;
import io.omnitest.sut.raft.RaftBug;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Which runs a campaign makes: cells of SUT (a bug, or the correct SUT) × workload × nemesis ×
 * timing, each run with several seeds. Pure: the default matrix and the user's product are
 * values, expanded into runs by {@link #runs}.
 *
 * <p>The default matrix names, for each bug, the combinations that catch it (found by running
 * them; see {@link #CATCHERS}), and for the correct SUT every nemesis under both workloads.
 */
public final class CampaignPlan {
    /** Seeds per cell of a buggy SUT in the default matrix: the "9 of 10 seeded runs". */
    public static final int BUG_SEEDS = 10;
    /** Seeds per cell of the correct SUT in the default matrix (every nemesis × both workloads). */
    public static final int CORRECT_SEEDS = 1;
    /** Timing of cells the user names: seconds of each fault and gap, and of the main phase. */
    public static final double DEFAULT_INTERVAL = 5, DEFAULT_TIME_LIMIT = 20;
    /**
     * Timing of the correct SUT's cells: two fault windows of 8 s, longer than the liveness
     * threshold, so that the {@link Outage} criterion could trip in every window.
     */
    public static final double CORRECT_INTERVAL = 8, CORRECT_TIME_LIMIT = 32;
    /** The workloads the correct OmniPaxos node runs in the default matrix. */
    public static final List<String> CORRECT_WORKLOADS = List.of("kv", "list-append");

    /**
     * One cell of the matrix.
     *
     * @param bug       the SUT's bug (its {@code --bug} name, of any protocol), or null for the correct SUT
     * @param workload  {@code kv} or {@code list-append}
     * @param nemeses   the run's nemeses (taken in turn), empty for none
     * @param interval  seconds of each fault window and each healthy gap
     * @param timeLimit seconds of the main phase
     * @param seeds     how many runs, seeds {@code firstSeed, firstSeed+1, ...}
     * @param system    the system ({@code --system}), or null for the campaign's own {@code --system}
     * @param options   the system's options for this cell ({@code --system-option}), added to the campaign's
     * @param weakened  true when {@code options} configure the system to allow anomalies (e.g. etcd's
     *                  serializable reads): the cell is then judged like a bug, which must be caught
     * @param blind     a cell of {@code campaign --blind}: its bug runs under a general fault mix, seed after
     *                  seed until the first catch, at most {@code seeds} runs; {@code workload} may name several
     *                  ({@code kv+list-append}), which the runs take in turn
     */
    public record Cell(
            String bug,
            String workload,
            List<String> nemeses,
            double interval,
            double timeLimit,
            int seeds,
            String system,
            Map<String, String> options,
            boolean weakened,
            boolean blind) {
        public Cell {
            nemeses = List.copyOf(nemeses);
            options = Map.copyOf(options);
            if (seeds < 1) throw new IllegalArgumentException("a cell needs at least one seed");
            if (bug != null && ProtocolBugs.protocolOf(bug) == null)
                throw new IllegalArgumentException("unknown bug '" + bug + "'");
        }

        /** A cell of the usual matrix (not blind). */
        public Cell(
                String bug,
                String workload,
                List<String> nemeses,
                double interval,
                double timeLimit,
                int seeds,
                String system,
                Map<String, String> options,
                boolean weakened) {
            this(bug, workload, nemeses, interval, timeLimit, seeds, system, options, weakened, false);
        }

        /** The workload of the cell's run number {@code i} (from 0): a blind cell's workloads in turn. */
        public String workloadOf(int i) {
            String[] ws = workload.split("\\+");
            return ws[Math.floorMod(i, ws.length)];
        }

        /** A cell of the campaign's own system, with its options; a Raft or Multi-Paxos bug's cell selects its protocol. */
        public Cell(String bug, String workload, List<String> nemeses, double interval, double timeLimit, int seeds) {
            this(bug, workload, nemeses, interval, timeLimit, seeds, null, protocolOf(bug), false);
        }

        /** The correct system: no bug, no option that allows anomalies. */
        public boolean correct() {
            return bug == null && !weakened;
        }

        /** {@code correct}, the bug's name, or the weakening options ({@code serializable-reads=true}). */
        public String sut() {
            if (bug != null) return bug;
            if (!weakened) return options.isEmpty() ? "correct" : "correct " + optionWords();
            return optionWords();
        }

        /** The options without their system's prefix, sorted: {@code election-timeout-ms=500,protocol=raft}. */
        private String optionWords() {
            return String.join(
                    ",",
                    new java.util.TreeMap<>(options)
                            .entrySet().stream()
                                    .map(e -> e.getKey().replaceFirst("^[^.]*\\.", "") + "=" + e.getValue())
                                    .toList());
        }

        /** How the table names the SUT: the system (when it is not the default) and {@link #sut()}. */
        public String label() {
            return system == null ? sut() : system + " " + sut();
        }

        /** {@code a+b}, or {@code none}. */
        public String nemesis() {
            return nemeses.isEmpty() ? "none" : String.join("+", nemeses);
        }

        public Cell withSeeds(int n) {
            return new Cell(bug, workload, nemeses, interval, timeLimit, n, system, options, weakened, blind);
        }

        public Cell withTiming(Double newInterval, Double newTimeLimit) {
            return new Cell(
                    bug,
                    workload,
                    nemeses,
                    newInterval != null ? newInterval : interval,
                    newTimeLimit != null ? newTimeLimit : timeLimit,
                    seeds,
                    system,
                    options,
                    weakened,
                    blind);
        }
    }

    /** The system option that selects {@code bug}'s protocol when it is not OmniPaxos; none for OmniPaxos' bugs and the correct SUT. */
    static Map<String, String> protocolOf(String bug) {
        String protocol = bug == null ? null : ProtocolBugs.protocolOf(bug);
        return protocol == null ? Map.of() : protocolOptions(protocol);
    }

    /** One run of a cell. */
    public record Run(Cell cell, long seed) {}

    /**
     * The combinations that catch each bug (workload, nemesis, interval, time limit), the reason
     * in a line each. Measured on the 5-node local cluster; the full campaign's table in the
     * README shows how often each catches.
     */
    static final Map<String, Cell> CATCHERS = catchers();

    private static Map<String, Cell> catchers() {
        Map<String, Cell> m = new LinkedHashMap<>();
        // A node cut off from the majority keeps answering gets from its frozen state.
        put(m, new Cell(Bug.STALE_READ.cliName(), "kv", List.of("partition-isolate"), 5, 20, BUG_SEEDS));
        // Lost packets between nodes make requests time out after their command was proposed;
        // the client's retry (same client id and sequence number) executes it a second time.
        put(m, new Cell(Bug.NO_DEDUP.cliName(), "list-append", List.of("packet-loss"), 5, 20, BUG_SEEDS));
        // One node of the bare majority that elected a new leader is killed, loses what it did not
        // fsync and restarts on the deposed leader's side, now the majority: the only copy there of
        // what the new leader decided is gone. (kill-all catches it too, by losing every copy.)
        put(
                m,
                new Cell(
                        Bug.NO_FSYNC.cliName(),
                        "kv",
                        List.of("partition-leader-flip", "lose-unfsynced"),
                        8,
                        32,
                        BUG_SEEDS));
        // An isolated leader acknowledges writes that the majority never decides.
        put(m, new Cell(Bug.EARLY_ACK.cliName(), "kv", List.of("partition-leader"), 5, 20, BUG_SEEDS));
        // A follower that forgot promising the new leader restarts next to the deposed one and accepts its old ballot.
        put(m, new Cell(Bug.FORGET_PROMISE.cliName(), "kv", List.of("partition-leader-flip"), 8, 32, BUG_SEEDS));
        // Without quorum-connectivity, the leaf leader keeps its ballot and no one can take over
        // (liveness). Windows of 12 s: longer than the outage threshold (8 s), so the whole window
        // without an ok operation stands out from the client's own timeouts.
        put(m, new Cell(Bug.BLE_NO_QUORUM_CHECK.cliName(), "kv", List.of("partition-quorum-loss"), 12, 36, BUG_SEEDS));
        // A deposed leader keeps the entries only it accepted, as the next leader does not truncate
        // them; once it leads again (the highest id often does), its state lacks decided writes.
        // Many short windows give it that chance; the whole lists Elle reads show what is missing.
        put(m, new Cell(Bug.SKIP_ACCEPT_SYNC.cliName(), "list-append", List.of("partition-leader"), 3, 30, BUG_SEEDS));
        // Raft without the up-to-date-log check in RequestVote: a node cut off from the others keeps
        // starting elections; once it is back, its high term wins the votes of nodes whose logs are
        // longer, and as leader it overwrites entries they had committed. Only a follower cut off does
        // that (a cut-off leader comes back behind), so the cell gives each run five windows: with two
        // (5 s / 20 s) it caught 8 of 10.
        put(
                m,
                new Cell(
                        RaftBug.VOTE_WITHOUT_LOG_CHECK.cliName(),
                        "kv",
                        List.of("partition-isolate"),
                        3,
                        30,
                        BUG_SEEDS));
        // Raft committing an entry of an earlier term by counting replicas: partition-figure8 plays the
        // paper's Figure 8 (three leader changes in that order); the leader elected third copies the
        // first one's entries to a majority and commits them before its own term has an entry, and the
        // second, back with a later term, overwrites them. Before the nemesis held the clients back
        // between its two short client windows, a window caught it only when the clients were still
        // waiting on the cut-off second leader as the third was elected: with two windows a run
        // (8 s / 32 s) 6 of 10 runs caught it, hence four; held, 8 of 8 single windows did
        // (2026-12-04). Correct Raft stayed valid under it. No
        // general fault caught it (2026-12-03: 3 runs with partition-leader, 6 with 2 s windows of
        // three other faults).
        put(m, new Cell(RaftBug.COMMIT_PREVIOUS_TERM.cliName(), "kv", List.of(Figure8Nemesis.NAME), 6, 48, BUG_SEEDS));
        // Multi-Paxos taking over without phase 1: the new leader proposes in slots whose values the
        // old one had already chosen.
        put(
                m,
                new Cell(
                        MultiPaxosBug.SKIP_PHASE1_ON_TAKEOVER.cliName(),
                        "kv",
                        List.of("partition-leader"),
                        5,
                        20,
                        BUG_SEEDS));
        // Multi-Paxos collecting slots a majority executed: a node that was down misses them for good.
        put(m, new Cell(MultiPaxosBug.GC_NOT_EXECUTED_EVERYWHERE.cliName(), "kv", List.of("kill"), 5, 20, BUG_SEEDS));
        return m;
    }

    private static void put(Map<String, Cell> m, Cell c) {
        m.put(c.bug(), c);
    }

    private CampaignPlan() {}

    /** The cell that catches {@code bug} in the default matrix. */
    public static Cell catcher(String bug) {
        return CATCHERS.get(bug);
    }

    /**
     * The default matrix for the chosen SUTs: each bug's catcher, then (with {@code correct}) the
     * correct SUT under every nemesis with each workload.
     */
    public static List<Cell> defaults(Set<String> bugs, boolean correct) {
        List<Cell> cells = new ArrayList<>();
        for (String b : ProtocolBugs.names()) if (bugs.contains(b)) cells.add(CATCHERS.get(b));
        if (correct) {
            for (String workload : CORRECT_WORKLOADS) {
                for (Nemeses.Spec n : Nemeses.all()) {
                    cells.add(new Cell(
                            null, workload, List.of(n.name()), CORRECT_INTERVAL, CORRECT_TIME_LIMIT, CORRECT_SEEDS));
                }
            }
        }
        return cells;
    }

    /**
     * The etcd rows ({@code campaign --system etcd}): serializable reads, which etcd serves from a
     * member's local state, must show stale reads under a partition in 9 of 10 runs; with the
     * default linearizable reads, etcd must be valid under every nemesis, with each workload.
     */
    public static List<Cell> etcd() {
        List<Cell> cells = new ArrayList<>();
        // a member cut off from the majority keeps answering serializable reads from its frozen state
        cells.add(new Cell(
                null,
                "register",
                List.of("partition-random-halves"),
                5,
                20,
                BUG_SEEDS,
                "etcd",
                Map.of("etcd.serializable-reads", "true"),
                true));
        for (String workload : List.of("register", "list-append")) {
            for (Nemeses.Spec n : Nemeses.all()) {
                cells.add(new Cell(
                        null,
                        workload,
                        List.of(n.name()),
                        CORRECT_INTERVAL,
                        CORRECT_TIME_LIMIT,
                        CORRECT_SEEDS,
                        "etcd",
                        Map.of(),
                        false));
            }
        }
        return cells;
    }

    /**
     * The product the user asked for: every chosen SUT × workload × nemesis, with the default timing.
     * {@code workloads} gives each SUT's workloads: a bug's name, or null for the correct SUT.
     */
    public static List<Cell> product(
            Set<String> bugs,
            boolean correct,
            Function<String, List<String>> workloads,
            List<List<String>> nemeses,
            int bugSeeds,
            int correctSeeds) {
        List<Cell> cells = new ArrayList<>();
        List<String> suts = new ArrayList<>();
        for (String b : ProtocolBugs.names()) if (bugs.contains(b)) suts.add(b);
        if (correct) suts.add(null);
        for (String b : suts) {
            for (String w : workloads.apply(b)) {
                for (List<String> n : nemeses) {
                    cells.add(new Cell(
                            b, w, n, DEFAULT_INTERVAL, DEFAULT_TIME_LIMIT, b == null ? correctSeeds : bugSeeds));
                }
            }
        }
        return cells;
    }

    /** Blind mode's caps: at most this many runs per bug, of this many seconds, under a mix of this mean interval. */
    public static final int BLIND_RUNS = 3;

    public static final double BLIND_TIME_LIMIT = 60, BLIND_INTERVAL = 5;
    /**
     * Blind mode's workloads, taken in turn by a bug's runs: what a user without knowledge of the
     * bug would run, i.e. a plain run's default, kv and list-append side by side in every run.
     */
    public static final List<String> BLIND_WORKLOADS =
            List.of(String.join(",", io.omnitest.cli.run.workload.Workloads.DEFAULT_PARTS));

    /**
     * {@code campaign --blind}: every chosen bug under the same fault mix, with the same workloads
     * in turn, at most {@code runs} runs each; a bug's runs stop at its first catch. The plan opens
     * with a baseline per protocol among the bugs (and OmniPaxos' when {@code correct}): the correct
     * SUT of that protocol under the same mix, every seed. A bug run's finding is a catch only when
     * its protocol's baseline with the same seed and workload passed the same checker
     * ({@link Judgement#against}): the mix alone can make a protocol lose liveness (Raft's
     * constrained election), and that is no sign of the bug.
     */
    public static List<Cell> blind(
            Set<String> bugs,
            boolean correct,
            List<String> workloads,
            String mix,
            double interval,
            double timeLimit,
            int runs) {
        String w = String.join("+", workloads);
        Set<String> protocols = new java.util.LinkedHashSet<>();
        if (correct) protocols.add("omnipaxos");
        List<Cell> bugCells = new ArrayList<>();
        for (String b : ProtocolBugs.names()) {
            if (!bugs.contains(b)) continue;
            protocols.add(ProtocolBugs.protocolOf(b));
            bugCells.add(new Cell(b, w, List.of(mix), interval, timeLimit, runs, null, protocolOf(b), false, true));
        }
        List<Cell> cells = new ArrayList<>();
        for (String p : ProtocolBugs.protocols()) {
            if (protocols.contains(p))
                cells.add(new Cell(
                        null, w, List.of(mix), interval, timeLimit, runs, null, protocolOptions(p), false, true));
        }
        cells.addAll(bugCells);
        return cells;
    }

    /** The system option that selects {@code protocol}; none for OmniPaxos, the default. */
    static Map<String, String> protocolOptions(String protocol) {
        return protocol.equals("omnipaxos") ? Map.of() : Map.of("omnipaxos.protocol", protocol);
    }

    /**
     * A blind bug cell's baseline in {@code cells}: the blind correct cell of the bug's protocol
     * and system, with the same mix, workloads and timing; null when the plan has none.
     */
    public static Cell baselineOf(Cell bugCell, List<Cell> cells) {
        if (!bugCell.blind() || bugCell.correct()) return null;
        for (Cell c : cells) {
            if (c.blind()
                    && c.correct()
                    && java.util.Objects.equals(c.system(), bugCell.system())
                    && c.options().equals(protocolOf(bugCell.bug()))
                    && c.workload().equals(bugCell.workload())
                    && c.nemeses().equals(bugCell.nemeses())
                    && c.interval() == bugCell.interval()
                    && c.timeLimit() == bugCell.timeLimit()) return c;
        }
        return null;
    }

    /** Every run, cell by cell, seeds {@code firstSeed .. firstSeed + seeds - 1}. */
    public static List<Run> runs(List<Cell> cells, long firstSeed) {
        List<Run> runs = new ArrayList<>();
        for (Cell c : cells) {
            for (int i = 0; i < c.seeds(); i++) runs.add(new Run(c, firstSeed + i));
        }
        return runs;
    }
}
