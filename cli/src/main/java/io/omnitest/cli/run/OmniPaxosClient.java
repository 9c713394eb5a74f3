package io.omnitest.cli.run;

import io.omnitest.cli.run.workload.Invocation;
import io.omnitest.sut.client.KvClient;
import io.omnitest.sut.client.Outcome;
import io.omnitest.sut.kv.KvCommand;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;

/**
 * A {@link WorkloadClient} on the SUT's {@link KvClient}: one connection set per logical
 * process, client id {@code p<process>}, one sequence number per operation.
 *
 * <p>Each operation goes to the process's own node first. If that node answers
 * {@code not-leader}, or cannot be reached at all, the command certainly did not execute, so it
 * is resent (same {@code (client, seq)}, which the nodes de-duplicate) to the leader it names or
 * the last known leader ({@link #redirect}), at most {@link #REDIRECTS} times; the history's
 * {@code node} stays the process's own node. The
 * completion is then that of the last attempt: ok, fail only when every attempt certainly
 * failed, info as soon as one attempt may have executed.
 */
final class OmniPaxosClient implements WorkloadClient {
    static final int REDIRECTS = 2;
    /** Longer than the node's own request timeout (2 s), so the node's {@code timeout} answer usually arrives first. */
    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final KvClient client;
    private final String clientId;
    private final int nodeId;
    private long seq;

    /**
     * @param nodes  every node's client address by node id (1-based)
     * @param nodeId the process's own node
     */
    OmniPaxosClient(Map<Integer, InetSocketAddress> nodes, int process, int nodeId) {
        this.client = new KvClient(nodes);
        this.clientId = "p" + process;
        this.nodeId = nodeId;
    }

    @Override
    public Completion invoke(Invocation invocation) {
        KvCommand command = SutOps.command(invocation, clientId, ++seq);
        int node = nodeId;
        Outcome outcome = client.invoke(node, command, TIMEOUT);
        for (int i = 0; i < REDIRECTS && outcome instanceof Outcome.Fail f; i++) {
            int next = redirect(f, node, client.leaderGuess());
            if (next == 0) break;
            node = next;
            outcome = client.invoke(node, command, TIMEOUT);
        }
        return SutOps.completion(invocation, outcome);
    }

    /**
     * Where to resend a command that certainly did not execute, or 0 for nowhere: the leader a
     * {@code not-leader} answer names, or, when the node could not even be reached (killed,
     * paused before accepting), the node that last answered as leader.
     */
    static int redirect(Outcome.Fail f, int node, int leaderGuess) {
        int target = switch (f.error()) {
            case "not-leader" -> f.leader();
            case "unavailable" -> leaderGuess;
            default -> 0;
        };
        return target > 0 && target != node ? target : 0;
    }

    @Override
    public void close() {
        client.close();
    }
}
