package io.omnitest.sut.protosim;

import io.omnitest.sut.log.Addressed;
import io.omnitest.sut.log.ReplicatedLog;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What {@link ProtoSim} needs to know about one protocol: how to create, sync and crash its
 * storage, how to start a server on a storage, and how to count its messages.
 *
 * @param <M> message type
 * @param <S> storage type (kept by the simulator across crashes)
 * @param <P> server type
 */
public interface SimProtocol<M extends Addressed, S, P extends ReplicatedLog<M>> {
    S newStorage(int pid);

    /** Makes the storage durable; the simulator calls it at the end of each batch, before sending. */
    void sync(S storage);

    /** What survives {@code kill -9}: only what was synced. */
    S crashCopy(S storage);

    /** A server on {@code storage} (fresh, or a crashed server's), with its own random source. */
    P start(int pid, List<Integer> nodes, S storage, RandomGenerator rnd);

    /** Requests count as RPCs (replies are part of the RPC, as in the seed's counts). */
    boolean isRequest(M m);

    /** A rough wire size in bytes. */
    long sizeOf(M m);
}
