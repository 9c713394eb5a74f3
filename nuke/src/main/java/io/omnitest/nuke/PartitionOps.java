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

    /** Heals every cut; the completion's value says what was done. */
    NemesisOp stop(NemesisOp op) {
        ctx.net().heal();
        return op.with("healed", true);
    }

    /** The completion of {@code op}, which threw {@code e}: its value carries the error. */
    NemesisOp failed(NemesisOp op, RuntimeException e) {
        return op.with("error", String.valueOf(e.getMessage()));
    }

    @Override
    public void teardown() {
        ctx.net().teardown();
    }
}
