package io.omnitest.cli.run;

import io.omnitest.cli.faults.FaultDeployment;
import io.omnitest.nuke.Nemeses;
import io.omnitest.nuke.Nemesis;
import io.omnitest.nuke.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The mixed schedules of issue 14: {@code --nemesis all}, every fault the system and this machine
 * support in a seeded random mix ({@link NemesisSchedule#mix}), and {@code --nemesis general}, the
 * same without the clock faults, which {@code omnitest run} injects when {@code --nemesis} is not
 * given. Faults that need optional OS support join only when it is there: the disk faults need the
 * fault filesystem ({@code faultfs/target/omnitest-faultfs.jar}, {@code /dev/fuse}, fusermount and
 * libfuse2), the clock faults libfaketime; on {@code --hosts} hosts, which omnitest cannot inspect
 * before deploying, both need {@code --install-deps}. A fault whose nemesis the system cannot carry
 * out (e.g. a disk fault on etcd, which does not run on the fault filesystem) is left out when its
 * set-up refuses. Every left-out fault is named with its reason, on stderr and in test.json.
 */
public final class NemesisMix {
    /** Every fault available. */
    public static final String ALL = "all";
    /** {@link #ALL} without the clock faults: the default of {@code omnitest run}. */
    public static final String GENERAL = "general";

    public static final Set<String> NAMES = Set.of(ALL, GENERAL);

    static final Set<String> DISK = Set.of("lose-unfsynced", "disk-error", "disk-full", "slow-disk");
    static final Set<String> CLOCK = Set.of("clock-skew", "clock-jump", "clock-strobe");
    /**
     * Nemeses no mix deals: {@code partition-leader-churn} caught none of the four consensus
     * mutants a plain run misses (3 runs each, DEVELOPMENT.md "Measure bug-finding power"), so it would only take windows
     * from faults that catch bugs; it stays available by name.
     */
    static final Set<String> NOT_MIXED = Set.of("partition-leader-churn");
    /**
     * Node faults that leave every node up and reachable (slower fsyncs, a wrong wall clock): composed
     * with a network fault, they do not add to what it takes out of reach.
     */
    static final Set<String> LEAVE_NODES_UP = Set.of("slow-disk", "clock-skew", "clock-jump", "clock-strobe");

    /**
     * Whether a window's faults together may take a majority out of reach, beyond what each records
     * of itself: two faults that each take nodes down or away (a partition and a kill) may.
     */
    static boolean composedMayTakeMajority(NemesisSchedule.Window w) {
        return w.composed() && w.steps().stream().noneMatch(s -> LEAVE_NODES_UP.contains(s.nemesis()));
    }

    /** Network faults that share a window with a node fault; the others act alone. */
    private static final Set<String> NETWORK = Set.of(
            "partition-halves",
            "partition-random-halves",
            "partition-majorities-ring",
            "partition-bridge",
            "partition-isolate",
            "partition-leader",
            "partition-leader-minority",
            "partition-quorum-loss",
            "partition-constrained-election",
            "partition-chain",
            "packet-loss",
            "connection-reset",
            "slow-network",
            "partition-clients",
            "partition-leader-flip");
    /**
     * Faults that act alone: they take a majority down, or move processes and the network themselves,
     * or take seconds to start, or (the OmniPaxos paper's three partial-connectivity scenarios) are
     * there for their liveness verdict. A node fault beside a scenario may take a majority out of
     * reach ({@link #composedMayTakeMajority}), and then no outage in that window counts: a leader
     * election that deadlocks under the scenario went unjudged (blind mode missed
     * {@code ble-no-quorum-check} in 3 of 3 runs of {@code --nemesis all} when its one chained
     * partition shared its window with a kill). {@code partition-clients} already takes the cluster
     * out of the clients' reach, and a node fault beside it undoes it when it hits the cut leader
     * (a kill resets the connections whose requests were to arrive late). {@code
     * partition-leader-minority} needs its two sides whole: a deposed leader that still reaches a
     * follower, and a majority alive to elect and write meanwhile (in the runs that missed the
     * stale-read mutants before it existed, the windows that left a leader with one follower shared
     * them with a kill or a pause that took one side or the other away).
     */
    private static final Set<String> ALONE = Set.of(
            "partition-clients",
            "partition-leader-minority",
            "partition-leader-flip",
            "partition-figure8",
            "kill-majority",
            "kill-all",
            "clock-strobe",
            "partition-quorum-loss",
            "partition-constrained-election",
            "partition-chain");
    /**
     * Shortest windows, in seconds: the flip waits 20 election timeouts (4 s) for a new leader
     * before it flips, Figure 8 up to 10 for each of its two elections and then needs the cut-off
     * leader re-elected before the heal, and the paper's scenarios need the quorum-connected server to take over
     * (several election timeouts plus the clients' 2 s request timeout) before the heal, and a
     * system that never recovers there must be seen without ok operations for longer than the
     * campaign's outage threshold (8 s, the client's timeouts), so they get 12 s; the strobe flips
     * the clock for 5 s within its start; a client cut off from the leader must time out (3 s), back
     * off (up to 1.5 s) and retry over another connection while its first request still waits in
     * the cut one, so {@code partition-clients} gets 6 s (a 2 s cut delivers the request late and
     * answers it on its first attempt, and a plain run with one caught nothing).
     */
    private static final Map<String, Double> MIN_SECONDS = Map.of(
            "partition-leader-flip",
            8.0,
            "partition-figure8",
            8.0,
            "partition-quorum-loss",
            12.0,
            "partition-constrained-election",
            12.0,
            "partition-chain",
            12.0,
            "clock-strobe",
            6.0,
            "partition-clients",
            6.0);

    /**
     * The families of faults, by the kind of trouble they make and so the kind of bug they bring out
     * (a fault not named here is a family of its own). A run of a mix deals one fault of each
     * family before a second of any ({@link NemesisSchedule#mix}): a leader cut off cleanly
     * (elections, log adoption, a deposed leader's late messages); connectivity that is not
     * transitive (the ring and the paper's scenarios: dueling candidates, ballot checks); messages
     * lost, reset or late (a lost accept, a reordered prepare); processes killed or paused (recovery
     * from the disk, promises kept); the clients' path (late duplicates of old requests: sessions);
     * the disk (fsync, lost writes); the clock; and a leader cut off together with followers, so
     * that a deposed leader still replicates to and reads through part of the cluster while the rest
     * elects and writes (stale reads confirmed by too few, divergent suffixes on followers). The flip
     * and Figure 8 also start so, but only until the majority elects (their point is what comes
     * after), so they stay with the clean cuts.
     */
    static final Map<String, String> FAMILY = Map.ofEntries(
            Map.entry("partition-halves", "leader-cut"),
            Map.entry("partition-random-halves", "leader-cut"),
            Map.entry("partition-isolate", "leader-cut"),
            Map.entry("partition-leader", "leader-cut"),
            Map.entry("partition-leader-flip", "leader-cut"),
            Map.entry("partition-leader-minority", "leader-with-followers"),
            Map.entry("partition-figure8", "leader-cut"),
            Map.entry("partition-leader-churn", "leader-cut"),
            Map.entry("partition-majorities-ring", "partial"),
            Map.entry("partition-bridge", "partial"),
            Map.entry("partition-quorum-loss", "partial"),
            Map.entry("partition-constrained-election", "partial"),
            Map.entry("partition-chain", "partial"),
            Map.entry("packet-loss", "messages"),
            Map.entry("connection-reset", "messages"),
            Map.entry("slow-network", "messages"),
            Map.entry("kill", "crash"),
            Map.entry("kill-leader", "crash"),
            Map.entry("kill-majority", "crash"),
            Map.entry("kill-all", "crash"),
            Map.entry("pause", "crash"),
            Map.entry("partition-clients", "clients"),
            Map.entry("lose-unfsynced", "disk"),
            Map.entry("disk-error", "disk"),
            Map.entry("disk-full", "disk"),
            Map.entry("slow-disk", "disk"),
            Map.entry("clock-skew", "clock"),
            Map.entry("clock-jump", "clock"),
            Map.entry("clock-strobe", "clock"));

    private NemesisMix() {}

    /** What this machine offers the optional faults: null when available, else why not. */
    public record Environment(String faultFs, String fakeClock) {
        /**
         * @param localCluster the local namespace cluster (its nodes share this machine's files)
         * @param installDeps  {@code --install-deps}: hosts get what the faults need
         */
        public static Environment detect(boolean localCluster, boolean installDeps) {
            String fs = FaultDeployment.locate().isEmpty()
                    ? FaultDeployment.RELATIVE + " is not built (mvn -pl faultfs package -DskipTests)"
                    : null;
            String clock = null;
            if (localCluster) {
                if (fs == null
                        && !(Files.exists(Path.of("/dev/fuse")) && onPath("fusermount") && libExists("libfuse.so.2"))) {
                    fs =
                            "FUSE is not usable here (needs /dev/fuse, fusermount and libfuse2: apt-get install libfuse2 fuse3)";
                }
                if (!libExists("faketime/libfaketimeMT.so.1"))
                    clock = "libfaketime is not installed (apt-get install faketime)";
            } else if (!installDeps) {
                if (fs == null) fs = "--hosts hosts get FUSE only with --install-deps";
                clock = "--hosts hosts get libfaketime only with --install-deps";
            }
            return new Environment(fs, clock);
        }

        private static boolean onPath(String tool) {
            for (String dir :
                    System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return true;
            }
            return false;
        }

        /** {@code /usr/lib/<any>/<rel>} exists. */
        private static boolean libExists(String rel) {
            try (var dirs = Files.list(Path.of("/usr/lib"))) {
                return dirs.anyMatch(d -> Files.exists(d.resolve(rel)));
            } catch (java.io.IOException | RuntimeException e) {
                return false;
            }
        }
    }

    /**
     * The faults of a mix, in {@code nemesis list} order, and those left out with the reason.
     *
     * @param nemeses the faults the run sets up
     * @param leftOut fault → why it is not in the mix
     */
    public record Selection(List<String> nemeses, Map<String, String> leftOut) {
        public Selection {
            nemeses = List.copyOf(nemeses);
            leftOut = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(leftOut));
        }
    }

    /** True when {@code nemeses} (a run's {@code --nemesis}) names a mix. */
    public static boolean isMix(List<String> nemeses) {
        return nemeses.size() == 1 && NAMES.contains(nemeses.get(0));
    }

    /**
     * Parses {@code --nemesis}: {@code none} (or blank) for no faults, {@code all} or
     * {@code general} for a mix, else a list of names.
     *
     * @throws IllegalArgumentException one sentence for an unknown name or a mix given with others
     */
    public static List<String> parse(String spec) {
        if (spec == null || spec.isBlank() || spec.strip().equals("none")) return List.of();
        List<String> parts = java.util.Arrays.stream(spec.split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
        if (parts.stream().anyMatch(NAMES::contains)) {
            if (parts.size() > 1) {
                throw new IllegalArgumentException("--nemesis " + String.join(" or ", new java.util.TreeSet<>(NAMES))
                        + " takes every fault already; give it alone.");
            }
            return List.of(parts.get(0));
        }
        return Nemeses.parse(spec);
    }

    /** The faults the mix {@code mix} takes in {@code env}, before the system's own set-up is asked. */
    public static Selection select(String mix, Environment env) {
        if (!NAMES.contains(mix)) throw new IllegalArgumentException("no nemesis mix " + mix);
        List<String> in = new ArrayList<>();
        Map<String, String> out = new LinkedHashMap<>();
        for (Nemeses.Spec s : Nemeses.all()) {
            String n = s.name();
            if (NOT_MIXED.contains(n)) {
                out.put(n, "not in the mixes: give it by name");
            } else if (CLOCK.contains(n) && mix.equals(GENERAL)) {
                out.put(
                        n,
                        "not in the general mix: it starts each node under libfaketime (LD_PRELOAD); --nemesis all has it");
            } else if (CLOCK.contains(n) && env.fakeClock() != null) {
                out.put(n, env.fakeClock());
            } else if (DISK.contains(n) && env.faultFs() != null) {
                out.put(n, env.faultFs());
            } else {
                in.add(n);
            }
        }
        return new Selection(in, out);
    }

    /** The faults to deploy for a run's {@code --nemesis}: a mix's selection, else the names as given. */
    public static List<String> deployed(List<String> nemeses, boolean localCluster, boolean installDeps) {
        return isMix(nemeses)
                ? select(nemeses.get(0), Environment.detect(localCluster, installDeps))
                        .nemeses()
                : nemeses;
    }

    /**
     * Sets up a mix's nemeses; one whose set-up refuses (the system cannot do it) leaves the mix,
     * with the reason put in {@code leftOut}. Returns those set up, in order.
     */
    static Map<String, Nemesis> setUp(Map<String, Nemesis> nemeses, Map<String, String> leftOut) {
        Map<String, Nemesis> ok = new LinkedHashMap<>();
        for (Map.Entry<String, Nemesis> e : nemeses.entrySet()) {
            try {
                e.getValue().setup();
                ok.put(e.getKey(), e.getValue());
            } catch (RuntimeException ex) {
                leftOut.put(e.getKey(), "the system cannot: " + ex.getMessage());
                try {
                    e.getValue().teardown();
                } catch (RuntimeException ignored) {
                    // it was never set up
                }
            }
        }
        return ok;
    }

    /** What {@link NemesisSchedule#mix} may draw for these set-up nemeses. */
    static Map<String, NemesisSchedule.Kind> kinds(Map<String, Nemesis> nemeses) {
        Map<String, NemesisSchedule.Kind> kinds = new LinkedHashMap<>();
        for (Map.Entry<String, Nemesis> e : nemeses.entrySet())
            kinds.put(e.getKey(), kind(e.getKey(), e.getValue().targets()));
        return kinds;
    }

    /** The schedule entry of the fault {@code name} whose nemesis accepts {@code targets}. */
    public static NemesisSchedule.Kind kind(String name, Set<Target> targets) {
        return new NemesisSchedule.Kind(
                targets.stream().map(Target::wire).collect(Collectors.toSet()),
                NETWORK.contains(name),
                !ALONE.contains(name),
                Math.round(MIN_SECONDS.getOrDefault(name, 0.0) * 1e9),
                FAMILY.getOrDefault(name, name));
    }

    /** The schedule as test.json records it: per window, its times in seconds and its faults. */
    static List<Map<String, Object>> toJson(List<NemesisSchedule.Window> windows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (NemesisSchedule.Window w : windows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("start-s", w.startNanos() / 1e9);
            m.put("end-s", w.endNanos() / 1e9);
            m.put(
                    "faults",
                    w.steps().stream().map(NemesisSchedule.Step::toString).toList());
            out.add(m);
        }
        return out;
    }
}
