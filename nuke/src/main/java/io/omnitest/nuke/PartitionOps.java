package io.omnitest.nuke;

/**
 * What the partition nemeses share: the omnitest iptables chain, set up and torn down with the
 * nemesis; a {@code start-partition} op that each carries out its own way ({@link #start}); and a
 * {@code stop-partition} op that heals every cut. An op that throws completes with the error in
 * its value ({@link #failed}), as {@link Nemesis#invoke} requires.
 */
abstract class PartitionOps implements Nemesis {
    final NemesisContext ctx;
    private final String name;

    PartitionOps(String name, NemesisContext ctx) {
        this.name = name;
        this.ctx = ctx;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void setup() {
        ctx.net().setup();
    }

    @Override
    public NemesisOp startOp() {
        return NemesisOp.of("start-partition", name);
    }

    @Override
    public NemesisOp stopOp() {
        return NemesisOp.of("stop-partition", name);
    }

    @Override
    public NemesisOp invoke(NemesisOp op) {
        try {
            return switch (op.f()) {
                case "start-partition" -> start(op);
                case "stop-partition" -> stop(op);
                default -> throw new IllegalArgumentException(name + " cannot do " + op.f());
            };
        } catch (RuntimeException e) {
            return failed(op, e);
        }
    }

    /** Cuts the network as this nemesis does; the completion's value says how. */
    abstract NemesisOp start(NemesisOp op);

    /**
     * Heals every cut; the completion's value says what was done. With {@link
     * NemesisContext#flappingHeals} on, half the heals (seeded) go through a flapping network first:
     * for {@link #FLAP_SECONDS one to three seconds} a share ({@link #FLAP_SHARES}) of the TCP packets
     * between all nodes is answered with a reset ({@link IptablesNet#flap}), as when a link comes back
     * unsteadily or a middlebox that lost its state resets the old connections. Just then the nodes
     * cut off reconnect and are brought up to date, and messages of that resynchronisation are lost
     * while later ones get through; a clean heal never loses one. Value: {@code flap} (share, ms).
     */
    NemesisOp stop(NemesisOp op) {
        if (ctx.flappingHeals() && ctx.random().nextBoolean()) {
            double share = FLAP_SHARES.get(ctx.random().nextInt(FLAP_SHARES.size()));
            int seconds = FLAP_SECONDS.get(ctx.random().nextInt(FLAP_SECONDS.size()));
            ctx.net().flap(share);
            ctx.pause(java.time.Duration.ofSeconds(seconds), "a flapping heal");
            ctx.net().heal();
            return op.with("healed", true).with("flap", java.util.Map.of("share", share, "ms", seconds * 1000));
        }
        ctx.net().heal();
        return op.with("healed", true);
    }

    /** Shares of the TCP packets a flapping heal answers with a reset. */
    static final java.util.List<Double> FLAP_SHARES = java.util.List.of(0.05, 0.2);
    /** How long a flapping heal flaps, in seconds. */
    static final java.util.List<Integer> FLAP_SECONDS = java.util.List.of(1, 2, 3);

    /** The completion of {@code op}, which threw {@code e}: its value carries the error. */
    NemesisOp failed(NemesisOp op, RuntimeException e) {
        return op.with("error", String.valueOf(e.getMessage()));
    }

    @Override
    public void teardown() {
        ctx.net().teardown();
    }
}
