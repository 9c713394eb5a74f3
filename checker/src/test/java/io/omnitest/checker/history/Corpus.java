package io.omnitest.checker.history;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the shared history corpora ({@code ../shared/histories} from the repository root). */
final class Corpus {
    private Corpus() {}

    /** The corpus folder: {@code $OMNITEST_HISTORIES}, else the first {@code shared/histories} above the working directory. */
    static Path root() {
        String env = System.getenv("OMNITEST_HISTORIES");
        if (env != null) return Path.of(env);
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared/histories");
            if (Files.isDirectory(candidate)) return candidate;
        }
        throw new IllegalStateException("no shared/histories folder above " + Path.of("").toAbsolutePath() + "; set OMNITEST_HISTORIES");
    }
}
