package io.omnitest.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's class-data-sharing archive (DEVELOPMENT.md "Start-up"): a JVM that could not
 * use the archive named by {@code -Domnitest.cds} deletes it so the launcher makes a new one;
 * a JVM that shares classes leaves it alone. Each case is a real JVM, as the launcher starts it.
 */
class LauncherArchiveTest {
    private static int main(Path jsa, String share) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(
                java.toString(),
                share,
                "-Domnitest.cds=" + jsa,
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName(),
                "check",
                jsa.resolveSibling("missing.edn").toString()));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the JVM did not end");
        return p.exitValue();
    }

    @Test
    void anArchiveTheJvmCouldNotUseIsDeletedAndAUsedOneKept(@TempDir Path dir) throws Exception {
        Path jsa = Files.writeString(dir.resolve("omnitest.jsa"), "not an archive");
        assertEquals(ExitCodes.NO_INPUT, main(jsa, "-Xshare:off"));
        assertFalse(Files.exists(jsa), "no class sharing: the archive is deleted");

        // With the JDK's own archive mapped, java.vm.info says "sharing": ours (named, but not the one in use) stays.
        Files.writeString(jsa, "not an archive");
        assertEquals(ExitCodes.NO_INPUT, main(jsa, "-Xshare:auto"));
        assertTrue(Files.exists(jsa) || !sharing(), "a JVM that shares classes keeps the archive");
    }

    /** Whether this JDK maps its default archive (it may have been built without one). */
    private static boolean sharing() {
        return System.getProperty("java.vm.info", "").contains("sharing");
    }
}
