package io.omnitest.sut.net;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * Length-prefixed framing between peers: {@code [int length][length bytes]}. A connection starts
 * with a hello frame naming the sender, so the receiver knows which peer's link it is.
 */
final class Frames {
    /** Largest frame either side accepts: an AcceptSync may carry a long log suffix. */
    static final int MAX_FRAME = 64 << 20;
    static final int HELLO_MAGIC = 0x4F505831; // "OPX1"

    private Frames() {}

    static void write(DataOutputStream out, byte[] payload) throws IOException {
        out.writeInt(payload.length);
        out.write(payload);
    }

    /** @throws IOException on EOF or a length outside {@code [0, MAX_FRAME]} (the link is then unusable) */
    static byte[] read(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_FRAME) throw new IOException("frame length " + length + " out of bounds");
        byte[] payload = new byte[length];
        in.readFully(payload);
        return payload;
    }

    static void writeHello(DataOutputStream out, int pid) throws IOException {
        out.writeInt(HELLO_MAGIC);
        out.writeInt(pid);
        out.flush();
    }

    /** @return the sender's pid */
    static int readHello(DataInputStream in) throws IOException {
        int magic = in.readInt();
        if (magic != HELLO_MAGIC) throw new IOException("not an omnipaxos peer (bad hello " + Integer.toHexString(magic) + ")");
        return in.readInt();
    }

    static boolean isEof(IOException e) { return e instanceof EOFException; }
}
