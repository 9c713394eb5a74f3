package io.omnitest.cli.run;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * When the nemesis acts: a pure plan of fault windows over the main phase.
 *
 * <p>{@link #plan}: Jepsen's rhythm "fault for an interval, heal for an interval", starting healthy
 * so the cluster has a leader and a baseline before the first fault: healthy during
 * {@code [0, I)}, fault during {@code [I, 2I)}, healthy during {@code [2I, 3I)}, and so on.
 * With several nemeses the windows take them in turn (round robin, in the order given), so a
 * short run still exercises each one.
 *
 * <p>{@link #mix}: {@code --nemesis all} (issue 14), a seeded random schedule: fault lengths drawn
 * from an exponential distribution of mean I, healthy gaps from one of mean I/3 (so a minute at
 * I = 5 s deals about ten faults and several leader changes), the nemeses dealt from a shuffled
 * deck (each once before any repeats), each fault aimed at a random role its nemesis accepts
 * (leader, followers, the clients' nodes, a minority or a majority), and half the windows whose
 * fault may share one composed of a network fault and a node fault at once, the second also dealt
 * from the deck when one is near its top.
 *
 * <p>Each run first deals one fault of each family ({@link Kind#family}: leader cuts, partial
 * partitions, message trouble, crashes, the clients' path, the disk, the clock), in random order,
 * before a second of any: a bug brought out by one kind of trouble meets it in any one run,
 * whatever its seed.
 *
 * <p>One run deals only some of the faults (about 10 of 26 in 60 s at I = 5 s), and a bug may need
 * one fault in particular. So consecutive seeds share the deck: seeds 1 to k, where k runs
 * together deal every fault once ({@link #seedsPerDeck}), share one shuffled deck, and seed j
 * deals its cards j, j + k, j + 2k, ... (after the families' first cards, which come from its share
 * where it can), then the rest of the deck, then decks of its own. However many windows each run
 * has room for, the block's first runs meet nearly that many different faults between them: a campaign's runs (seeds 1, 2, 3, ...) and a CI loop over seeds meet every
 * fault within k runs, where independent decks would leave about a third of them out after three
 * runs. Timing, targets and the composed faults are drawn per seed.
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
     * @param family      the kind of trouble it makes ({@code crash}, {@code partial}, ...): a run deals
     *                    one fault of each family before a second of any
     */
    public record Kind(Set<String> targets, boolean network, boolean composable, long minNanos, String family) {
        public Kind {
            targets = Set.copyOf(targets);
            java.util.Objects.requireNonNull(family, "family");
        }
    }

    /** Share of mixed windows, among those whose first fault may share its window, that compose a network fault with a node fault. */
    static final double COMPOSE_SHARE = 0.5;
    /** How deep into its hand a composed window looks for its second fault before it takes one outside the hand. */
    static final int PARTNER_LOOKAHEAD = 4;
    /**
     * Mean of the healthy gaps, in means: short enough that a minute deals about ten faults (three
     * runs deal every fault of the mix), long enough for a leader to be elected after a heal.
     */
    static final double GAP_MEANS = 1.0 / 3;
    /** Bounds of a mixed window and gap, in means: an exponential draw is kept within [{@value #MIN_MEANS}, {@value #MAX_MEANS}] × I. */
    static final double MIN_MEANS = 0.4, MAX_MEANS = 2.5;
    /** The mean of {@link #draw} in means (an exponential of mean 1 kept within [{@value #MIN_MEANS}, {@value #MAX_MEANS}]): 0.988. */
    static final double DRAW_MEAN = MIN_MEANS + Math.exp(-MIN_MEANS) - Math.exp(-MAX_MEANS);

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
     * @param meanNanos      mean of the fault windows ({@code --nemesis-interval}); the healthy gaps have mean
     *                       {@value #GAP_MEANS} of it
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
        long seedsPerDeck = seedsPerDeck(kinds, meanNanos, timeLimitNanos);
        Set<String> longer = new java.util.HashSet<>();
        for (String n : names) if (kinds.get(n).minNanos() > meanNanos) longer.add(n);
        Map<String, String> families = new java.util.HashMap<>();
        kinds.forEach((n, k) -> families.put(n, k.family()));
        Hand hand = new Hand(
                names,
                families,
                longer,
                new Random(Math.floorDiv(seed - 1, seedsPerDeck) ^ 0x6465636b2d6d6978L),
                (int) Math.floorMod(seed - 1, seedsPerDeck),
                (int) seedsPerDeck,
                new Random(seed ^ 0x68616e642d6f776eL));
        List<String> networkDeck = new ArrayList<>();
        List<String> nodeDeck = new ArrayList<>();
        long gapMean = gapMean(meanNanos);
        long t = draw(random, gapMean);
        while (t < timeLimitNanos) {
            long left = timeLimitNanos - t;
            Predicate<String> fits = n -> shortest(kinds.get(n), meanNanos) <= left;
            String first = hand.deal(fits, Integer.MAX_VALUE);
            if (first == null) break; // no fault can act in what is left of the run
            Kind kind = kinds.get(first);
            List<Step> steps = new ArrayList<>();
            steps.add(step(first, kind, random));
            long length = Math.max(draw(random, meanNanos), kind.minNanos());
            if (kind.composable() && random.nextDouble() < COMPOSE_SHARE) {
                Predicate<String> partner =
                        n -> kinds.get(n).composable() && kinds.get(n).network() != kind.network() && fits.test(n);
                // the partner comes from the hand when one is near its top, so that it counts as dealt
                String second = hand.deal(partner, PARTNER_LOOKAHEAD);
                if (second == null) {
                    List<String> others = names.stream().filter(partner).toList();
                    if (!others.isEmpty()) second = deal(kind.network() ? nodeDeck : networkDeck, others, random);
                }
                if (second != null) {
                    steps.add(step(second, kinds.get(second), random));
                    length = Math.max(length, kinds.get(second).minNanos());
                }
            }
            long end = Math.min(t + length, timeLimitNanos);
            windows.add(new Window(t, end, steps));
            t = end + draw(random, gapMean);
        }
        return windows;
    }

    /**
     * The faults one seed deals, in order (see the class comment). It starts with one fault of each
     * family ({@link Kind#family}), in random order: the family's card in its share of the deck, else
     * one drawn from the rest of the deck; then the rest of its share of the deck its block of seeds
     * shares, every {@code k}-th card from card {@code j}; then the rest of that deck, then decks of
     * its own, each shuffled. So each run meets every kind of fault before a second of any (a family
     * of one fault, as {@code partition-clients}, comes in every run), each seed deals every fault
     * once before any repeats, and the block's seeds meet every fault between them. A card the run
     * has no room for keeps its place for a later window.
     */
    private static final class Hand {
        private final List<String> all;
        private final Random own;
        private final List<String> cards = new ArrayList<>();

        /**
         * @param family the family of each fault
         * @param long_  the faults whose shortest window is longer than the mean (the paper's scenarios,
         *               the flip, Figure 8, ...): each seed of the block gets its share of them, so that no
         *               run's share takes more time than the others'
         */
        Hand(
                List<String> all,
                Map<String, String> family,
                Set<String> long_,
                Random blockRandom,
                int j,
                int k,
                Random own) {
            this.all = List.copyOf(all);
            this.own = own;
            List<String> shared = new ArrayList<>(all);
            Collections.shuffle(shared, blockRandom);
            // the deck is dealt round the block: card i to seed i mod k, the long faults first, and
            // within each the faults of a family one after another (families in shuffled order), so
            // that the seeds' shares hold each family's faults as evenly as they can
            List<String> familyOrder = new ArrayList<>();
            for (String n : shared) if (!familyOrder.contains(family.get(n))) familyOrder.add(family.get(n));
            java.util.Comparator<String> byFamily =
                    java.util.Comparator.comparingInt(n -> familyOrder.indexOf(family.get(n)));
            List<String> longs =
                    shared.stream().filter(long_::contains).sorted(byFamily).toList();
            List<String> shorts = shared.stream()
                    .filter(n -> !long_.contains(n))
                    .sorted(byFamily)
                    .toList();
            List<String> rest = new ArrayList<>();
            int i = 0;
            for (List<String> stratum : List.of(longs, shorts)) {
                for (String c : stratum) (i++ % k == j ? cards : rest).add(c);
            }
            Collections.shuffle(cards, own);
            // one card of each family first: the share's own, else one from the rest, a short one if
            // the family has any (a long window borrowed from another seed's share costs this run
            // two or three of its own)
            List<String> front = new ArrayList<>();
            Set<String> met = new java.util.HashSet<>();
            for (String c : cards) if (met.add(family.get(c))) front.add(c);
            cards.removeAll(front);
            List<String> borrow = new ArrayList<>(rest);
            borrow.sort(java.util.Comparator.comparing(long_::contains)); // stable: shorts first, in deck order
            for (String c : borrow) {
                if (met.add(family.get(c))) {
                    front.add(c);
                    rest.remove(c);
                }
            }
            Collections.shuffle(front, own);
            cards.addAll(0, front);
            cards.addAll(rest);
        }

        /**
         * Takes the first card among the top {@code depth} that {@code fits}, adding shuffled decks
         * under the others as needed; null when none there fits (or none of all ever would).
         */
        String deal(Predicate<String> fits, int depth) {
            if (all.stream().noneMatch(fits)) return null;
            for (int i = 0; i < depth; i++) {
                if (i == cards.size()) {
                    List<String> next = new ArrayList<>(all);
                    Collections.shuffle(next, own);
                    cards.addAll(next);
                }
                if (fits.test(cards.get(i))) return cards.remove(i);
            }
            return null;
        }
    }

    private static Step step(String nemesis, Kind kind, Random random) {
        if (kind.targets().isEmpty()) return new Step(nemesis, null);
        List<String> roles = new ArrayList<>(kind.targets());
        Collections.sort(roles);
        return new Step(nemesis, roles.get(random.nextInt(roles.size())));
    }

    /** The mean of the healthy gaps between mixed windows. */
    static long gapMean(long meanNanos) {
        return Math.max(1, Math.round(meanNanos * GAP_MEANS));
    }

    /**
     * About how many faults a run of the mix deals: windows of the mean or their fault's minimum,
     * healthy gaps of {@link #gapMean}, and composed windows dealing a second fault.
     */
    static double cardsPerRun(Map<String, Kind> kinds, long meanNanos, long timeLimitNanos) {
        double window = kinds.values().stream()
                .mapToDouble(k -> Math.max(meanNanos * DRAW_MEAN, k.minNanos()))
                .average()
                .orElse(meanNanos);
        double gap = gapMean(meanNanos) * DRAW_MEAN;
        double windows = Math.max(0, timeLimitNanos - gap) / (window + gap);
        double composable = kinds.values().stream().filter(Kind::composable).count() / (double) kinds.size();
        return windows * (1 + COMPOSE_SHARE * composable);
    }

    /**
     * How many consecutive seeds share a deck: enough that their runs together deal every fault
     * once ({@link #cardsPerRun}), at least 1.
     */
    static long seedsPerDeck(Map<String, Kind> kinds, long meanNanos, long timeLimitNanos) {
        double perRun = Math.max(1, Math.floor(cardsPerRun(kinds, meanNanos, timeLimitNanos)));
        return Math.max(1, Math.min(kinds.size(), (long) Math.ceil(kinds.size() / perRun)));
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
     * How long the faults of any window, planned or mixed, stay in force together at least once
     * they are all made: {@value #MIN_MEANS} of the interval, the mix's shortest window. Making
     * them takes time the plan cannot know (about 0.9 s for a median window of the mix, 3 s at
     * p90, 6 to 8 s for the scenarios with phases), and in 110 of 213 mixed windows measured the
     * faults had been in force together less than that, some not at all before the heal.
     */
    public static long minInForce(long intervalNanos) {
        return Math.round(intervalNanos * MIN_MEANS);
    }

    /** The next card of a shuffled deck of {@code all} (not empty), reshuffled when it runs out. */
    private static String deal(List<String> deck, List<String> all, Random random) {
        if (deck.isEmpty()) {
            deck.addAll(all);
            Collections.shuffle(deck, random);
        }
        return deck.remove(deck.size() - 1);
    }

    /** An exponential draw of mean {@code mean}, kept within [{@value #MIN_MEANS}, {@value #MAX_MEANS}] means. */
    static long draw(Random random, long mean) {
        double e = -Math.log(1 - random.nextDouble());
        return Math.round(mean * Math.max(MIN_MEANS, Math.min(MAX_MEANS, e)));
    }
}
