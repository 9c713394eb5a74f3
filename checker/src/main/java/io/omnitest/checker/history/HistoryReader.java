package io.omnitest.checker.history;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
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
    private HistoryReader() {}

    /** A history and the format it was read from. */
    public record Read(History history, HistoryFormat format, Path file) {}

    /**
     * Reads a history file. The file is opened once and read front to back, so pipes
     * ({@code /dev/stdin}, {@code <(...)}) and FIFOs work like files; a directory is refused.
     *
     * @throws FileNotFoundException for a directory (the CLI's exit 66, like a missing file)
     */
    public static Read read(Path file) throws IOException {
        if (Files.isDirectory(file)) throw new FileNotFoundException(file + ": is a directory, not a history file");
        try (InputStream s = Files.newInputStream(file)) {
            ByteSource in = new ByteSource(s);
            HistoryFormat format = detect(in.head(), file.toString(), fileName(file));
            return new Read(read(in, format, file.toString()), format, file);
        }
    }

    /** Reads {@code in} as {@code format}; {@code file} names the source in error messages. */
    public static History read(Reader in, HistoryFormat format, String file) throws IOException {
        return read(ByteSource.of(in), format, file);
    }

    static History read(ByteSource in, HistoryFormat format, String file) throws IOException {
        return switch (format) {
            case JSONL -> JsonlCodec.read(in, file);
            case EDN -> EdnCodec.read(in, file, false);
            case PORCUPINE_KV -> EdnCodec.read(in, file, true);
            case JEPSEN_LOG -> JepsenLogCodec.read(in, file);
        };
    }

    /** The format of a file, from its first 64 KiB (and its name when the content is empty). */
    public static HistoryFormat detect(Path file) throws IOException {
        try (InputStream s = Files.newInputStream(file)) {
            return detect(new ByteSource(s).head(), file.toString(), fileName(file));
        }
    }

    static String fileName(Path file) {
        return file.getFileName() == null ? "" : file.getFileName().toString();
    }

    static HistoryFormat detect(byte[] head, String file, String fileName) {
        int line = 1;
        for (byte b : head) {
            if (b == '\n') line++;
            if (b == 0)
                throw new MalformedHistoryException(
                        file, line, -1, "the file holds binary data (a NUL byte), not a history");
        }
        return detect(new String(head, StandardCharsets.UTF_8), fileName);
    }

    /** The format of a history given its first characters and its file name. */
    public static HistoryFormat detect(String head, String fileName) {
        if (head.startsWith("\uFEFF")) head = head.substring(1);
        if (head.contains("jepsen.util - ") || head.matches("(?s).*jepsen\\.util\\s+-\\s+\\d.*"))
            return HistoryFormat.JEPSEN_LOG;
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
        if (firstOp.startsWith("{")
                || head.stripLeading().startsWith("[")
                || head.stripLeading().startsWith(";")) return HistoryFormat.EDN;
        return byName(fileName);
    }

    private static HistoryFormat byName(String name) {
        if (name.endsWith(".edn")) return HistoryFormat.EDN;
        if (name.endsWith(".log")) return HistoryFormat.JEPSEN_LOG;
        if (name.endsWith(".txt")) return HistoryFormat.PORCUPINE_KV;
        return HistoryFormat.JSONL;
    }
}
