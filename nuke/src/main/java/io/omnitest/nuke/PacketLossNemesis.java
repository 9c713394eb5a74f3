package io.omnitest.nuke;

import java.util.List;

/**
 * Loss between every pair of SUT nodes, both ways, from iptables {@code statistic} rules (this
 * kernel has no netem). Two kinds:
 * <ul>
 *   <li>{@code packet-loss} drops a random share of the packets ({@link IptablesNet#packetLoss});
 *       TCP retransmits them, so the nodes see delays, not lost messages. Ops
 *       {@code start-packet-loss} (value: probability) and {@code stop-packet-loss}.</li>
 *   <li>{@code connection-reset} answers a random share of the TCP packets with a reset
 *       ({@link IptablesNet#connectionResets}), so connections between nodes are aborted at random
 *       moments while the fault lasts. Whatever a node had written to the aborted connection and its
 *       peer had not read is lost; the node connects again and must resynchronise. Neither packet
 *       loss nor a partition (which leaves connections to time out) loses single messages between
 *       live, connected nodes: this is the network a simulator's lossy links model, and the one in
 *       which a protocol's recovery from a lost message (a leader's message to a follower not yet
 *       brought up to date, a late promise) is put to the test. Each window takes one share from
 *       {@link #RESET_SHARES} (seeded): from a reset every second or so on a busy link to one every
 *       few dozen packets. Ops {@code start-connection-reset} (value: share, nodes) and
 *       {@code stop-connection-reset}.</li>
 * </ul>
 * Clients and the control node's SSH are never touched.
 */
public final class PacketLossNemesis implements Nemesis {
    public static final String RESET_NAME = "connection-reset";
    /** Shares of the packets from a peer that {@code connection-reset} answers with a reset. */
    static final List<Double> RESET_SHARES = List.of(0.002, 0.01, 0.05);

    private final NemesisContext ctx;
    private final boolean resets;

    /** {@code packet-loss}. */
    public PacketLossNemesis(NemesisContext ctx) {
        this(ctx, false);
    }

    private PacketLossNemesis(NemesisContext ctx, boolean resets) {
        this.ctx = ctx;
        this.resets = resets;
    }

    /** {@code connection-reset}. */
    public static PacketLossNemesis resets(NemesisContext ctx) {
        return new PacketLossNemesis(ctx, true);
    }

    @Override
    public String name() {
        return resets ? RESET_NAME : "packet-loss";
    }

    @Override
    public void setup() {
        ctx.net().setup();
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
            if (op.f().equals("start-" + name())) {
                if (resets) {
                    double share = RESET_SHARES.get(ctx.random().nextInt(RESET_SHARES.size()));
                    ctx.net().connectionResets(share);
                    return op.with("share", share).with("nodes", ctx.names());
                }
                ctx.net().packetLoss(ctx.packetLoss());
                return op.with("probability", ctx.packetLoss()).with("nodes", ctx.names());
            }
            if (op.f().equals("stop-" + name())) {
                ctx.net().heal();
                return op.with("healed", true);
            }
            throw new IllegalArgumentException(name() + " cannot do " + op.f());
        } catch (RuntimeException e) {
            return op.with("error", String.valueOf(e.getMessage()));
        }
    }

    @Override
    public void teardown() {
        ctx.net().teardown();
    }
}
