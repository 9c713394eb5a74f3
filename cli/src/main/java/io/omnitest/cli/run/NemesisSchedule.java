package io.omnitest.cli.run;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * When the nemesis acts: a pure plan of fault windows over the main phase.
 *
 * <p>{@link #plan}: Jepsen's rhythm "fault for an interval, heal for an interval", starting healthy
 * so the cluster has a leader and a baseline before the first fault: healthy during
 * {@code [0, I)}, fault during {@code [I, 2I)}, healthy during {@code [2I, 3I)}, and so on.
 * With several nemeses the windows take them in turn (round robin, in the order given), so a
 * short run still exercises each one.
 *
 * <p>{@link #mix}: {@code --nemesis all} (issue 14), a seeded random schedule: healthy gaps and
 * fault lengths drawn from exponential distributions of mean I, the nemeses dealt from a shuffled
 * deck (each once before any repeats), each fault aimed at a random role its nemesis accepts
 * (leader, followers, the clients' nodes, a minority or a majority), and some windows composed of
 * a network fault and a node fault at once. The same seed gives the same plan.
 *
 * <p>One run deals only a few of the faults (about one per 2I: 6 of 24 in 60 s at I = 5 s), and a
 * bug may need one fault in particular. So consecutive seeds share the deck: seeds 1 to k, where k
 * runs together deal every fault once ({@link #cardsPerRun}), deal consecutive stretches of one
 * shuffled deck, seed 1 from its top, seed 2 from where seed 1 stops, and so on; seeds k + 1 to 2k
 * share the next deck. A campaign's runs (seeds 1, 2, 3, ...) and a CI loop over seeds thus meet
 * nearly every fault within k runs, where independent decks would leave about a third of them out
 * after three runs. Timing, targets and the composed faults are drawn per seed.
 *
 * <p>A window never extends past the time limit; everything is healed when the main phase ends.
 * A mixed window starts only if the time left holds the shortest window its fault can act in
 * ({@link #shortest}); a fault the end of the run is too close for gives its turn to one that fits.
 */
public final class NemesisSchedule {
    /**
     * One fault of a window.
     *
     * @param nemesis the nemesis name
     * @param target  the {@link io.omnitest.nuke.Target} role it hits ({@code leader}, ...), or null for the nemesis's own choice
     */
    public record Step(String nemesis, String target) {
        @Override
        public String toString() {
            return target == null ? nemesis : nemesis + "@" + target;
        }
    }

    /**
     * One fault window: its steps start in order at its start and heal in reverse order at its end.
     *
     * @param startNanos when the faults start, nanoseconds since the test started
     * @param endNanos   when they are healed
     * @param steps      the faults, at least one
     */
    public record Window(long startNanos, long endNanos, List<Step> steps) {
        public Window {
            steps = List.copyOf(steps);
            if (steps.isEmpty()) throw new IllegalArgumentException("a window needs a fault");
        }

        /** A window of one nemesis acting on its own choice of nodes. */
        public Window(long startNanos, long endNanos, String nemesis) {
            this(startNanos, endNanos, List.of(new Step(nemesis, null)));
        }

        /** The window's nemeses, {@code a+b} when composed. */
        public String nemesis() {
            return String.join("+", steps.stream().map(Step::nemesis).toList());
        }

        public boolean composed() {
            return steps.size() > 1;
        }
    }

    /**
     * What {@link #mix} may draw, per nemesis.
     *
     * @param targets     the roles it accepts ({@code leader}, ...); empty when it picks its nodes itself
     * @param network     true for a fault of the network (partitions, packet loss), which one at a time may hold
     * @param composable  whether it may share a window with a fault of the other kind
     * @param minNanos    the shortest window that lets it act (e.g. a flip that waits for an election first)
     */
    public record Kind(Set<String> targets, boolean network, boolean composable, long minNanos) {
        public Kind {
            targets = Set.copyOf(targets);
        }
    }

    /** Share of mixed windows that compose a network fault with a node fault. */
    static final double COMPOSE_SHARE = 0.35;
    /** Bounds of a mixed window and gap, in means: an exponential draw is kept within [{@value #MIN_MEANS}, {@value #MAX_MEANS}] × I. */
    static final double MIN_MEANS = 0.4, MAX_MEANS = 2.5;

    private NemesisSchedule() {}

    /**
     * @param nemeses        nemesis names in the order given; empty means no faults
     * @param intervalNanos  length of each fault window and of each healthy gap
     * @param timeLimitNanos length of the main phase
     */
    public static List<Window> plan(List<String> nemeses, long intervalNanos, long timeLimitNanos) {
        if (intervalNanos <= 0) throw new IllegalArgumentException("nemesis interval must be positive");
        List<Window> windows = new ArrayList<>();
        if (nemeses.isEmpty()) return windows;
        for (long start = intervalNanos; start < timeLimitNanos; start += 2 * intervalNanos) {
            String nemesis = nemeses.get(windows.size() % nemeses.size());
            windows.add(new Window(start, Math.min(start + intervalNanos, timeLimitNanos), nemesis));
        }
        return windows;
    }

    /**
     * The {@code --nemesis all} plan.
     *
     * @param kinds          the nemeses to draw from, by name, in a fixed order (the plan depends on it and the seed only)
     * @param meanNanos      mean of the healthy gaps and of the fault windows ({@code --nemesis-interval})
     * @param timeLimitNanos length of the main phase
     * @param seed           the run's seed
     */
    public static List<Window> mix(Map<String, Kind> kinds, long meanNanos, long timeLimitNanos, long seed) {
        if (meanNanos <= 0) throw new IllegalArgumentException("nemesis interval must be positive");
        List<Window> windows = new ArrayList<>();
        if (kinds.isEmpty()) return windows;
        // its own stream, so that the plan does not shift the nemeses' and the workload's draws
        Random random = new Random(seed ^ 0x6e656d6573697321L);
        List<String> names = new ArrayList<>(kinds.keySet());
        // The first faults come from a deck that consecutive seeds share (see the class comment):
        // the seeds of a block deal consecutive stretches of it, this seed the stretch at its place.
        int perRun = cardsPerRun(meanNanos, timeLimitNanos);
        long seedsPerDeck = (names.size() + perRun - 1) / perRun;
        Random deckRandom = new Random(Math.floorDiv(seed - 1, seedsPerDeck) ^ 0x6465636b2d6d6978L);
        List<String> deck = new ArrayList<>();
        for (long skip = Math.floorMod(seed - 1, seedsPerDeck) * (long) perRun; skip > 0; skip--)
            deal(deck, names, deckRandom);
        List<String> networkDeck = new ArrayList<>();
        List<String> nodeDeck = new ArrayList<>();
        List<String> network = names.stream()
                .filter(n -> kinds.get(n).network() && kinds.get(n).composable())
                .toList();
        List<String> node = names.stream()
                .filter(n -> !kinds.get(n).network() && kinds.get(n).composable())
                .toList();
        long t = draw(random, meanNanos);
        while (t < timeLimitNanos) {
            long left = timeLimitNanos - t;
            String first = dealFitting(deck, names, deckRandom, n -> shortest(kinds.get(n), meanNanos) <= left);
            if (first == null) break; // no fault can act in what is left of the run
            Kind kind = kinds.get(first);
            List<Step> steps = new ArrayList<>();
            steps.add(step(first, kind, random));
            long length = Math.max(draw(random, meanNanos), kind.minNanos());
            if (kind.composable() && random.nextDouble() < COMPOSE_SHARE) {
                List<String> others = kind.network() ? node : network;
                if (!others.isEmpty()) {
                    String second = deal(kind.network() ? nodeDeck : networkDeck, others, random);
                    steps.add(step(second, kinds.get(second), random));
                    length = Math.max(length, kinds.get(second).minNanos());
                }
            }
            long end = Math.min(t + length, timeLimitNanos);
            windows.add(new Window(t, end, steps));
            t = end + draw(random, meanNanos);
        }
        return windows;
    }

    private static Step step(String nemesis, Kind kind, Random random) {
        if (kind.targets().isEmpty()) return new Step(nemesis, null);
        List<String> roles = new ArrayList<>(kind.targets());
        Collections.sort(roles);
        return new Step(nemesis, roles.get(random.nextInt(roles.size())));
    }

    /** About how many windows a run deals: one window and one healthy gap per two means. */
    static int cardsPerRun(long meanNanos, long timeLimitNanos) {
        return (int) Math.max(1, Math.min(1 << 20, timeLimitNanos / (2 * meanNanos)));
    }

    /**
     * The shortest window in which a fault of {@code kind} can act: its own minimum, and never under
     * {@value #MIN_MEANS} means (a shorter fault is healed before it has done anything the checkers
     * could tell from a healthy run).
     */
    static long shortest(Kind kind, long meanNanos) {
        return Math.max(kind.minNanos(), Math.round(meanNanos * MIN_MEANS));
    }

    /**
     * The first card from the top of the deck that {@code fits}; the cards above it stay for later
     * windows, so a fault that the end of the run is too close for keeps its turn and the plan does
     * not spend the end on a window cut below what its fault needs. When none left in the deck fits,
     * the next shuffled deck goes under them. Null when no card of {@code all} fits.
     */
    private static String dealFitting(
            List<String> deck, List<String> all, Random random, java.util.function.Predicate<String> fits) {
        if (all.stream().noneMatch(fits)) return null;
        while (true) {
            for (int i = deck.size() - 1; i >= 0; i--) {
                if (fits.test(deck.get(i))) return deck.remove(i);
            }
            List<String> next = new ArrayList<>(all);
            Collections.shuffle(next, random);
            deck.addAll(0, next);
        }
    }

    /** The next card of a shuffled deck of {@code all} (not empty), reshuffled when it runs out. */
    private static String deal(List<String> deck, List<String> all, Random random) {
        return dealFitting(deck, all, random, card -> true);
    }

    /** An exponential draw of mean {@code mean}, kept within [{@value #MIN_MEANS}, {@value #MAX_MEANS}] means. */
    static long draw(Random random, long mean) {
        double e = -Math.log(1 - random.nextDouble());
        return Math.round(mean * Math.max(MIN_MEANS, Math.min(MAX_MEANS, e)));
    }
}
