package io.omnitest.cli.system.etcd;

import io.omnitest.cli.run.WorkloadClient;
import io.omnitest.cli.run.workload.Workload;
import io.omnitest.cli.system.SystemCluster;
import io.omnitest.cli.system.SystemConfig;
import io.omnitest.cli.system.SystemUnderTest;
import io.omnitest.infra.EnvironmentUnavailable;
import io.omnitest.infra.Host;
import io.omnitest.infra.Remotes;
import io.omnitest.infra.db.Db;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * etcd 3.4 from Debian's {@code etcd-server} package ({@link EtcdDb}), driven through its v3
 * JSON gateway ({@link EtcdClient}). Option {@code etcd.serializable-reads=true} makes reads
 * serializable, which etcd serves from any member's local state, possibly stale: a partition
 * must then show non-linearizable reads.
 */
public final class EtcdSystem implements SystemUnderTest {
    static final String SERIALIZABLE_READS = "etcd.serializable-reads";
    /** etcd's default election timeout ({@code --election-timeout 1000} ms). */
    static final Duration ELECTION_TIMEOUT = Duration.ofMillis(1000);

    @Override
    public String name() {
        return "etcd";
    }

    @Override
    public String description() {
        return "etcd 3.4 (Debian's etcd-server), through its v3 JSON gateway";
    }

    @Override
    public Set<String> workloads() {
        return Set.of("register", "list-append", "kv");
    }

    @Override
    public Map<String, String> options() {
        return Map.of(
                SERIALIZABLE_READS,
                "true: reads are serializable (served locally by any member, possibly stale) "
                        + "instead of linearizable [false]");
    }

    /**
     * The local cluster's nodes share this machine's files, so etcd is installed once, here,
     * with apt (a local cluster needs root anyway); {@code --hosts} hosts are handled in setup.
     */
    @Override
    public void prepareLocal(SystemConfig config) {
        config.flag(SERIALIZABLE_READS);
        if (!config.localCluster() || onPath()) return;
        if (!java.nio.file.Files.isRegularFile(java.nio.file.Path.of("/etc/debian_version"))) {
            throw new EnvironmentUnavailable(
                    "etcd is not installed; install etcd 3.4 (Debian's etcd-server) and put it on the PATH.");
        }
        run(List.of("apt-get", "update", "-q"));
        run(List.of(
                "env",
                "DEBIAN_FRONTEND=noninteractive",
                "apt-get",
                "install",
                "-y",
                "-q",
                "--no-install-recommends",
                "etcd-server"));
        if (!onPath()) throw new EnvironmentUnavailable("etcd is still missing after installing etcd-server with apt.");
    }

    private static boolean onPath() {
        return java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/bin/etcd"))
                || java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/local/bin/etcd"));
    }

    private static void run(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new EnvironmentUnavailable("cannot install etcd-server with apt (" + String.join(" ", argv)
                        + " failed); install it as root with `bin/install-deps`.");
            }
        } catch (IOException e) {
            throw new EnvironmentUnavailable("cannot run apt-get to install etcd-server: " + e.getMessage() + ".");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnvironmentUnavailable("interrupted while installing etcd-server.");
        }
    }

    @Override
    public SystemCluster cluster(List<Host> nodes, Remotes remotes, SystemConfig config) {
        EtcdHttp http = new EtcdHttp();
        EtcdDb db = new EtcdDb(nodes, remotes, http, config.installDeps());
        boolean serializable = config.flag(SERIALIZABLE_READS);
        return new SystemCluster() {
            @Override
            public Db db() {
                return db;
            }

            @Override
            public WorkloadClient.Factory clients(Workload workload) {
                return (process, nodeIndex) -> new EtcdClient(http, nodes.get(nodeIndex), serializable);
            }

            @Override
            public Duration electionTimeout() {
                return ELECTION_TIMEOUT;
            }
        };
    }
}
