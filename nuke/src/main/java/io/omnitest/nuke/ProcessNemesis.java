package io.omnitest.nuke;

import io.omnitest.infra.Host;
import io.omnitest.infra.Parallel;
import io.omnitest.infra.db.Killable;
import io.omnitest.infra.db.Pausable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Faults on the SUT process: {@code kill} (SIGKILL, restarted on heal), {@code kill-leader},
 * {@code kill-majority}, {@code kill-all} and {@code pause} (SIGSTOP, SIGCONT on heal).
 * {@code kill} and {@code pause} hit a random non-empty minority of the nodes, so a majority
 * stays up; {@code kill-majority} a random majority and {@code kill-all} every node at once,
 * so that what a node acknowledged but had not made durable is lost everywhere it was kept
 * (a minority's loss is masked by the majority that still holds it). The leader target comes
 * from the live status, else the first node (recorded as fixed position).
 *
 * <p>{@code kill-all} brings the nodes back as power comes back to machines, not all at once: a
 * random majority first and the rest once that majority elected a leader of its own
 * ({@link #restartInTurn}). Restarted together, the old leader, whose log is the newest, is
 * nearly always in the first quorum (an OmniPaxos node that led restarts with its ballot, the
 * highest, and leads again); restarted in turn, two times in five (of five nodes) the first
 * quorum lacks it, and an entry it decided without a majority holding it durably is lost, as it
 * would be in a real outage.
 */
public final class ProcessNemesis implements Nemesis {
    /** Which fault and whom it hits. */
    public enum Kind {
        KILL,
        KILL_LEADER,
        KILL_MAJORITY,
        KILL_ALL,
        PAUSE
    }

    private final Kind kind;
    private final NemesisContext ctx;
    private final List<Host> hit = new ArrayList<>();

    public ProcessNemesis(Kind kind, NemesisContext ctx) {
        this.kind = kind;
        this.ctx = ctx;
    }

    @Override
    public String name() {
        return switch (kind) {
            case KILL -> "kill";
            case KILL_LEADER -> "kill-leader";
            case KILL_MAJORITY -> "kill-majority";
            case KILL_ALL -> "kill-all";
            case PAUSE -> "pause";
        };
    }

    @Override
    public void setup() {
        capability(); // fail early, before the run starts, if the Db cannot do it
    }

    @Override
    public NemesisOp startOp() {
        return NemesisOp.of(kind == Kind.PAUSE ? "pause" : "kill", name());
    }

    @Override
    public NemesisOp stopOp() {
        return NemesisOp.of(kind == Kind.PAUSE ? "resume" : "start", name());
    }

    @Override
    public boolean takesMajorityDown() {
        return kind == Kind.KILL_MAJORITY || kind == Kind.KILL_ALL;
    }

    @Override
    public boolean takesMajorityDown(NemesisOp start) {
        return takesMajorityDown()
                || Target.of(start).filter(t -> t == Target.MAJORITY).isPresent();
    }

    /** {@code kill} and {@code pause} hit whichever role a mixed schedule names. */
    @Override
    public java.util.Set<Target> targets() {
        return kind == Kind.KILL || kind == Kind.PAUSE ? java.util.EnumSet.allOf(Target.class) : java.util.Set.of();
    }

    @Override
    public NemesisOp invoke(NemesisOp op) {
        try {
            return switch (op.f()) {
                case "kill", "pause" -> start(op);
                case "start", "resume" ->
                    kind == Kind.KILL_ALL && hit.size() > 2 ? restartInTurn(op) : op.with("nodes", heal());
                default -> throw new IllegalArgumentException(name() + " cannot do " + op.f());
            };
        } catch (RuntimeException e) {
            return op.with("error", String.valueOf(e.getMessage()));
        }
    }

    private NemesisOp start(NemesisOp op) {
        List<Host> targets;
        NemesisOp done = op;
        Optional<Target> role = Target.of(op).filter(targets()::contains);
        if (role.isPresent()) {
            targets = role.get().resolve(ctx).stream().map(ctx::node).toList();
        } else if (kind == Kind.KILL_LEADER) {
            Optional<String> live = ctx.leaderSoon();
            String leader = live.orElse(ctx.names().get(0));
            done = done.with("chosen-by", live.isPresent() ? Roles.LIVE : Roles.FIXED);
            targets = List.of(ctx.node(leader));
        } else if (kind == Kind.KILL_MAJORITY) {
            targets = randomMajority();
        } else if (kind == Kind.KILL_ALL) {
            targets = ctx.nodes();
        } else {
            targets = randomMinority();
        }
        Consumer<Host> fault = capability();
        if (targets.size() > 1 && kind != Kind.PAUSE) fault = together((Killable) ctx.db());
        hit.addAll(targets);
        Parallel.forEach(targets, fault);
        return done.with("nodes", targets.stream().map(Host::name).toList());
    }

    /** A random non-empty minority: 1..⌊(n-1)/2⌋ nodes (1 when there are fewer than 3). */
    private List<Host> randomMinority() {
        List<Host> shuffled = new ArrayList<>(ctx.nodes());
        Collections.shuffle(shuffled, ctx.random());
        int most = Math.max(1, (shuffled.size() - 1) / 2);
        int count = 1 + ctx.random().nextInt(most);
        List<Host> picked = new ArrayList<>(shuffled.subList(0, count));
        picked.sort(java.util.Comparator.comparing(h -> ctx.nodes().indexOf(h)));
        return picked;
    }

    /** A random majority: ⌊n/2⌋+1 nodes, in node order. */
    private List<Host> randomMajority() {
        List<Host> shuffled = new ArrayList<>(ctx.nodes());
        Collections.shuffle(shuffled, ctx.random());
        List<Host> picked = new ArrayList<>(shuffled.subList(0, shuffled.size() / 2 + 1));
        picked.sort(java.util.Comparator.comparing(h -> ctx.nodes().indexOf(h)));
        return picked;
    }

    /**
     * Lead time of a kill of several nodes: they all die at one moment this far ahead, by the
     * hosts' clocks ({@link Killable#killAt}), instead of one SSH round trip apart; the survivors
     * of a slow, staggered kill flush and replicate what a power cut would have lost. A second
     * covers starting the SSH commands in parallel on a busy machine (the commands run in
     * parallel); a host reached late kills at once, as without it.
     */
    static final long TOGETHER_LEAD_NANOS = 1_000_000_000L;

    private static Consumer<Host> together(Killable db) {
        java.time.Instant now = java.time.Instant.now();
        long at = now.getEpochSecond() * 1_000_000_000L + now.getNano() + TOGETHER_LEAD_NANOS;
        return h -> db.killAt(h, at);
    }

    private Consumer<Host> capability() {
        if (kind == Kind.PAUSE) {
            if (!(ctx.db() instanceof Pausable p)) {
                throw new IllegalStateException("the SUT cannot be paused");
            }
            return p::pause;
        }
        if (!(ctx.db() instanceof Killable k)) {
            throw new IllegalStateException("the SUT cannot be killed");
        }
        return k::kill;
    }

    /**
     * Election timeouts the rest of a {@code kill-all} wait, at most, for the first majority to
     * elect a leader: a node's restart and a few rounds of leader election after it.
     */
    static final int FIRST_LEADER_TIMEOUTS = 20;

    /**
     * The heal of {@code kill-all}: starts a random majority of the nodes, waits until one of them
     * leads (at most {@link #FIRST_LEADER_TIMEOUTS} election timeouts; a Db that cannot tell its
     * leader waits {@link NemesisContext#LEADER_WAIT_TIMEOUTS}), then starts the rest. Records both
     * groups and the first leader.
     */
    private NemesisOp restartInTurn(NemesisOp op) {
        List<Host> order = new ArrayList<>(hit.stream().distinct().toList());
        Collections.shuffle(order, ctx.random());
        int majority = ctx.nodes().size() / 2 + 1;
        List<Host> first = order.subList(0, Math.min(majority, order.size()));
        List<Host> rest = order.subList(first.size(), order.size());
        Killable db = (Killable) ctx.db();
        Parallel.forEach(first, db::start);
        java.util.Set<String> firstNames = new java.util.HashSet<>(names(first));
        Optional<String> leader = Optional.empty();
        if (ctx.db() instanceof io.omnitest.infra.db.HasLeader) {
            leader = ctx.awaitLeader(firstNames::contains, FIRST_LEADER_TIMEOUTS);
        } else {
            ctx.pause(ctx.electionTimeout().multipliedBy(NemesisContext.LEADER_WAIT_TIMEOUTS), "restarting in turn");
        }
        Parallel.forEach(rest, db::start);
        List<String> all = names(order.stream()
                .sorted(java.util.Comparator.comparing(h -> ctx.nodes().indexOf(h)))
                .toList());
        hit.clear();
        return op.with("nodes", all)
                .with("restarted-in-turn", List.of(names(first), names(rest)))
                .with("first-leader", leader.orElse("none"));
    }

    private static List<String> names(List<Host> hosts) {
        return hosts.stream().map(Host::name).toList();
    }

    /** Restarts or resumes every node this nemesis hit, all at once; returns their names. */
    private List<String> heal() {
        List<Host> targets = hit.stream().distinct().toList();
        if (kind == Kind.PAUSE) {
            Parallel.forEach(targets, ((Pausable) ctx.db())::resume);
        } else {
            Parallel.forEach(targets, ((Killable) ctx.db())::start);
        }
        hit.clear();
        return targets.stream().map(Host::name).toList();
    }

    @Override
    public void teardown() {
        heal();
    }
}
