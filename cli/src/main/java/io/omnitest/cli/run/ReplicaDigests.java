package io.omnitest.cli.run;

import io.omnitest.infra.Host;
import java.util.Optional;

/**
 * A system's optional capability (on its {@code Db}): each node reports how many decided log
 * entries its state machine applied and a digest of exactly those entries (and, optionally, of
 * the state it built from them), read in one step on the node. Two nodes that report the same
 * count with different digests applied different decided logs, or made different state of the
 * same log: their replicas diverge, which consensus and a deterministic state machine forbid.
 * {@link ReplicaDivergence} judges it.
 */
public interface ReplicaDigests {
    /**
     * @param applied decided entries applied, at least 0
     * @param digest  a digest of those entries, equal on every node that applied the same ones; it
     *                may be {@code ENTRIES-STATE}, a digest of the entries and one of the state the
     *                node built from them (the omnipaxos node's), so that the report can tell
     *                different logs from different state made of the same log
     */
    record Digest(long applied, String digest) {}

    /** The node's digest, or empty when it does not answer (down, unreachable) or does not report one. */
    Optional<Digest> replicaDigest(Host node);
}
