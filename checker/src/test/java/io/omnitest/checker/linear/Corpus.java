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

    /** {@code $OMNITEST_HISTORIES}, else the first {@code shared/histories} above the working directory. */
    static Path root() {
        String env = System.getenv("OMNITEST_HISTORIES");
        if (env != null) return Path.of(env);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/histories");
            if (Files.isDirectory(candidate)) return candidate;
        }
        throw new IllegalStateException("no shared/histories folder above " + Path.of("").toAbsolutePath() + "; set OMNITEST_HISTORIES");
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
