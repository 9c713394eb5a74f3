package io.omnitest.checker.linear;

import io.omnitest.checker.Validity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shared corpora and the verdicts their VERDICTS.md files name. */
final class Corpus {
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| \\*\\*(true|false|Ok|Illegal)\\*\\* \\|");

    private Corpus() {}

    /** See {@link io.omnitest.checker.history.Corpus#dir(String)}: skips the calling test if the folder is absent. */
    static Path dir(String name) {
        return io.omnitest.checker.history.Corpus.dir(name);
    }

    /** File (relative to {@code dir}) → expected verdict, as the table rows of {@code dir/VERDICTS.md} say. */
    static Map<String, Validity> verdicts(Path dir) throws IOException {
        Map<String, Validity> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve("VERDICTS.md"))) {
            Matcher m = ROW.matcher(line);
            if (!m.find()) continue;
            String v = m.group(2);
            out.put(m.group(1), v.equals("true") || v.equals("Ok") ? Validity.TRUE : Validity.FALSE);
        }
        return out;
    }
}
