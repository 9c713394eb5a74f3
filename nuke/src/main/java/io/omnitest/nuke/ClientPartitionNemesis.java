package io.omnitest.nuke;

import io.omnitest.infra.Host;
import io.omnitest.infra.db.ClientPort;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code partition-clients}: the clients are cut off from the leader while the nodes still reach
 * each other. The other partitions cut links between nodes only; this one cuts the link a request
 * travels before any node has it. On the leader, TCP packets that arrive at the system's client
 * port ({@link ClientPort}) are dropped ({@link IptablesNet#cutClients}). A client's new connection
 * to it times out, and what it had written to an open one waits in its send queue: its operation
 * times out, it retries elsewhere and moves on to its next command, and TCP delivers the old
 * request at the heal, late, maybe after commands the same client sent later over another
 * connection. A system's sessions (de-duplication of retries, the order of a client's commands)
 * meet such late requests here, and no other fault makes them.
 *
 * <p>The heal comes in two steps. For {@link #STALE_FLOWS} only new connections to the port get
 * through ({@link IptablesNet#staleClientFlows}): the clients' current commands reach the leader
 * over fresh connections while the requests left in old ones still wait; then everything heals and
 * those arrive, after later commands of the same clients. Healed at once, an old request's TCP
 * retransmission often won the race against its client's next connection, and arrived in order.
 *
 * <p>Whom: the leader, the node the clients' requests go to (from the live status, waiting a few
 * election timeouts when there is none, else the first node). Cut off from a follower, clients
 * only go to the leader a moment sooner, and a request that reaches a follower late is refused
 * (not the leader), never executed; so a mix names no role for it. Ops
 * {@code start-partition-clients} (value: nodes, port per node, chosen-by) and
 * {@code stop-partition-clients}. Set-up refuses a system that does not say its client port, or
 * whose client port is a node's SSH port (the heal could never reach it).
 */
public final class ClientPartitionNemesis implements Nemesis {
    public static final String NAME = "partition-clients";

    /**
     * How long only new connections get through before the full heal: a client whose request waits
     * in an old connection has timed out on it and connects anew (its connect times out after 1 s
     * while cut); a new connection is answered at once and a command takes milliseconds, so 2 s lets
     * most clients complete commands over new connections before the old requests arrive. A client
     * that backs off between attempts (the OmniPaxos client for up to 1.5 s) after a connect that
     * timed out just before may come back only after the full heal; its old request then races its
     * retry, as without this step. Longer would cost every window that much more.
     */
    static final Duration STALE_FLOWS = Duration.ofSeconds(2);

    private final NemesisContext ctx;
    /** The ports cut now, or null. */
    private Map<String, Integer> cut;

    public ClientPartitionNemesis(NemesisContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public String name() {
        return NAME;
    }

    /** Clients cut off from the leader cannot have a command decided, whatever the system does: no availability is expected. */
    @Override
    public boolean takesMajorityDown() {
        return true;
    }

    @Override
    public void setup() {
        if (!(ctx.db() instanceof ClientPort)) {
            throw new IllegalStateException(NAME + " needs a system that names its client port (ClientPort)");
        }
        for (Host h : ctx.nodes()) port(h);
        ctx.net().setup();
    }

    private int port(Host h) {
        int port = ((ClientPort) ctx.db()).clientPort(h);
        if (port < 1 || port > 65535)
            throw new IllegalStateException("client port " + port + " of " + h.name() + " is not a TCP port");
        if (port == h.port()) {
            throw new IllegalStateException(
                    NAME + " cannot cut " + h.name() + "'s client port " + port + ": SSH uses it");
        }
        return port;
    }

    @Override
    public NemesisOp startOp() {
        return NemesisOp.of("start-" + NAME, NAME);
    }

    @Override
    public NemesisOp stopOp() {
        return NemesisOp.of("stop-" + NAME, NAME);
    }

    @Override
    public NemesisOp invoke(NemesisOp op) {
        try {
            if (op.f().equals("start-" + NAME)) {
                // a node fault of the same window may just have taken the leader away: wait for the next
                Optional<String> leader = ctx.leaderSoon();
                String hit = leader.orElse(ctx.names().get(0));
                Map<String, Integer> ports = Map.of(hit, port(ctx.node(hit)));
                ctx.net().cutClients(ports);
                cut = ports;
                return op.with("nodes", List.of(hit))
                        .with("ports", ports)
                        .with("chosen-by", leader.isPresent() ? Roles.LIVE : Roles.FIXED);
            }
            if (op.f().equals("stop-" + NAME)) {
                Map<String, Integer> ports = cut;
                cut = null;
                String staleError = null;
                if (ports != null) {
                    try {
                        ctx.net().staleClientFlows(ports);
                        ctx.pause(STALE_FLOWS, "while only new client connections get through");
                    } catch (RuntimeException e) { // the heal below must happen all the same
                        staleError = String.valueOf(e.getMessage());
                    }
                }
                ctx.net().heal();
                NemesisOp healed = op.with("healed", true);
                if (ports == null) return healed;
                return staleError == null
                        ? healed.with("stale-flows-ms", STALE_FLOWS.toMillis())
                        : healed.with("stale-flows-error", staleError);
            }
            throw new IllegalArgumentException(NAME + " cannot do " + op.f());
        } catch (RuntimeException e) {
            return op.with("error", String.valueOf(e.getMessage()));
        }
    }

    @Override
    public void teardown() {
        ctx.net().teardown();
    }
}
