package io.omnitest.infra.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnitest.infra.RemoteException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The process that uses a local cluster, recorded in {@code owner.json} in the cluster's
 * private state directory. A pid alone is not an identity (numbers are reused), so the
 * record also holds the process's start time in clock ticks since boot (field 22 of
 * {@code /proc/PID/stat}); the owner is alive only while both match.
 *
 * @param pid the owner's process id
 * @param startTicks its start time as {@code /proc/PID/stat} gives it
 * @param command what it was doing, for messages (e.g. {@code omnitest run})
 */
record ClusterOwner(long pid, long startTicks, String command) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** This process, doing {@code command}. */
    static ClusterOwner self(String command) {
        long pid = ProcessHandle.current().pid();
        return new ClusterOwner(pid, startTicks(pid).orElse(-1L), command);
    }

    /** Whether the recorded process still runs (same pid, same start time, not a zombie). */
    boolean alive() {
        return Tools.alive(pid) && startTicks(pid).map(t -> t == startTicks).orElse(false);
    }

    /** The recorded owner, or empty when there is no readable record. */
    static Optional<ClusterOwner> read(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            return Optional.of(new ClusterOwner(
                    n.path("pid").asLong(-1),
                    n.path("startTicks").asLong(-2),
                    n.path("command").asText("")));
        } catch (IOException e) {
            // a record cut short by a crash names nobody alive
            return Optional.of(new ClusterOwner(-1, -2, "unreadable " + file.getFileName()));
        }
    }

    /** Writes this record atomically (a crash leaves the old record or the new one). */
    void write(Path file) {
        Map<String, Object> m = new TreeMap<>();
        m.put("pid", pid);
        m.put("startTicks", startTicks);
        m.put("command", command);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), m);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new RemoteException(
                    "cannot record the owner of the local cluster in " + file + ": " + e.getMessage() + ".", e);
        }
    }

    /** Field 22 of /proc/PID/stat: when the process started, in clock ticks after boot. */
    static Optional<Long> startTicks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces or ')'
            String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Optional.of(Long.parseLong(rest[22 - 3]));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
