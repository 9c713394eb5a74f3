package io.omnitest.cli.run;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Where a run's files go (docs/ARCHITECTURE.md §4):
 * <pre>
 * store/&lt;test-name&gt;/&lt;yyyyMMddTHHmmss.SSS&gt;/{test.json, history.jsonl, history.edn, results.json,
 *                                         omnitest.log, nodes/&lt;node&gt;/...}
 * store/latest -&gt; &lt;test-name&gt;/&lt;timestamp&gt;
 * </pre>
 * The name and path functions are pure; {@link #create} and {@link #linkLatest} touch the disk.
 */
public final class StoreLayout {
    public static final String TEST_JSON = "test.json";
    public static final String HISTORY_JSONL = "history.jsonl";
    public static final String HISTORY_EDN = "history.edn";
    public static final String RESULTS_JSON = "results.json";
    public static final String RUN_LOG = "omnitest.log";
    public static final String NODES = "nodes";
    public static final String LATEST = "latest";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS");

    private StoreLayout() {}

    /** The test name: the SUT, the workload and the nemeses, e.g. {@code omnipaxos-kv-partition-chain+kill}. */
    public static String testName(String workload, List<String> nemeses) {
        return testName(workload, nemeses, List.of());
    }

    /**
     * The test name of a run of the SUT with deliberate bugs: {@code -bug-} and their names follow,
     * e.g. {@code omnipaxos-kv-kill-all-bug-no-fsync}, so such runs never share a directory with
     * runs of the correct SUT.
     */
    public static String testName(String workload, List<String> nemeses, List<String> bugs) {
        return "omnipaxos-" + workload + "-" + (nemeses.isEmpty() ? "none" : String.join("+", nemeses))
                + (bugs.isEmpty() ? "" : "-bug-" + String.join("+", bugs));
    }

    /** The run directory name for a run that started at {@code start}, in {@code zone}. */
    public static String timestamp(Instant start, ZoneId zone) {
        return STAMP.format(start.atZone(zone));
    }

    public static Path runDir(Path store, String testName, Instant start, ZoneId zone) {
        return store.resolve(testName).resolve(timestamp(start, zone));
    }

    /** A node's directory for its fetched logs. */
    public static Path nodeDir(Path runDir, String node) {
        return runDir.resolve(NODES).resolve(node);
    }

    /**
     * Creates the run directory. Two runs that start in the same millisecond (a fast
     * {@code --test-count}) get {@code .1}, {@code .2}, ... suffixes instead of sharing a directory.
     */
    public static Path create(Path store, String testName, Instant start, ZoneId zone) throws IOException {
        Path base = runDir(store, testName, start, zone);
        Files.createDirectories(base.getParent());
        for (int attempt = 0; ; attempt++) {
            Path dir = attempt == 0 ? base : base.resolveSibling(base.getFileName() + "." + attempt);
            try {
                return Files.createDirectory(dir);
            } catch (FileAlreadyExistsException taken) {
                // try the next suffix
            }
        }
    }

    /**
     * Points {@code store/latest} and {@code store/<test-name>/latest} at {@code runDir} with
     * relative links, replacing older links atomically where the file system allows.
     */
    public static void linkLatest(Path store, Path runDir) throws IOException {
        store = store.toAbsolutePath();
        runDir = runDir.toAbsolutePath();
        relink(store.resolve(LATEST), store.relativize(runDir));
        Path testDir = runDir.getParent();
        relink(testDir.resolve(LATEST), testDir.relativize(runDir));
    }

    private static void relink(Path link, Path target) throws IOException {
        Path temp = link.resolveSibling(
                "." + link.getFileName() + "." + ProcessHandle.current().pid());
        Files.deleteIfExists(temp);
        Files.createSymbolicLink(temp, target);
        try {
            Files.move(temp, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, link, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
