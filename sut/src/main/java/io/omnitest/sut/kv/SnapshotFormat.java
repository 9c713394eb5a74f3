package io.omnitest.sut.kv;

import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The byte encoding of the KV snapshots ({@link KvStateMachine#snapshot()},
 * {@link LogKvReplica#snapshot()}): big-endian numbers, and strings as their UTF-16 length then
 * every char in modified UTF-8 (one byte for 0x01-0x7f, two or three otherwise), which gives back
 * any Java string exactly, unpaired surrogates included. Reading checks every length against the
 * bytes left, so a damaged snapshot fails with {@link IllegalArgumentException}, never with a huge
 * allocation.
 */
final class SnapshotFormat {
    private SnapshotFormat() {}

    static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Out u8(int v) {
            bytes.write(v);
            return this;
        }

        Out i32(int v) {
            for (int s = 24; s >= 0; s -= 8) bytes.write(v >>> s);
            return this;
        }

        Out i64(long v) {
            for (int s = 56; s >= 0; s -= 8) bytes.write((int) (v >>> s));
            return this;
        }

        Out bool(boolean v) {
            return u8(v ? 1 : 0);
        }

        Out str(String s) {
            i32(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c >= 0x01 && c <= 0x7f) {
                    bytes.write(c);
                } else if (c <= 0x7ff) {
                    bytes.write(0xc0 | (c >> 6));
                    bytes.write(0x80 | (c & 0x3f));
                } else {
                    bytes.write(0xe0 | (c >> 12));
                    bytes.write(0x80 | ((c >> 6) & 0x3f));
                    bytes.write(0x80 | (c & 0x3f));
                }
            }
            return this;
        }

        /** A string that may be null: a presence byte, then the string. */
        Out nullableStr(String s) {
            bool(s != null);
            return s == null ? this : str(s);
        }

        Out raw(byte[] b) {
            bytes.writeBytes(b);
            return this;
        }

        byte[] toByteArray() {
            return bytes.toByteArray();
        }
    }

    static final class In {
        private final ByteBuffer buf;

        In(byte[] data) {
            buf = ByteBuffer.wrap(data);
        }

        int u8() {
            return get(() -> buf.get() & 0xff);
        }

        int i32() {
            return get(buf::getInt);
        }

        long i64() {
            return get(buf::getLong);
        }

        boolean bool() {
            int b = u8();
            if (b > 1) throw new IllegalArgumentException("bad boolean " + b + " at byte " + (buf.position() - 1));
            return b == 1;
        }

        /** A count of items that take at least {@code minBytes} each: checked against what is left. */
        int count(int minBytes) {
            int n = i32();
            if (n < 0 || (long) n * minBytes > buf.remaining())
                throw new IllegalArgumentException(
                        "impossible count " + n + " with " + buf.remaining() + " bytes left");
            return n;
        }

        String str() {
            int n = count(1);
            char[] chars = new char[n];
            for (int i = 0; i < n; i++) {
                int a = u8();
                if (a >= 0x01 && a <= 0x7f) {
                    chars[i] = (char) a;
                } else if ((a & 0xe0) == 0xc0) {
                    chars[i] = (char) (((a & 0x1f) << 6) | cont());
                } else if ((a & 0xf0) == 0xe0) {
                    int b = cont();
                    chars[i] = (char) (((a & 0x0f) << 12) | (b << 6) | cont());
                } else {
                    throw new IllegalArgumentException("bad string byte " + a + " at byte " + (buf.position() - 1));
                }
            }
            return new String(chars);
        }

        String nullableStr() {
            return bool() ? str() : null;
        }

        byte[] rest() {
            byte[] b = new byte[buf.remaining()];
            buf.get(b);
            return b;
        }

        /** Throws unless every byte was read. */
        void end() {
            if (buf.hasRemaining())
                throw new IllegalArgumentException(buf.remaining() + " bytes left over after the snapshot");
        }

        private int cont() {
            int b = u8();
            if ((b & 0xc0) != 0x80)
                throw new IllegalArgumentException("bad string byte " + b + " at byte " + (buf.position() - 1));
            return b & 0x3f;
        }

        private <T> T get(java.util.function.Supplier<T> read) {
            try {
                return read.get();
            } catch (BufferUnderflowException e) {
                throw new IllegalArgumentException("the snapshot ends early, at byte " + buf.position());
            }
        }
    }
}
