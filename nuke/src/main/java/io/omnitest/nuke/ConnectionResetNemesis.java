package io.omnitest.nuke;

import java.util.List;

/**
 * {@code connection-reset}: a random share of the TCP packets between every pair of SUT nodes is
 * answered with a TCP reset ({@link IptablesNet#connectionResets}), so connections between nodes
 * are aborted at random moments, both ways, while the fault lasts. Whatever a node had written to
 * the aborted connection and its peer had not read is lost; the node connects again and must
 * resynchronise. Packet loss ({@code packet-loss}) is hidden by TCP's retransmission, and a
 * partition leaves the connections to time out: neither loses single messages between live,
 * connected nodes, which is the network a simulator's lossy links model and the one in which a
 * protocol's resynchronisation after a lost message (a leader's message to a follower that has
 * not been brought up to date yet, a late promise) is put to the test.
 *
 * <p>Each window takes one share from {@link #SHARES} (seeded): from a reset every second or so
 * on a busy link to one every few dozen packets. Clients and the control node's SSH are never
 * touched. Ops {@code start-connection-reset} (value: share, nodes) and {@code stop-connection-reset}.
 */
public final class ConnectionResetNemesis implements Nemesis {
    public static final String NAME = "connection-reset";
    /** Shares of the packets from a peer answered with a reset. */
    static final List<Double> SHARES = List.of(0.002, 0.01, 0.05);

    private final NemesisContext ctx;

    public ConnectionResetNemesis(NemesisContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void setup() {
        ctx.net().setup();
    }

    @Override
    public NemesisOp startOp() {
        return NemesisOp.of("start-connection-reset", NAME);
    }

    @Override
    public NemesisOp stopOp() {
        return NemesisOp.of("stop-connection-reset", NAME);
    }

    @Override
    public NemesisOp invoke(NemesisOp op) {
        try {
            return switch (op.f()) {
                case "start-connection-reset" -> {
                    double share = SHARES.get(ctx.random().nextInt(SHARES.size()));
                    ctx.net().connectionResets(share);
                    yield op.with("share", share).with("nodes", ctx.names());
                }
                case "stop-connection-reset" -> {
                    ctx.net().heal();
                    yield op.with("healed", true);
                }
                default -> throw new IllegalArgumentException(NAME + " cannot do " + op.f());
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
