package io.omnitest.cli.system;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a run tells a system about how to deploy it.
 *
 * @param options      the {@code --system-option key=value} pairs, keys as given (e.g. {@code etcd.serializable-reads})
 * @param installDeps  install missing packages with apt on {@code --hosts} hosts ({@code --install-deps})
 * @param localCluster true for the local namespace cluster, whose nodes share this machine's files
 * @param bugs         deliberate bugs to switch on ({@code --bug}); only systems that have them accept any
 * @param artifact     a build of the system to deploy ({@code --sut-jar}), or null for the system's default
 * @param nemeses      the run's nemesis names: disk and clock nemeses need the fault filesystem or
 *                     libfaketime around each node, which a system that supports them deploys
 */
public record SystemConfig(
        Map<String, String> options,
        boolean installDeps,
        boolean localCluster,
        List<String> bugs,
        Path artifact,
        List<String> nemeses) {
    public SystemConfig {
        options = Map.copyOf(options);
        bugs = List.copyOf(bugs);
        nemeses = List.copyOf(nemeses);
    }

    /** The option {@code key}, or {@code fallback} when it was not given. */
    public String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    /**
     * A boolean option.
     *
     * @throws IllegalArgumentException when it is given as neither {@code true} nor {@code false}
     */
    public boolean flag(String key) {
        String v = options.getOrDefault(key, "false");
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("--system-option " + key + " must be true or false, not '" + v + "'.");
        }
        return v.equals("true");
    }
}
