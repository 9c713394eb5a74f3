package io.omnitest.nuke;

import io.omnitest.infra.Host;
import io.omnitest.infra.Parallel;
import io.omnitest.infra.db.Killable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code partition-leader-flip}: a deposed leader meets a restarted follower, the fault that
 * shows whether a node's promise and its accepted entries survive a restart (Paxos' rule that an
 * acceptor never goes back on a promise, OmniPaxos paper §4; the crate persists both before
 * answering).
 *
 * <ol>
 *   <li>The leader L, with as few others as leave the rest a bare majority ({@link
 *       Grudges#flipSide}: L alone with 3 nodes, L and one other with 5), is cut off from the
 *       rest. L still believes it leads.</li>
 *   <li>After {@link #electionWait} the rest have elected a new leader L' and decided entries,
 *       which every one of them holds (they are a bare majority). As few of them as make L's
 *       side a majority ({@link Grudges#flipMoved}: one node in an odd cluster, two in an even
 *       one), never L', are killed.</li>
 *   <li>The partition flips: they join L's side, now a majority, and L' is left in a minority;
 *       they are restarted there.</li>
 * </ol>
 *
 * A restarted follower that remembers promising L' refuses L's old ballot and hands its log to
 * a new leader on L's side, which so keeps what L' decided. One that forgot its promise accepts
 * L's proposals, and L decides its own log over what L' decided; one that lost its unsynced log
 * ({@code lose-unfsynced}) takes the only copy of L''s entries on that side with it. Heal removes
 * the partition and restarts whatever is still down. Ops: {@code start-partition} (value: roles,
 * new-leader, killed, earlier-phases, grudge) and {@code stop-partition}.
 */
public final class LeaderFlipNemesis extends PartitionOps {
    public static final String NAME = "partition-leader-flip";
    /**
     * How many election timeouts the others get to elect a new leader and decide entries: 4 s
     * with the SUT's 200 ms. Clients first wait out their request to the cut-off leader (the
     * node's 2 s request timeout) before they find the new one, so a shorter wait flips the
     * partition before the new leader has decided much that could be lost.
     */
    static final int ELECTION_TIMEOUTS = 20;

    private final List<Host> down = new ArrayList<>();

    public LeaderFlipNemesis(NemesisContext ctx) {
        super(NAME, ctx);
    }

    /** The flip kills a node of the bare majority that the cut left: no majority is up and connected. */
    @Override
    public boolean takesMajorityDown() {
        return true;
    }

    @Override
    public void setup() {
        killable(); // fail early if the Db cannot kill
        super.setup();
    }

    /** The wait between cutting the leader off and the flip. */
    Duration electionWait() {
        return ctx.electionTimeout().multipliedBy(ELECTION_TIMEOUTS);
    }

    /** Heals, and restarts whatever the flip left down. */
    @Override
    NemesisOp stop(NemesisOp op) {
        return super.stop(op).with("restarted", restartDown());
    }

    @Override
    NemesisOp start(NemesisOp op) {
        Killable k = killable();
        List<String> nodes = ctx.names();
        Roles roles = ctx.roles();
        String old = roles.leader();
        List<String> side = Grudges.flipSide(nodes, old, ctx.random());
        Grudge isolate = Grudges.split(nodes, side::contains);
        ctx.net().partition(isolate);
        ctx.pause(electionWait(), "before the flip");
        // the highest ballot that claims leadership is the new leader once the others elected one
        Optional<String> elected = ctx.liveLeader().filter(l -> !side.contains(l));
        List<String> moved = Grudges.flipMoved(nodes, side, elected.orElse(old), ctx.random());
        List<Host> hosts = moved.stream().map(ctx::node).toList();
        down.addAll(hosts);
        Parallel.forEach(hosts, k::kill);
        Grudge flipped = Grudges.flip(nodes, side, moved);
        ctx.net().partition(flipped);
        Parallel.forEach(hosts, k::start);
        down.removeAll(hosts);
        return op.with("roles", roles.toMap())
                .with("new-leader", elected.orElse(null))
                .with("killed", moved)
                .with("earlier-phases", List.of(isolate.toMap()))
                .with("phase-ms", electionWait().toMillis())
                .with("grudge", flipped.toMap());
    }

    private List<String> restartDown() {
        List<Host> hosts = List.copyOf(down);
        if (!hosts.isEmpty()) {
            Parallel.forEach(hosts, killable()::start);
        }
        down.clear();
        return hosts.stream().map(Host::name).toList();
    }

    private Killable killable() {
        if (!(ctx.db() instanceof Killable k)) {
            throw new IllegalStateException("the SUT cannot be killed");
        }
        return k;
    }

    @Override
    public void teardown() {
        super.teardown();
        if (ctx.db() instanceof Killable) {
            restartDown();
        }
    }
}
