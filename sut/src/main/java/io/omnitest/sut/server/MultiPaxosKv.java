package io.omnitest.sut.server;

import io.omnitest.sut.kv.LogKvReplica;
import io.omnitest.sut.log.Addressed;
import io.omnitest.sut.log.ReplicatedLog;
import io.omnitest.sut.storage.CorruptLogException;
import io.omnitest.sut.storage.FilePaxosStorage;

/**
 * Ties the Multi-Paxos node's KV replica to its storage's slot garbage collection: the replica
 * starts from the snapshot found in the data dir (then applies the decisions the core replays
 * after it), and the storage snapshots the replica before it forgets decisions
 * ({@link FilePaxosStorage#collectWith}). The core stays pure: it only asks the storage to clear.
 */
public final class MultiPaxosKv {
    private MultiPaxosKv() {}

    /**
     * The replica on {@code log}, a Multi-Paxos core (or a wrapper of one) just built on
     * {@code storage}.
     *
     * @throws CorruptLogException if the snapshot in the data dir cannot be read as a replica's state
     */
    public static <M extends Addressed> LogKvReplica<M> replica(
            FilePaxosStorage storage, ReplicatedLog<M> log, int requestTimeoutTicks) {
        FilePaxosStorage.Snapshot found = storage.takeFoundSnapshot();
        LogKvReplica.Snapshot restored = null;
        if (found != null) {
            try {
                restored = LogKvReplica.Snapshot.parse(found.data());
            } catch (IllegalArgumentException e) {
                throw new CorruptLogException(
                        "the snapshot " + FilePaxosStorage.SNAPSHOT + " passes its checksum but is not a KV"
                                + " replica's state (" + e.getMessage() + "); refusing to start on it");
            }
            if (restored.applied() != found.slot()) {
                throw new CorruptLogException("the snapshot " + FilePaxosStorage.SNAPSHOT + " is filed at slot "
                        + found.slot() + " but holds the state after " + restored.applied()
                        + " entries; refusing to start on it");
            }
        }
        LogKvReplica<M> replica = new LogKvReplica<>(log, requestTimeoutTicks, restored);
        storage.collectWith(() -> new FilePaxosStorage.Snapshot(replica.appliedCount(), replica.snapshot()));
        return replica;
    }
}
