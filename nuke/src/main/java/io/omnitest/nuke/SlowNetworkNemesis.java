package io.omnitest.nuke;

import io.omnitest.infra.Command;
import io.omnitest.infra.Host;
import io.omnitest.infra.Parallel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code slow-network}: what a few nodes send to the other nodes is throttled to a trickle, so their
 * messages arrive late (seconds, as the queue grows) and at the heal all at once: the late, stale
 * messages of a node that still takes part, which a partition (nothing arrives) or packet loss (the
 * sender retransmits) do not give. This kernel has no netem, so the delay comes from a queue: on
 * each hit node, an htb qdisc on the interfaces that lead to the peers sends traffic to a peer
 * address through a class of {@link #RATES_KBIT a few kbit/s} with a deep FIFO; everything else
 * (clients, the control node's SSH) keeps full speed. The node's incoming traffic is not touched.
 *
 * <p>The qdisc replaces the interface's root qdisc and carries the handle {@value #HANDLE}: at the
 * heal (and at set-up and teardown, for one left by a run that died) only a root qdisc with that
 * handle is deleted, which gives the interface its kernel default back. A peer reached through
 * {@code lo} (nodes sharing a machine) is not throttled. Ops {@code start-slow-network} (value: nodes,
 * kbit/s, target role) and {@code stop-slow-network}.
 */
public final class SlowNetworkNemesis implements Nemesis {
    public static final String NAME = "slow-network";
    /** The qdisc handle (major number, hex) that marks ours. */
    static final String HANDLE = "7e57";
    /** The throttled rates to choose from, kbit/s: a heartbeat gets through, a batch of entries waits. */
    static final List<Integer> RATES_KBIT = List.of(16, 32, 64);

    private static final Duration LIMIT = Duration.ofSeconds(20);
    /** Removes our root qdisc from every interface of the host; an interface without it is left alone. */
    private static final String REMOVE =
            "for d in $(ip -o link show | sed -n 's/^[0-9]*: \\([^:@]*\\)[@:].*/\\1/p'); do "
                    + "if tc qdisc show dev \"$d\" root 2>/dev/null | grep -q '^qdisc htb " + HANDLE + ": '; then "
                    + "tc qdisc del dev \"$d\" root || exit 1; fi; done";
    /**
     * $1: rate (kbit); the rest: peer addresses. The interface to each is the one its route takes;
     * each gets one htb tree, and a u32 filter per peer sends that peer's traffic to the slow class.
     */
    private static final String THROTTLE = REMOVE + "; rate=\"$1\"; shift; done=''; for a in \"$@\"; do "
            + "d=$(ip -o route get \"$a\" | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p'); "
            + "[ -n \"$d\" ] || { echo \"no route to $a\" >&2; exit 1; }; [ \"$d\" = lo ] && continue; "
            + "case \" $done \" in *\" $d \"*) ;; *) "
            + "tc qdisc add dev \"$d\" root handle " + HANDLE + ": htb default 1 || exit 1; "
            + "tc class add dev \"$d\" parent " + HANDLE + ": classid " + HANDLE + ":1 htb rate 10gbit || exit 1; "
            + "tc class add dev \"$d\" parent " + HANDLE + ": classid " + HANDLE
            + ":2 htb rate \"${rate}kbit\" ceil \"${rate}kbit\" || exit 1; "
            + "tc qdisc add dev \"$d\" parent " + HANDLE + ":2 pfifo limit 100000 || exit 1; "
            + "done=\"$done $d\";; esac; "
            + "tc filter add dev \"$d\" parent " + HANDLE + ": protocol ip prio 1 u32 match ip dst \"$a/32\" flowid "
            + HANDLE + ":2 || exit 1; done";

    private final NemesisContext ctx;

    public SlowNetworkNemesis(NemesisContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Whoever a mixed schedule names: the leader, followers, the clients' nodes, a minority or a majority. */
    @Override
    public Set<Target> targets() {
        return EnumSet.allOf(Target.class);
    }

    /** A throttled majority cannot decide in time: no majority is left at full speed. */
    @Override
    public boolean takesMajorityDown(NemesisOp start) {
        return Target.of(start).filter(t -> t == Target.MAJORITY).isPresent();
    }

    /**
     * The root qdiscs an interface has by default (or the kernel gives it back when ours is
     * deleted): any other was set by the host's owner, and the throttle would replace it.
     */
    static final List<String> DEFAULT_ROOTS = List.of("noqueue", "pfifo_fast", "fq_codel", "mq", "pfifo", "fq");

    /**
     * $@: peer addresses. Fails (with the reason on stderr) where {@code tc} is missing or an
     * interface to a peer has a root qdisc of its owner's, which the throttle would replace.
     */
    private static final String CHECK = "command -v tc >/dev/null || { echo 'tc (iproute2) is not installed' >&2; "
            + "exit 1; }; for a in \"$@\"; do "
            + "d=$(ip -o route get \"$a\" | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p'); "
            + "{ [ -n \"$d\" ] && [ \"$d\" != lo ]; } || continue; "
            + "q=$(tc qdisc show dev \"$d\" root | sed -n '1s/^qdisc \\([^ ]*\\).*/\\1/p'); "
            + "case \" " + String.join(" ", DEFAULT_ROOTS) + " \" in *\" $q \"*) ;; *) "
            + "echo \"$d has a root qdisc of its own ($q), which slow-network would replace\" >&2; exit 1;; esac; done";

    /**
     * Removes a throttle a dead run left, then fails early where {@code tc} is missing or an
     * interface to a peer has its owner's root qdisc.
     */
    @Override
    public void setup() {
        Parallel.forEach(ctx.nodes(), h -> {
            run(h, Command.sh(REMOVE));
            run(h, Command.sh(CHECK, peers(h).toArray(String[]::new)));
        });
    }

    /** The addresses of every node but {@code h}. */
    private List<String> peers(Host h) {
        return ctx.nodes().stream()
                .filter(o -> !o.name().equals(h.name()))
                .map(Host::address)
                .toList();
    }

    @Override
    public NemesisOp startOp() {
        return NemesisOp.of("start-slow-network", NAME);
    }

    @Override
    public NemesisOp stopOp() {
        return NemesisOp.of("stop-slow-network", NAME);
    }

    @Override
    public NemesisOp invoke(NemesisOp op) {
        try {
            return switch (op.f()) {
                case "start-slow-network" -> start(op);
                case "stop-slow-network" -> {
                    removeAll();
                    yield op.with("healed", true);
                }
                default -> throw new IllegalArgumentException(NAME + " cannot do " + op.f());
            };
        } catch (RuntimeException e) {
            return op.with("error", String.valueOf(e.getMessage()));
        }
    }

    private NemesisOp start(NemesisOp op) {
        Optional<Target> role = Target.of(op).filter(targets()::contains);
        List<String> hit = role.orElse(Target.MINORITY).resolve(ctx);
        int kbit = RATES_KBIT.get(ctx.random().nextInt(RATES_KBIT.size()));
        Parallel.forEach(hit.stream().map(ctx::node).toList(), h -> {
            List<String> args = new ArrayList<>(List.of(String.valueOf(kbit)));
            args.addAll(peers(h));
            run(h, Command.sh(THROTTLE, args.toArray(String[]::new)));
        });
        return op.with("nodes", hit).with("kbit-per-s", kbit);
    }

    private void removeAll() {
        Parallel.forEach(ctx.nodes(), h -> run(h, Command.sh(REMOVE)));
    }

    @Override
    public void teardown() {
        removeAll();
    }

    private void run(Host h, Command c) {
        ctx.remotes().of(h).exec(c.withSudo().withTimeout(LIMIT)).check();
    }
}
