package io.omnitest.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the shared history corpora (third-party data, never committed here): the folder
 * {@code -Dhistories.dir=DIR} names (a relative DIR is taken from the repository root), else
 * {@code $OMNITEST_HISTORIES}, else {@code ../shared/histories} beside the repository root, where
 * CI keeps it. A test that needs a corpus folder that is not there is skipped, with one line on
 * the console saying which folder is missing and how to point at another. (The checker module's
 * tests have the same helper; test classes are not shared between modules.)
 */
public final class Corpus {
    private static final Set<Path> REPORTED = ConcurrentHashMap.newKeySet();

    private Corpus() {}

    /** The corpora folder as configured; it may not exist (see {@link #dir}). */
    public static Path root() {
        Path repo = repositoryRoot();
        String prop = System.getProperty("histories.dir");
        if (prop != null && !prop.isBlank()) return repo.resolve(prop).normalize();
        String env = System.getenv("OMNITEST_HISTORIES");
        if (env != null && !env.isBlank()) return repo.resolve(env).normalize();
        return repo.resolve("../shared/histories").normalize();
    }

    /**
     * {@code root()/name}, or — if that folder is absent — the calling test is skipped by a JUnit
     * assumption whose message says why, and the same line is printed once to the console.
     */
    public static Path dir(String name) {
        Path dir = root().resolve(name);
        if (!Files.isDirectory(dir)) {
            String why = "corpus folder " + dir + " is absent: tests on it are skipped"
                    + " (set -Dhistories.dir=DIR or OMNITEST_HISTORIES to the shared histories)";
            if (REPORTED.add(dir)) console().println("SKIPPED: " + why);
            Assumptions.abort(why);
        }
        return dir;
    }

    /**
     * The process's own stderr, not {@code System.err}: the build redirects test output to files,
     * and a skipped corpus must be seen.
     */
    private static PrintStream console() {
        return new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    }

    /** The reactor root: the nearest folder above the working directory with a pom.xml and a checker module. */
    static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("checker"))) return p;
        }
        return here;
    }
}
