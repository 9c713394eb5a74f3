package io.omnitest.cli.check;

import java.io.FilterWriter;
import java.io.IOException;
import java.io.Writer;

/**
 * Escapes control characters in text bound for a terminal, so that a history value holding
 * ESC sequences, carriage returns or bells cannot rewrite the screen or forge lines: every C0
 * control except newline and tab, DEL and every C1 control becomes {@code \\uXXXX}.
 */
final class ControlEscapes extends FilterWriter {
    ControlEscapes(Writer out) {
        super(out);
    }

    /** {@code s} with its control characters escaped (newlines too: for one-line messages). */
    static String line(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (isControl(c) || c == '\n') {
                if (sb == null) sb = new StringBuilder(s.length() + 16).append(s, 0, i);
                escape(sb, c);
            } else if (sb != null) sb.append(c);
        }
        return sb == null ? s : sb.toString();
    }

    static boolean isControl(char c) {
        return (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f);
    }

    private static void escape(StringBuilder sb, char c) {
        sb.append("\\u").append(String.format("%04x", (int) c));
    }

    @Override
    public void write(int c) throws IOException {
        if (isControl((char) c)) out.write(String.format("\\u%04x", c));
        else out.write(c);
    }

    @Override
    public void write(char[] cbuf, int off, int len) throws IOException {
        int start = off;
        for (int i = off; i < off + len; i++) {
            if (isControl(cbuf[i])) {
                out.write(cbuf, start, i - start);
                out.write(String.format("\\u%04x", (int) cbuf[i]));
                start = i + 1;
            }
        }
        out.write(cbuf, start, off + len - start);
    }

    @Override
    public void write(String str, int off, int len) throws IOException {
        write(str.toCharArray(), off, len);
    }
}
