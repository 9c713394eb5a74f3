package io.omnitest.nuke;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code partition-figure8}: the Raft paper's Figure 8 (extended paper §5.4.2) played on real
 * processes, three leader changes in the order that lets a new leader overwrite entries of an
 * earlier term that another leader took as committed because a majority stored them.
 *
 * <ol>
 *   <li>The leader L1, with as few others as leave the rest a bare majority ({@link
 *       Grudges#flipSide}), is cut off from the rest. The clients, still sending to L1, give it
 *       entries that only L1's side stores.</li>
 *   <li>As soon as the rest have elected a leader L2 (polled every tenth of an election timeout),
 *       L2 is cut off alone and every other link is healed. L1, back with the others, learns of
 *       L2's term and gives up its clients' requests; their retries go to L2, whom the others
 *       still name as leader, and only L2 stores them. The others elect a leader L3; only a node of
 *       L1's side can win, since the nodes of the bare majority hold less of the log and are too
 *       few to elect one of their own.</li>
 *   <li>As soon as L3 leads, the first cut is restored. Changing the partition takes a round of
 *       commands on the nodes, longer than L3 needs to copy L1's entries to a majority (its first
 *       heartbeat and the answers to it), and every moment more gives a client the chance to find L3
 *       and give its term an entry. L2 is back with the bare majority, and its log ends in a later
 *       term than theirs: it is elected again and replaces L1's entries there.</li>
 * </ol>
 *
 * A correct system has not committed L1's entries in step 3 (Raft commits only entries of the
 * leader's own term by counting; Paxos-family leaders adopt the log of the highest round), so
 * their replacement is legal. One that committed them by counting has applied entries that the
 * later leader overwrites: replicas diverge.
 *
 * <p>Whether a round catches such a bug is a race with the clients. L1 must be given entries once
 * it is cut off: a command sent while the cut is still being made (a command on each node, some
 * done before others) may reach the majority while its acknowledgement cannot come back, and its
 * client then waits out its timeout, seconds, so a few hundred milliseconds of such commands can
 * tie up every client before L1's side has an entry of its own. L2 must not copy an entry of its
 * own term to the bare majority before it is cut off alone (then no node of L1's side could win
 * step 2), and L3 must not be given an entry of its term before the first cut is back (then L3's
 * term, not L1's, would be the one a majority stored). So the clients are held back ({@link
 * ClientGate}: no new operation starts, those in flight go on) for the whole round except two
 * windows of half an election timeout, shorter than any election after a cut: right after the
 * first cut is in force (L1, which the others still name, takes commands only its side stores) and
 * right after L2 is cut off alone (L2, which the others still name, takes commands of its own term
 * that only it stores). The op's value says how long the clients were held. A round may still miss
 * (a command in flight finds a new leader), so the op plays {@link #ROUNDS} rounds: once the
 * bare majority has elected again after step 3, the next round starts from its leader. A poll that
 * finds no new leader within {@link #ELECTION_TIMEOUTS} election timeouts ends the sequence where
 * it is; the op's value says which phase each round reached. Heal removes the partition. Ops:
 * {@code start-partition} (value: rounds, each with leaders, reached-phase, earlier-phases,
 * at-ms, when each partition was in force and each new leader seen in ms since the op began, and
 * clients-held-ms; and grudge, the partition in force at the end) and {@code stop-partition}.
 */
public final class Figure8Nemesis extends PartitionOps {
    public static final String NAME = "partition-figure8";
    /** How many election timeouts each phase waits at most for its new leader: 2 s with 200 ms. */
    static final int ELECTION_TIMEOUTS = 10;
    /** Rounds of the three phases per op (see the class comment). */
    static final int ROUNDS = 2;

    private final int rounds;

    public Figure8Nemesis(NemesisContext ctx) {
        this(ctx, ROUNDS);
    }

    Figure8Nemesis(NemesisContext ctx, int rounds) {
        super(NAME, ctx);
        if (rounds < 1) throw new IllegalArgumentException("at least one round");
        this.rounds = rounds;
    }

    /**
     * The clients are held back for most of the window, and no system can answer commands that are
     * not sent: liveness is not judged here (an outage of the window is the nemesis's doing).
     */
    @Override
    public boolean takesMajorityDown() {
        return true;
    }

    @Override
    public void setup() {
        if (!(ctx.db() instanceof io.omnitest.infra.db.HasLeader)) {
            throw new IllegalStateException(NAME + " needs a SUT that tells its leader");
        }
        super.setup();
    }

    @Override
    NemesisOp start(NemesisOp op) {
        // the window may open during an election (a fault just healed): wait for its leader
        Optional<String> first = awaitLeader(l -> true);
        if (first.isEmpty())
            return op.with("error", "no node claimed to lead within " + ELECTION_TIMEOUTS + " election timeouts");
        long startNanos = System.nanoTime();
        List<Map<String, Object>> played = new ArrayList<>();
        Grudge now = Grudge.NONE;
        String leader = first.get();
        for (int r = 0; r < rounds; r++) {
            Round round = new Round(startNanos);
            now = play(leader, round);
            played.add(round.value());
            if (round.reached < 3 || r + 1 == rounds) break;
            // the bare majority, with the leader cut off alone in step 2, elects again: the next round's L1
            List<String> side = round.side;
            Optional<String> next = awaitLeader(l -> !side.contains(l));
            if (next.isEmpty()) break;
            leader = next.get();
        }
        return op.with("rounds", List.copyOf(played)).with("grudge", now.toMap());
    }

    /** One round of the three phases from the leader {@code first}; returns the partition in force after it. */
    private Grudge play(String first, Round p) {
        List<String> nodes = ctx.names();
        List<String> side = Grudges.flipSide(nodes, first, ctx.random());
        p.side = side;
        Grudge cut = Grudges.split(nodes, side::contains);
        p.leaders.add(first);

        p.hold();
        try {
            ctx.net().partition(cut);
        } finally {
            p.release();
        }
        p.mark();
        // L1's side takes the clients' next commands: entries that no majority stores
        ctx.pause(clientWindow(), "the clients' window with L1 cut off");
        String second;
        Grudge alone;
        p.hold(); // until L2 is alone: an entry of its term must not reach the bare majority
        try {
            Optional<String> l2 = awaitLeader(l -> !side.contains(l));
            if (l2.isEmpty()) return p.reached(1, cut);
            second = l2.get();
            p.leaders.add(second);
            p.mark();
            p.phases.add(cut.toMap());
            alone = Grudges.isolate(nodes, second);
            ctx.net().partition(alone);
        } finally {
            p.release();
        }
        p.mark();
        // L2, alone, takes the clients' next commands: entries of its term that only it stores
        ctx.pause(clientWindow(), "the clients' window with L2 alone");
        p.hold(); // until the first cut is back: L3's term must get no entry on the bare majority
        try {
            Optional<String> third = awaitLeader(l -> !l.equals(second));
            if (third.isEmpty()) return p.reached(2, alone);
            p.leaders.add(third.get());
            p.mark();
            p.phases.add(alone.toMap());
            ctx.net().partition(cut);
        } finally {
            p.release();
        }
        p.mark();
        return p.reached(3, cut);
    }

    /**
     * The longest a hold may last: a wait for a new leader ({@link #ELECTION_TIMEOUTS} election
     * timeouts) and a partition change ({@link #PARTITION_CHANGE_AT_MOST}).
     */
    private java.time.Duration holdAtMost() {
        return ctx.electionTimeout().multipliedBy(ELECTION_TIMEOUTS).plus(PARTITION_CHANGE_AT_MOST);
    }

    /** A generous bound on one partition change (a command on each node): 200-500 ms on a busy 2-core machine. */
    static final java.time.Duration PARTITION_CHANGE_AT_MOST = java.time.Duration.ofSeconds(5);

    /**
     * How long the clients may send between two holds: half an election timeout, shorter than the
     * nodes that just lost their leader wait before they elect another, and at the default rate
     * time for tens of commands.
     */
    private java.time.Duration clientWindow() {
        return ctx.electionTimeout().dividedBy(2);
    }

    /**
     * What the op's value reports of one round: the leaders seen, the grudges of the phases before
     * the last, the phase reached, and when (ms since the op began) each partition was in force and
     * each leader seen.
     */
    private final class Round {
        final long startNanos;
        final List<String> leaders = new ArrayList<>();
        final List<Map<String, List<String>>> phases = new ArrayList<>();
        final List<Long> marks = new ArrayList<>();
        List<String> side = List.of();
        int reached;
        long heldNanos;
        private long heldSince;

        /**
         * Holds the clients back ({@link ClientGate}) until {@link #release}: at most as long as a
         * wait for a leader and a partition change can take ({@link #holdAtMost}).
         */
        void hold() {
            heldSince = System.nanoTime();
            ctx.clientGate().hold(holdAtMost());
        }

        void release() {
            ctx.clientGate().release();
            heldNanos += System.nanoTime() - heldSince;
        }

        Round(long startNanos) {
            this.startNanos = startNanos;
        }

        void mark() {
            marks.add((System.nanoTime() - startNanos) / 1_000_000);
        }

        Grudge reached(int phase, Grudge now) {
            reached = phase;
            return now;
        }

        Map<String, Object> value() {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("leaders", List.copyOf(leaders));
            m.put("reached-phase", reached);
            m.put("earlier-phases", List.copyOf(phases));
            m.put("at-ms", List.copyOf(marks));
            m.put("clients-held-ms", heldNanos / 1_000_000);
            return m;
        }
    }

    /** {@link NemesisContext#awaitLeader} for at most {@link #ELECTION_TIMEOUTS} election timeouts. */
    private Optional<String> awaitLeader(Predicate<String> wanted) {
        return ctx.awaitLeader(wanted, ELECTION_TIMEOUTS);
    }
}
