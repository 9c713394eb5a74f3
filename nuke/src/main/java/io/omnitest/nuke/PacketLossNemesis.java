package io.omnitest.nuke;

/**
 * Drops a random share of the packets between every pair of SUT nodes (iptables
 * {@code statistic} match; this kernel has no netem). Ops {@code start-packet-loss}
 * (value: probability) and {@code stop-packet-loss}.
 */
public final class PacketLossNemesis implements Nemesis {
    private final NemesisContext ctx;

    public PacketLossNemesis(NemesisContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public String name() {
        return "packet-loss";
    }

    @Override
    public void setup() {
        ctx.net().setup();
    }

    @Override
    public NemesisOp startOp() {
        return NemesisOp.of("start-packet-loss", name());
    }

    @Override
    public NemesisOp stopOp() {
        return NemesisOp.of("stop-packet-loss", name());
    }

    @Override
    public NemesisOp invoke(NemesisOp op) {
        try {
            return switch (op.f()) {
                case "start-packet-loss" -> {
                    ctx.net().packetLoss(ctx.packetLoss());
                    yield op.with("probability", ctx.packetLoss()).with("nodes", ctx.names());
                }
                case "stop-packet-loss" -> {
                    ctx.net().heal();
                    yield op.with("healed", true);
                }
                default -> throw new IllegalArgumentException(name() + " cannot do " + op.f());
            };
        } catch (RuntimeException e) {
            return op.with("error", String.valueOf(e.getMessage()));
        }
    }

    @Override
    public void teardown() {
        ctx.net().teardown();
    }
}
