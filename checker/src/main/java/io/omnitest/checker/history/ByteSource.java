package io.omnitest.checker.history;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bytes of one history, read once, front to back, through one buffer: no seek and no
 * second open, so pipes ({@code /dev/stdin}, {@code <(...)}) and FIFOs read like files. Knows
 * the 1-based line of the next byte, lets format detection look at the first
 * {@link #HEAD_BYTES} without consuming them ({@link #head}), and reads lines no longer than a
 * bound ({@link #line}; a longer one is refused, or skipped without being kept) so that a file
 * without newlines ({@code /dev/zero}) cannot exhaust the heap. Not thread-safe.
 */
final class ByteSource {
    static final int EOF = -1;
    /** How much of the stream format detection sees. */
    static final int HEAD_BYTES = 64 * 1024;
    /** The default longest op (line, or EDN op map) a reader accepts. */
    static final int MAX_OP_BYTES = 64 << 20;

    private final InputStream in;
    private byte[] buf = new byte[HEAD_BYTES];
    private int pos, limit;
    private long base; // stream offset of buf[0]
    private boolean eof;
    private int line = 1;
    private byte[] scratch = new byte[256];
    private int lineLength;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);

    private final int maxOpBytes;

    ByteSource(InputStream in) {
        this(in, MAX_OP_BYTES);
    }

    /** @param maxOpBytes the longest op accepted, in bytes (a multiple of 1 MiB) */
    ByteSource(InputStream in, int maxOpBytes) {
        this.in = in;
        this.maxOpBytes = maxOpBytes;
    }

    /** Chars from a {@link Reader}, as UTF-8 bytes (for callers that hold text already). */
    static ByteSource of(Reader r) {
        return new ByteSource(new ReaderBytes(r));
    }

    static ByteSource of(Reader r, int maxOpBytes) {
        return new ByteSource(new ReaderBytes(r), maxOpBytes);
    }

    /** The longest op (line, or EDN op map) a reader accepts; longer is malformed, not an OOM. */
    int maxOpBytes() {
        return maxOpBytes;
    }

    /** The 1-based line of the next byte. */
    int line() {
        return line;
    }

    /** The stream offset of the next byte. */
    long offset() {
        return base + pos;
    }

    private boolean fill() throws IOException {
        if (eof) return false;
        if (pos > 0) {
            System.arraycopy(buf, pos, buf, 0, limit - pos);
            limit -= pos;
            base += pos;
            pos = 0;
        }
        if (limit == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
        int n = in.read(buf, limit, buf.length - limit);
        if (n < 0) {
            eof = true;
            return false;
        }
        limit += n;
        return true;
    }

    /** Up to {@link #HEAD_BYTES} bytes from the current position, not consumed. */
    byte[] head() throws IOException {
        while (limit - pos < HEAD_BYTES && fill()) {}
        return Arrays.copyOfRange(buf, pos, Math.min(limit, pos + HEAD_BYTES));
    }

    int peek() throws IOException {
        if (pos == limit && !fill()) return EOF;
        return buf[pos] & 0xFF;
    }

    /** The byte {@code k} places ahead, not consumed, or {@link #EOF}. */
    int peekAt(int k) throws IOException {
        while (limit - pos <= k && fill()) {}
        return pos + k < limit ? buf[pos + k] & 0xFF : EOF;
    }

    /**
     * Consumes the run of next bytes {@code b} with {@code accept[b]} into {@code dst} from index
     * {@code n}, stopping once {@code dst} holds more than {@code max} bytes, and returns where
     * the run ends in {@code dst}; past {@code max} means the run is longer than the caller
     * allows. {@code accept} must not accept {@code '\n'}; {@code dst} must hold {@code max + 1}.
     */
    int take(boolean[] accept, byte[] dst, int n, int max) throws IOException {
        int p = pos, end = limit;
        byte[] b = buf;
        while (n <= max) {
            if (p == end) {
                pos = p;
                if (!fill()) return n;
                p = pos;
                end = limit;
                b = buf;
            }
            byte c = b[p];
            if (!accept[c & 0xFF]) break;
            dst[n++] = c;
            p++;
        }
        pos = p;
        return n;
    }

    /**
     * Makes the rest of the current line available in {@link #buffer()} without consuming it:
     * returns the index there of its {@code '\n'} (or of the end of the stream), or -1 when the
     * line is longer than {@code max} bytes. Indexes into the buffer are valid until the next
     * call that reads.
     */
    int lineInBuffer(int max) throws IOException {
        int scanned = 0; // bytes from pos known to hold no '\n'
        while (true) {
            int end = (int) Math.min(limit, (long) pos + max + 1);
            for (int i = pos + scanned; i < end; i++) if (buf[i] == '\n') return i;
            scanned = end - pos;
            if (scanned > max) return -1;
            if (!fill()) return limit;
        }
    }

    byte[] buffer() {
        return buf;
    }

    /** The index in {@link #buffer()} of the next byte. */
    int bufferPosition() {
        return pos;
    }

    /** Consumes up to index {@code to} of {@link #buffer()}, and its {@code '\n'} if there is one (the bytes before hold none). */
    void consumeLine(int to) {
        pos = to;
        if (pos < limit && buf[pos] == '\n') {
            pos++;
            line++;
        }
    }

    int read() throws IOException {
        if (pos == limit && !fill()) return EOF;
        int b = buf[pos++] & 0xFF;
        if (b == '\n') line++;
        return b;
    }

    /**
     * Reads the next line (without its end, CR LF or LF) into a scratch buffer and returns its
     * length, or -1 at the end of the stream. The bytes are valid until the next call.
     *
     * @throws MalformedHistoryException if the line is longer than {@link #maxOpBytes()}; reading
     *         stops there (the stream may never end)
     */
    int line(String file, int position) throws IOException {
        return line(file, position, false);
    }

    /**
     * As {@link #line(String, int)}; with {@code skipTooLong} a line longer than
     * {@link #maxOpBytes()} is first consumed to its end, without keeping more of it than the
     * bound, so that reading can go on at the next line after the exception.
     */
    int line(String file, int position, boolean skipTooLong) throws IOException {
        int n = 0;
        boolean tooLong = false;
        while (true) {
            if (pos == limit && !fill()) {
                if (n == 0 && !tooLong) return -1;
                break;
            }
            int start = pos;
            while (pos < limit && buf[pos] != '\n') pos++;
            int chunk = pos - start;
            if (!tooLong && (long) n + chunk > maxOpBytes) {
                if (!skipTooLong) throw tooLong(file, line, position);
                tooLong = true;
            }
            if (!tooLong) {
                if (n + chunk > scratch.length)
                    scratch = Arrays.copyOf(scratch, Math.max(n + chunk, Math.min(maxOpBytes, scratch.length * 2)));
                System.arraycopy(buf, start, scratch, n, chunk);
                n += chunk;
            }
            if (pos < limit) { // at the '\n'
                pos++;
                break;
            }
        }
        line++;
        if (tooLong) {
            lineLength = 0;
            throw tooLong(file, line - 1, position);
        }
        if (n > 0 && scratch[n - 1] == '\r') n--;
        lineLength = n;
        return n;
    }

    private MalformedHistoryException tooLong(String file, int atLine, int position) {
        return new MalformedHistoryException(
                file,
                atLine,
                position,
                "the line is longer than " + (maxOpBytes >> 20) + " MiB (no op is that long; is this a history file?)");
    }

    /** The bytes of the last {@link #line}. */
    byte[] lineBytes() {
        return scratch;
    }

    /** The last line as a String (strict UTF-8). */
    String lineText(String file, int position) {
        return decode(scratch, 0, lineLength, file, line - 1, position);
    }

    /** Strict UTF-8 decoding: bytes that are not UTF-8 make the history malformed. */
    String decode(byte[] b, int from, int to, String file, int atLine, int position) {
        boolean ascii = true;
        for (int i = from; i < to; i++)
            if (b[i] < 0) {
                ascii = false;
                break;
            }
        if (ascii) return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
        try {
            CharBuffer c = utf8.reset().decode(ByteBuffer.wrap(b, from, to - from));
            return c.toString();
        } catch (CharacterCodingException e) {
            throw new MalformedHistoryException(file, atLine, position, "the file is not UTF-8 text");
        }
    }

    /** Encodes a Reader's chars as UTF-8, a block at a time. */
    private static final class ReaderBytes extends InputStream {
        private final Reader r;
        private final char[] chars = new char[8192];
        private byte[] bytes = new byte[0];
        private int at;

        ReaderBytes(Reader r) {
            this.r = r;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (at == bytes.length) {
                int n = r.read(chars);
                if (n < 0) return -1;
                int end = n;
                // keep a surrogate pair together
                if (Character.isHighSurrogate(chars[n - 1])) {
                    int c = r.read();
                    if (c >= 0) {
                        bytes = (new String(chars, 0, n) + (char) c).getBytes(StandardCharsets.UTF_8);
                        at = 0;
                        continue;
                    }
                }
                bytes = new String(chars, 0, end).getBytes(StandardCharsets.UTF_8);
                at = 0;
            }
            int k = Math.min(len, bytes.length - at);
            System.arraycopy(bytes, at, b, off, k);
            at += k;
            return k;
        }

        @Override
        public void close() throws IOException {
            r.close();
        }
    }
}
