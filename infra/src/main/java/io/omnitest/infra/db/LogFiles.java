package io.omnitest.infra.db;

import io.omnitest.infra.Host;
import java.nio.file.Path;
import java.util.List;

/** A {@link Db} that leaves logs worth fetching at the end of a run. */
public interface LogFiles {
    /** Absolute paths on {@code node} of the files worth downloading. */
    List<String> logFiles(Host node);

    /**
     * Downloads the log files of {@code node} (and anything else useful, such as a listing
     * of its data directory) into the local directory {@code into}, creating it. Files
     * that do not exist are skipped; transport errors are thrown.
     */
    void collectLogs(Host node, Path into);
}
