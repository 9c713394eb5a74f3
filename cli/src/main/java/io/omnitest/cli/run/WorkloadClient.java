package io.omnitest.cli.run;

import io.omnitest.cli.run.workload.Invocation;

/**
 * Jepsen's {@code Client} for one logical process against one node: it turns an
 * {@link Invocation} into a request and the answer into a {@link Completion}. {@code invoke}
 * never throws: whatever goes wrong becomes {@code fail} only when the operation certainly did
 * not take effect, else {@code info}. Not shared between processes.
 */
public interface WorkloadClient extends AutoCloseable {
    Completion invoke(Invocation invocation);

    /** Releases the connection; idempotent, never throws. */
    @Override
    void close();

    /** Opens clients; thread-safe. */
    interface Factory {
        /**
         * A client for {@code process} talking to the node at {@code nodeIndex} of the run's
         * host list. Opening is lazy: connection errors surface as completions of the first invoke.
         */
        WorkloadClient open(int process, int nodeIndex);
    }
}
