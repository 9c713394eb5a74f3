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
 * {@code not-leader}, the command certainly did not execute, so it is resent (same
 * {@code (client, seq)}, which the node de-duplicates) to the leader it names, at most
 * {@link #REDIRECTS} times; the history's {@code node} stays the process's own node. The
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
        for (int i = 0; i < REDIRECTS && outcome instanceof Outcome.Fail f && "not-leader".equals(f.error())
                && f.leader() > 0 && f.leader() != node; i++) {
            node = f.leader();
            outcome = client.invoke(node, command, TIMEOUT);
        }
        return SutOps.completion(invocation, outcome);
    }

    @Override
    public void close() {
        client.close();
    }
}
