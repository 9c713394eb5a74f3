package io.omnitest.nuke;

import io.omnitest.infra.ExecResult;
import io.omnitest.infra.Host;
import io.omnitest.infra.Parallel;
import io.omnitest.infra.db.Killable;
import io.omnitest.infra.faults.HasNodeFaults;
import io.omnitest.infra.faults.NodeFaults;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * Disk faults through each node's fault filesystem ({@link NodeFaults}):
 * <ul>
 *   <li>{@code lose-unfsynced}: from setup on, every node's FS holds writes until their fsync;
 *       a fault cuts one node's power: the FS stops completing writes and fsyncs (those under way
 *       too), the node is SIGKILLed and its unsynced writes are dropped (so are those of any
 *       other kill in the run: {@code kill}, {@code kill-leader}, ...; see the Db's
 *       {@code NodeFaults.beforeKill}); the heal restarts it. The
 *       nodes take turns in a seeded random order (a rolling power loss, one node at a time), so
 *       that losses land on different nodes, as they must to break a majority's durability.
 *   <li>{@code disk-error}: writes, fsyncs or both (chosen at random, recorded as {@code mode})
 *       fail with EIO on a random minority until the heal.
 *   <li>{@code disk-full}: writes, creations and fsyncs fail with ENOSPC on a random minority.
 *   <li>{@code slow-disk}: every fsync on a random minority takes {@code delay-ms} longer.
 * </ul>
 * A node may stop on an error it cannot survive (the OmniPaxos node exits rather than answer
 * after a failed write or fsync); every heal clears the faults and restarts such nodes.
 */
public final class DiskNemesis implements Nemesis {
    /** Which fault. */
    public enum Kind {
        LOSE_UNFSYNCED,
        DISK_ERROR,
        DISK_FULL,
        SLOW_DISK
    }

    /** The fsync delays {@code slow-disk} picks from, in ms. */
    static final int[] DELAYS_MS = {50, 200, 500};

    static final String[] ERROR_MODES = {"write", "fsync", "all"};

    private final Kind kind;
    private final NemesisContext ctx;
    private final List<Host> hit = new ArrayList<>();
    /** {@code lose-unfsynced}: the nodes still to take their turn in this round. */
    private final List<Host> turns = new ArrayList<>();

    public DiskNemesis(Kind kind, NemesisContext ctx) {
        this.kind = kind;
        this.ctx = ctx;
    }

    @Override
    public String name() {
        return kind.name().toLowerCase().replace('_', '-');
    }

    private NodeFaults faults() {
        if (!(ctx.db() instanceof HasNodeFaults h) || !h.nodeFaults().faultFs()) {
            throw new IllegalStateException(
                    name() + " needs the SUT's data dirs on the fault filesystem, which this SUT does not have");
        }
        return h.nodeFaults();
    }

    @Override
    public void setup() {
        NodeFaults f = faults();
        if (kind == Kind.LOSE_UNFSYNCED) {
            if (!(ctx.db() instanceof Killable)) throw new IllegalStateException("the SUT cannot be killed");
            Parallel.forEach(ctx.nodes(), h -> f.control(h, "lazy on").check());
        }
    }

    /** The minority faults hit whichever minority role a mixed schedule names (a majority could stop a quorum of nodes). */
    @Override
    public java.util.Set<Target> targets() {
        return kind == Kind.LOSE_UNFSYNCED
                ? java.util.Set.of()
                : java.util.EnumSet.of(Target.LEADER, Target.FOLLOWERS, Target.CLIENTS, Target.MINORITY);
    }

    @Override
    public NemesisOp startOp() {
        return NemesisOp.of(kind == Kind.LOSE_UNFSYNCED ? "kill" : "start-" + name(), name());
    }

    @Override
    public NemesisOp stopOp() {
        return NemesisOp.of(kind == Kind.LOSE_UNFSYNCED ? "start" : "stop-" + name(), name());
    }

    @Override
    public NemesisOp invoke(NemesisOp op) {
        try {
            if (op.f().equals(startOp().f())) return start(op);
            if (op.f().equals(stopOp().f())) return op.with("nodes", heal());
            throw new IllegalArgumentException(name() + " cannot do " + op.f());
        } catch (RuntimeException e) {
            return op.with("error", String.valueOf(e.getMessage()));
        }
    }

    private NemesisOp start(NemesisOp op) {
        NodeFaults f = faults();
        java.util.Optional<Target> role = Target.of(op).filter(targets()::contains);
        List<Host> targets = kind == Kind.LOSE_UNFSYNCED
                ? List.of(nextTurn())
                : role.isPresent()
                        ? role.get().resolve(ctx).stream().map(ctx::node).toList()
                        : randomMinority();
        hit.addAll(targets);
        NemesisOp done = op.with("nodes", targets.stream().map(Host::name).toList());
        String command;
        switch (kind) {
            case LOSE_UNFSYNCED -> {
                Parallel.forEach(targets, ((Killable) ctx.db())::kill); // the Db drops the unsynced writes
                return done.with("lost", "unfsynced writes");
            }
            case DISK_ERROR -> {
                String mode = ERROR_MODES[ctx.random().nextInt(ERROR_MODES.length)];
                done = done.with("mode", mode);
                command = "error " + mode;
            }
            case DISK_FULL -> command = "full on";
            case SLOW_DISK -> {
                int delay = DELAYS_MS[ctx.random().nextInt(DELAYS_MS.length)];
                done = done.with("delay-ms", delay);
                command = "slow-fsync " + delay;
            }
            default -> throw new IllegalStateException();
        }
        Parallel.forEach(targets, h -> f.control(h, command).check());
        return done;
    }

    /** Clears the faults of every node hit, restarts any that stopped; returns their names. */
    private List<String> heal() {
        List<Host> targets = hit.stream().distinct().toList();
        if (kind != Kind.LOSE_UNFSYNCED) {
            NodeFaults f = faults();
            Parallel.forEach(targets, h -> {
                ExecResult r = f.control(h, "clear");
                r.check();
            });
        }
        if (ctx.db() instanceof Killable k) Parallel.forEach(targets, k::start);
        hit.clear();
        return targets.stream().map(Host::name).toList();
    }

    private Host nextTurn() {
        if (turns.isEmpty()) {
            turns.addAll(ctx.nodes());
            Collections.shuffle(turns, ctx.random());
        }
        return turns.remove(0);
    }

    private List<Host> randomMinority() {
        int most = Math.max(1, (ctx.nodes().size() - 1) / 2);
        return randomNodes(1 + ctx.random().nextInt(most));
    }

    private List<Host> randomNodes(int count) {
        List<Host> shuffled = new ArrayList<>(ctx.nodes());
        Collections.shuffle(shuffled, ctx.random());
        List<Host> picked = new ArrayList<>(shuffled.subList(0, count));
        picked.sort(Comparator.comparing(h -> ctx.nodes().indexOf(h)));
        return picked;
    }

    @Override
    public void teardown() {
        heal();
        if (kind == Kind.LOSE_UNFSYNCED
                && ctx.db() instanceof HasNodeFaults h
                && h.nodeFaults().faultFs()) {
            Parallel.forEach(ctx.nodes(), n -> h.nodeFaults().control(n, "lazy off"));
        }
    }
}
