package io.omnitest.cli.cluster;

import io.omnitest.cli.ExitCodes;
import io.omnitest.cli.run.RunCommand;
import io.omnitest.cli.run.RunLog;
import io.omnitest.infra.EnvironmentUnavailable;
import io.omnitest.infra.Host;
import io.omnitest.infra.cluster.ClusterStatus;
import io.omnitest.infra.cluster.LocalCluster;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code omnitest cluster up|down|status}: the local cluster (docs/ARCHITECTURE.md, "The local
 * cluster": network namespaces omni-n1..omni-nN on bridge omnibr0, one sshd each) by hand.
 * {@code run} brings it up and down by itself; these are for keeping one up between runs and for
 * cleaning up. {@code up} and {@code status} first clean up after a run that died holding the
 * cluster (its fault rules, its SUT) and say so.
 */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = "Manage the local cluster (network namespaces with their own sshd; needs root).",
        subcommands = {ClusterCommand.Up.class, ClusterCommand.Down.class, ClusterCommand.Status.class})
public final class ClusterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    /** Cleans up after a run that died holding the cluster; one line on stderr per thing done. */
    static void recover(CommandSpec spec, LocalCluster cluster) {
        PrintWriter err = spec.commandLine().getErr();
        for (String line : cluster.recoverFromDeadOwner().describe()) err.println("omnitest: " + line);
        err.flush();
    }

    /**
     * Runs {@code action} with infra's progress log kept off the console (unless {@code -v}),
     * mapping a missing root or tool to 69 with its one sentence.
     */
    static int guarded(CommandSpec spec, Callable<Integer> action) throws Exception {
        try (AutoCloseable quiet = RunLog.quietConsole(RunCommand.verboseRequested(spec))) {
            return action.call();
        } catch (EnvironmentUnavailable e) {
            spec.commandLine().getErr().println(e.getMessage());
            return ExitCodes.UNAVAILABLE;
        }
    }

    @Command(
            name = "up",
            mixinStandardHelpOptions = true,
            description = "Create the local cluster (or keep a healthy one of that size).",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:the cluster is up",
                "64:bad usage",
                "69:not root, a tool is missing, or the cluster is in use by a live run",
                "70:internal error"
            })
    public static final class Up implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(
                names = "--nodes",
                paramLabel = "N",
                defaultValue = "5",
                description = "Number of nodes [${DEFAULT-VALUE}].")
        int nodes;

        @Override
        public Integer call() throws Exception {
            return guarded(spec, () -> {
                if (nodes < 1 || nodes > LocalCluster.standard().layout().maxNodes()) {
                    spec.commandLine()
                            .getErr()
                            .println("--nodes must be between 1 and "
                                    + LocalCluster.standard().layout().maxNodes() + ".");
                    return ExitCodes.USAGE;
                }
                LocalCluster cluster = LocalCluster.standard();
                recover(spec, cluster);
                List<Host> hosts = cluster.up(nodes);
                PrintWriter out = spec.commandLine().getOut();
                for (Host h : hosts) out.println(h.name() + "  " + h.address());
                out.flush();
                return 0;
            });
        }
    }

    @Command(
            name = "down",
            mixinStandardHelpOptions = true,
            description =
                    "Remove every namespace, veth, bridge, sshd and SUT process of the local cluster; safe to run twice.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:nothing of the cluster is left", "69:not root", "70:internal error"})
    public static final class Down implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        /** Accepted for symmetry with {@code up}; down removes whatever is there. */
        @Option(names = "--nodes", paramLabel = "N", hidden = true)
        Integer nodes;

        @Override
        public Integer call() throws Exception {
            return guarded(spec, () -> {
                LocalCluster.standard().down();
                spec.commandLine().getOut().println("no local cluster");
                spec.commandLine().getOut().flush();
                return 0;
            });
        }
    }

    @Command(
            name = "status",
            mixinStandardHelpOptions = true,
            description = {
                "Show what exists of the local cluster: healthy, unhealthy (try `cluster up` or `cluster down`) or none.",
                "Fault rules and SUT processes left by a run that died are cleaned up first (as root), and said so."
            },
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:the status was shown",
                "69:the cluster's state directory is not private",
                "70:internal error"
            })
    public static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        /** Accepted for symmetry with {@code up}; status reports whatever is there. */
        @Option(names = "--nodes", paramLabel = "N", hidden = true)
        Integer nodes;

        @Override
        public Integer call() throws Exception {
            return guarded(spec, () -> {
                LocalCluster cluster = LocalCluster.standard();
                recover(spec, cluster);
                ClusterStatus s = cluster.status();
                PrintWriter out = spec.commandLine().getOut();
                s.describe().forEach(out::println);
                out.flush();
                return 0;
            });
        }
    }
}
