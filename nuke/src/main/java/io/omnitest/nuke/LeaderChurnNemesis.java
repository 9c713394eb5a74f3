package io.omnitest.nuke;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code partition-leader-churn}: leader changes in quick succession, the schedule under which
 * elections race with a deposed leader's messages. {@value #ROUNDS} times in a row: the current
 * leader (a random node when none is known, e.g. mid-election) is cut off from all others for
 * 2 to 5 election timeouts, then the cut heals for 1 to 4 (each drawn uniformly from the run's
 * seed). The cut is usually too short for the others to finish electing a new leader before the
 * old one is back, and shorter than the nodes' idle link reset, so what the old leader and its
 * followers sent during the cut arrives late, at the heal, in the middle of the next election:
 * stale Accepted, AcceptDecide and Prepare messages meet ballots that moved on. A correct
 * protocol's ballot and promise checks refuse them; a check that compares the wrong field lets
 * one through. {@code partition-leader} holds one cut for the whole window instead.
 *
 * <p>The rounds run inside the start op, which returns healed; the window's heal only makes sure.
 * Ops: {@code start-partition} (value: rounds, each with the node cut, whether it was the known
 * leader, and the cut and gap in ms) and {@code stop-partition}.
 */
public final class LeaderChurnNemesis extends PartitionOps {
    public static final String NAME = "partition-leader-churn";
    /** Leader cuts per window. */
    static final int ROUNDS = 4;
    /** A cut lasts this many election timeouts or up to {@link #CUT_MAX} ... */
    static final int CUT_MIN = 2, CUT_MAX = 5;
    /** ... and the heal after it this many. */
    static final int GAP_MIN = 1, GAP_MAX = 4;

    public LeaderChurnNemesis(NemesisContext ctx) {
        super(NAME, ctx);
    }

    @Override
    NemesisOp start(NemesisOp op) {
        return op.with("rounds", churn());
    }

    /** A round that failed half-way may have left its cut in place: heal before reporting. */
    @Override
    NemesisOp failed(NemesisOp op, RuntimeException e) {
        ctx.net().heal();
        return super.failed(op, e);
    }

    private List<Map<String, Object>> churn() {
        List<String> nodes = ctx.names();
        List<Map<String, Object>> rounds = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            Optional<String> leader = ctx.liveLeader();
            String cut = leader.orElseGet(() -> nodes.get(ctx.random().nextInt(nodes.size())));
            Duration cutFor = electionTimeouts(CUT_MIN, CUT_MAX);
            Duration gap = electionTimeouts(GAP_MIN, GAP_MAX);
            ctx.net().partition(Grudges.split(nodes, cut::equals));
            ctx.pause(cutFor, "a leader cut");
            ctx.net().heal();
            ctx.pause(gap, "the gap after a leader cut");
            Map<String, Object> round = new LinkedHashMap<>();
            round.put("cut", cut);
            round.put("was-leader", leader.isPresent());
            round.put("cut-ms", cutFor.toMillis());
            round.put("gap-ms", gap.toMillis());
            rounds.add(round);
        }
        return rounds;
    }

    /** Between {@code min} and {@code max} election timeouts, uniformly. */
    private Duration electionTimeouts(int min, int max) {
        double n = min + ctx.random().nextDouble() * (max - min);
        return Duration.ofNanos((long) (ctx.electionTimeout().toNanos() * n));
    }
}
