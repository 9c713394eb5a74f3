package io.omnitest.nuke;

import io.omnitest.infra.Host;
import io.omnitest.infra.Parallel;
import io.omnitest.infra.faults.HasNodeFaults;
import io.omnitest.infra.faults.NodeFaults;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Wall-clock faults on the SUT process only (libfaketime, {@link NodeFaults}; the nodes share one
 * kernel clock). Every op records each node's offset afterwards as {@code offsets}
 * ({@code {"n1": ms, ...}}), which the report draws.
 * <ul>
 *   <li>{@code clock-skew}: a random non-empty subset of nodes gets a constant offset each, uniform
 *       in ±{@link #SKEW_MS}; the heal sets every offset back to 0.
 *   <li>{@code clock-jump}: a random subset steps by ±60..600 s at once; the heal steps back.
 *   <li>{@code clock-strobe}: a random subset flips between offset 0 and a random ±1..10 s every
 *       {@link #STROBE_PERIOD} for {@link #STROBE_DURATION} within the fault op, then returns to 0.
 * </ul>
 * libfaketime re-reads the offset at most once a second, so a step takes effect within a second
 * and the strobe period is no shorter than that.
 */
public final class ClockNemesis implements Nemesis {
    /** Which clock fault. */
    public enum Kind {
        SKEW,
        JUMP,
        STROBE
    }

    static final long SKEW_MS = 5_000;
    static final Duration STROBE_PERIOD = Duration.ofMillis(1_100);
    static final Duration STROBE_DURATION = Duration.ofSeconds(5);

    private final Kind kind;
    private final NemesisContext ctx;
    private final Map<String, Long> offsets = new LinkedHashMap<>();

    public ClockNemesis(Kind kind, NemesisContext ctx) {
        this.kind = kind;
        this.ctx = ctx;
        for (String n : ctx.names()) offsets.put(n, 0L);
    }

    @Override
    public String name() {
        return "clock-" + kind.name().toLowerCase();
    }

    private NodeFaults faults() {
        if (!(ctx.db() instanceof HasNodeFaults h) || !h.nodeFaults().fakeClock()) {
            throw new IllegalStateException(name() + " needs the SUT started under libfaketime, which this SUT is not");
        }
        return h.nodeFaults();
    }

    @Override
    public void setup() {
        faults();
    }

    /** Any role: a wrong clock takes no node down. */
    @Override
    public java.util.Set<Target> targets() {
        return java.util.EnumSet.allOf(Target.class);
    }

    @Override
    public NemesisOp startOp() {
        return NemesisOp.of("start-" + name(), name());
    }

    @Override
    public NemesisOp stopOp() {
        return NemesisOp.of("stop-" + name(), name());
    }

    @Override
    public NemesisOp invoke(NemesisOp op) {
        try {
            if (op.f().equals(startOp().f())) return start(op);
            if (op.f().equals(stopOp().f())) {
                reset();
                return op.with("offsets", new LinkedHashMap<>(offsets));
            }
            throw new IllegalArgumentException(name() + " cannot do " + op.f());
        } catch (RuntimeException e) {
            return op.with("error", String.valueOf(e.getMessage())).with("offsets", new LinkedHashMap<>(offsets));
        }
    }

    private NemesisOp start(NemesisOp op) {
        java.util.Optional<Target> role = Target.of(op);
        List<Host> targets = role.isPresent()
                ? role.get().resolve(ctx).stream().map(ctx::node).toList()
                : randomSubset();
        NemesisOp done = op.with("nodes", targets.stream().map(Host::name).toList());
        Map<String, Long> want = new LinkedHashMap<>();
        switch (kind) {
            case SKEW -> targets.forEach(h -> want.put(h.name(), uniform(-SKEW_MS, SKEW_MS)));
            case JUMP -> targets.forEach(h -> want.put(h.name(), sign() * uniform(60_000, 600_000)));
            case STROBE -> {
                Map<String, Long> delta = new LinkedHashMap<>();
                targets.forEach(h -> delta.put(h.name(), sign() * uniform(1_000, 10_000)));
                done = done.with("strobe", strobe(delta));
                long flips = STROBE_DURATION.toMillis() / STROBE_PERIOD.toMillis();
                for (long i = 0; i < flips; i++) {
                    set(i % 2 == 0 ? delta : zeros(delta.keySet()));
                    ctx.pause(STROBE_PERIOD, "clock-strobe");
                }
                set(zeros(delta.keySet()));
                return done.with("offsets", new LinkedHashMap<>(offsets));
            }
            default -> throw new IllegalStateException();
        }
        set(want);
        return done.with("offsets", new LinkedHashMap<>(offsets));
    }

    private static Map<String, Object> strobe(Map<String, Long> delta) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("delta-ms", delta);
        m.put("period-ms", STROBE_PERIOD.toMillis());
        m.put("duration-ms", STROBE_DURATION.toMillis());
        return m;
    }

    private void set(Map<String, Long> want) {
        NodeFaults f = faults();
        Parallel.forEach(new ArrayList<>(want.keySet()), n -> f.setClockOffset(ctx.node(n), want.get(n)));
        offsets.putAll(want);
    }

    private void reset() {
        Map<String, Long> zero = zeros(offsets.keySet());
        set(zero);
    }

    private static Map<String, Long> zeros(Iterable<String> names) {
        Map<String, Long> m = new LinkedHashMap<>();
        names.forEach(n -> m.put(n, 0L));
        return m;
    }

    private long uniform(long lo, long hi) {
        return lo + (long) (ctx.random().nextDouble() * (hi - lo));
    }

    private long sign() {
        return ctx.random().nextBoolean() ? 1 : -1;
    }

    /** A random non-empty subset of the nodes, in node order. */
    private List<Host> randomSubset() {
        List<Host> shuffled = new ArrayList<>(ctx.nodes());
        Collections.shuffle(shuffled, ctx.random());
        List<Host> picked = new ArrayList<>(shuffled.subList(0, 1 + ctx.random().nextInt(shuffled.size())));
        picked.sort(java.util.Comparator.comparing(h -> ctx.nodes().indexOf(h)));
        return picked;
    }

    @Override
    public void teardown() {
        if (ctx.db() instanceof HasNodeFaults h && h.nodeFaults().fakeClock()) reset();
    }
}
