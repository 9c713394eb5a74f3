package io.omnitest.sut.net;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * Length-prefixed framing between peers: {@code [int length][length bytes]}. A connection starts
 * with the {@link PeerHandshake}, which names and authenticates the sender.
 */
final class Frames {
    /** Largest frame either side accepts: an AcceptSync may carry a long log suffix. */
    static final int MAX_FRAME = 64 << 20;

    private Frames() {}

    /** The stream announced a frame outside {@code [0, MAX_FRAME]}: framing is lost, the link unusable. */
    static final class BadLength extends IOException {
        BadLength(int length) {
            super("frame length " + length + " out of bounds [0, " + MAX_FRAME + "]");
        }
    }

    static void write(DataOutputStream out, byte[] payload) throws IOException {
        out.writeInt(payload.length);
        out.write(payload);
    }

    /** Checks the length against {@link #MAX_FRAME} before allocating anything. @throws BadLength if it is out of bounds */
    static byte[] read(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_FRAME) throw new BadLength(length);
        byte[] payload = new byte[length];
        in.readFully(payload);
        return payload;
    }

    static boolean isEof(IOException e) {
        return e instanceof EOFException;
    }
}
