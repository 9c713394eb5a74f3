package io.omnitest.sut;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The hand-written mutants of {@code bin/mutants} ({@code mutants/*.patch}) still apply to the node
 * as it is: a reformat or a refactor that moves their lines makes the harness stop at the first
 * patch that does not apply (five did after the formatter came in). Each starts with its
 * one-line description. Needs git and a git checkout, else skipped.
 */
class MutantPatchesTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void everyMutantAppliesToTheCurrentNode() throws Exception {
        Path dir = ROOT.resolve("mutants");
        assumeTrue(
                Files.isDirectory(ROOT.resolve(".git")) || Files.isRegularFile(ROOT.resolve(".git")),
                "not a git checkout");
        assumeTrue(git("--version").exit == 0, "no git");
        List<Path> patches;
        try (Stream<Path> s = Files.list(dir)) {
            patches = s.filter(p -> p.toString().endsWith(".patch")).sorted().toList();
        }
        assertFalse(patches.isEmpty(), "no mutants in " + dir);
        List<String> broken = new ArrayList<>();
        for (Path p : patches) {
            String first = Files.readAllLines(p, StandardCharsets.UTF_8).get(0);
            assertTrue(first.startsWith("# ") && first.length() > 10, p.getFileName() + " has no description line");
            Ran r = git("apply", "--check", p.toString());
            if (r.exit != 0) broken.add(p.getFileName() + ": " + r.output.strip());
        }
        assertEquals(List.of(), broken);
    }

    private record Ran(int exit, String output) {}

    private static Ran git(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", ROOT.toString()));
        cmd.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Ran(127, e.getMessage());
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Ran(124, "git timed out");
        }
        return new Ran(p.exitValue(), out);
    }
}
