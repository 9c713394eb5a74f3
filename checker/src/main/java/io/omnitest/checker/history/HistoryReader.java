package io.omnitest.checker.history;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a history file in any format omnitest knows, detecting which from its content (the
 * file name only breaks ties): a line with {@code jepsen.util - <process>} is a Jepsen text
 * log; a first op starting {@code {"} is JSON Lines; a first op map with a separate
 * {@code :key} is a Porcupine kv log; anything else starting with {@code [}, {@code (},
 * {@code {} or {@code ;} is EDN.
 *
 * <p>Every problem with the content throws {@link MalformedHistoryException} with the file,
 * the line and one sentence; IO problems (missing file, no permission) throw IOException.
 */
public final class HistoryReader {
    /** How much of the file detection looks at. */
    private static final int SNIFF_CHARS = 64 * 1024;

    private HistoryReader() {}

    /** A history and the format it was read from. */
    public record Read(History history, HistoryFormat format, Path file) {}

    public static Read read(Path file) throws IOException {
        HistoryFormat format = detect(file);
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return new Read(read(in, format, file.toString()), format, file);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new MalformedHistoryException(file.toString(), -1, -1, "the file is not UTF-8 text");
        }
    }

    /** Reads {@code in} as {@code format}; {@code file} names the source in error messages. */
    public static History read(Reader in, HistoryFormat format, String file) throws IOException {
        return switch (format) {
            case JSONL -> JsonlCodec.read(in, file);
            case EDN -> EdnCodec.read(in, file);
            case PORCUPINE_KV -> PorcupineKvCodec.read(in, file);
            case JEPSEN_LOG -> JepsenLogCodec.read(in, file);
        };
    }

    /** The format of a file, from its first 64 KiB (and its name when the content is empty). */
    public static HistoryFormat detect(Path file) throws IOException {
        char[] buf = new char[SNIFF_CHARS];
        int n = 0;
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int k;
            while (n < buf.length && (k = r.read(buf, n, buf.length - n)) > 0) n += k;
        } catch (java.nio.charset.MalformedInputException e) {
            throw new MalformedHistoryException(file.toString(), -1, -1, "the file is not UTF-8 text");
        }
        return detect(new String(buf, 0, n), file.getFileName() == null ? "" : file.getFileName().toString());
    }

    /** The format of a history given its first characters and its file name. */
    public static HistoryFormat detect(String head, String fileName) {
        if (head.startsWith("\uFEFF")) head = head.substring(1);
        if (head.contains("jepsen.util - ") || head.matches("(?s).*jepsen\\.util\\s+-\\s+\\d.*")) return HistoryFormat.JEPSEN_LOG;
        String firstOp = null;
        for (String line : head.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith(";")) continue;
            firstOp = t.startsWith("[") || t.startsWith("(") ? t.substring(1).strip() : t;
            break;
        }
        if (firstOp == null || firstOp.isEmpty()) return byName(fileName);
        if (firstOp.matches("\\{\\s*\".*")) return HistoryFormat.JSONL;
        if (PorcupineKvCodec.looksLike(firstOp)) return HistoryFormat.PORCUPINE_KV;
        if (firstOp.startsWith("{") || head.stripLeading().startsWith("[") || head.stripLeading().startsWith(";")) return HistoryFormat.EDN;
        return byName(fileName);
    }

    private static HistoryFormat byName(String name) {
        if (name.endsWith(".edn")) return HistoryFormat.EDN;
        if (name.endsWith(".log")) return HistoryFormat.JEPSEN_LOG;
        if (name.endsWith(".txt")) return HistoryFormat.PORCUPINE_KV;
        return HistoryFormat.JSONL;
    }
}
