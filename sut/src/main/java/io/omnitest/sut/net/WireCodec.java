package io.omnitest.sut.net;

import io.omnitest.sut.log.Addressed;
import java.io.IOException;

/**
 * How one protocol's messages travel in the {@link PeerTransport}'s frames. Implementations are
 * thread-safe: every reader and writer thread shares one.
 *
 * @param <M> the protocol's message type
 */
public interface WireCodec<M extends Addressed> {
    byte[] encode(M m);

    /**
     * @throws IOException if the bytes are not a well-formed message of this protocol; the
     *         transport drops such a frame (logged, rate-limited) and the link goes on
     */
    M decode(byte[] bytes, int offset, int length) throws IOException;
}
