package io.omnitest.checker.history;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the history corpora: {@code testdata/histories} of this repository (see its README). */
public final class Corpus {
    private Corpus() {}

    /** The corpus folder: {@code $OMNITEST_HISTORIES}, else the first {@code testdata/histories} above the working directory. */
    public static Path root() {
        String env = System.getenv("OMNITEST_HISTORIES");
        if (env != null) return Path.of(env);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("testdata/histories");
            if (Files.isDirectory(candidate)) return candidate;
        }
        throw new IllegalStateException("no testdata/histories folder above " + Path.of("").toAbsolutePath() + "; set OMNITEST_HISTORIES");
    }
}
