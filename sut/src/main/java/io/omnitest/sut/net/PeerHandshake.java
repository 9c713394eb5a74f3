package io.omnitest.sut.net;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Set;

/**
 * Mutual challenge–response authentication at the start of every peer connection, with
 * HMAC-SHA256 under the {@link ClusterSecret}. The dialling side D opens the connection (it will
 * send messages on it), the accepting side A listens:
 *
 * <pre>
 *   D → A  magic "OPX2", D's id, the id D expects A to have, nonce_D (32 random bytes)
 *   A → D  magic, A's id, nonce_A, HMAC(k, "accept", D, A, nonce_D, nonce_A)
 *   D → A  HMAC(k, "dial", D, A, nonce_D, nonce_A)
 * </pre>
 *
 * Each side checks the other's MAC with a constant-time compare before it trusts anything: D
 * sends no message to an A that cannot prove the secret, A delivers no frame from a D that cannot.
 * Fresh nonces on both sides defeat replay; the distinct labels stop a MAC from one role being
 * reflected as the other's; the ids inside the MAC stop a member from being talked into believing
 * it is connected to a different member than the one that answered.
 *
 * <p>Why HMAC rather than mutual TLS: the threat is a stranger on the network (joining, injecting
 * a Decide, raising a promise), and a shared secret file needs no CA, keystore or certificate
 * expiry to manage at deploy time. What it does not give: confidentiality, and integrity of the
 * stream after the handshake against an attacker ON the path who can splice TCP segments (a
 * stranger off the path cannot guess TCP sequence numbers). Mutual TLS would cover both.
 *
 * <p>Every field has a fixed size, so nothing read before authentication allocates by a length
 * the other side chose. The caller bounds the whole exchange with a socket timeout.
 */
final class PeerHandshake {
    static final int MAGIC = 0x4F505832; // "OPX2"
    static final int NONCE = 32;
    static final int MAC = 32;
    private static final byte[] ACCEPT = "omnipaxos-peer accept".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DIAL = "omnipaxos-peer dial".getBytes(StandardCharsets.US_ASCII);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The other side is not a member holding the secret, or spoke something else; the message is for the log. */
    static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    private PeerHandshake() {}

    /** Dialling side: proves itself to peer {@code expected} and checks that it is that peer. */
    static void dial(DataInputStream in, DataOutputStream out, int self, int expected, ClusterSecret secret)
            throws IOException {
        byte[] nonceD = nonce();
        out.writeInt(MAGIC);
        out.writeInt(self);
        out.writeInt(expected);
        out.write(nonceD);
        out.flush();
        int magic = in.readInt();
        if (magic != MAGIC) throw new Refused("not an omnipaxos peer (answered " + Integer.toHexString(magic) + ")");
        int a = in.readInt();
        byte[] nonceA = in.readNBytes(NONCE);
        byte[] macA = in.readNBytes(MAC);
        if (macA.length != MAC) throw new java.io.EOFException("handshake cut short");
        if (a != expected) throw new Refused("the server at this address says it is " + a + ", not " + expected);
        if (!ClusterSecret.matches(secret.mac(ACCEPT, id(self), id(a), nonceD, nonceA), macA)) {
            throw new Refused("it could not prove the cluster secret");
        }
        out.write(secret.mac(DIAL, id(self), id(a), nonceD, nonceA));
        out.flush();
    }

    /**
     * Accepting side.
     *
     * @param members every member's id; the dialler must be one of them, other than {@code self}
     * @return the dialler's id, authenticated
     */
    static int accept(DataInputStream in, DataOutputStream out, int self, Set<Integer> members, ClusterSecret secret)
            throws IOException {
        int magic = in.readInt();
        if (magic != MAGIC) throw new Refused("not an omnipaxos peer (bad hello " + Integer.toHexString(magic) + ")");
        int d = in.readInt();
        int wanted = in.readInt();
        byte[] nonceD = in.readNBytes(NONCE);
        if (nonceD.length != NONCE) throw new java.io.EOFException("handshake cut short");
        if (d == self || !members.contains(d))
            throw new Refused("it claims to be server " + d + ", not a peer of this cluster");
        if (wanted != self) throw new Refused("it wanted server " + wanted + ", this is " + self);
        byte[] nonceA = nonce();
        out.writeInt(MAGIC);
        out.writeInt(self);
        out.write(nonceA);
        out.write(secret.mac(ACCEPT, id(d), id(self), nonceD, nonceA));
        out.flush();
        byte[] macD = in.readNBytes(MAC);
        if (macD.length != MAC) throw new java.io.EOFException("handshake cut short");
        if (!ClusterSecret.matches(secret.mac(DIAL, id(d), id(self), nonceD, nonceA), macD)) {
            throw new Refused("server " + d + " could not prove the cluster secret");
        }
        return d;
    }

    /**
     * Loads and initialises the MAC and random generator: on a cold, busy JVM that took longer than
     * a peer waits for a handshake.
     */
    static void warmUp(ClusterSecret secret) {
        secret.mac(nonce());
    }

    private static byte[] nonce() {
        byte[] n = new byte[NONCE];
        RANDOM.nextBytes(n);
        return n;
    }

    private static byte[] id(int pid) {
        return ByteBuffer.allocate(4).putInt(pid).array();
    }
}
