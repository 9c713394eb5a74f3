package io.omnitest.cli.run;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.omnitest.cli.Main;
import io.omnitest.infra.cluster.LocalCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Helpers of the end-to-end tests: the machine's state, and omnitest run in-process. */
public final class E2e {
    private E2e() {}

    /** True when this is root with the local cluster's tools (CI runs the end-to-end tests as root). */
    public static boolean clusterPossible() {
        if (!"root".equals(System.getProperty("user.name"))) return false;
        for (String tool : List.of("ip", "iptables", "sshd")) {
            if (!Files.isExecutable(Path.of("/usr/sbin", tool)) && !Files.isExecutable(Path.of("/sbin", tool)))
                return false;
        }
        return true;
    }

    /** Skips the test unless {@link #clusterPossible()}. */
    public static void assumeClusterPossible() {
        assumeTrue(clusterPossible(), "the local cluster needs root, iproute2, iptables and openssh-server");
    }

    /** Output and exit code of one in-process command line. */
    public record Ran(int code, String out, String err) {
        public String both() {
            return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    public static Ran omnitest(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Ran(code, out.toString(), err.toString());
    }

    /** Runs a command line on this machine; its stdout. */
    static String sh(String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return out;
    }

    /**
     * What is left on this machine of the standard local cluster or its SUT: namespaces, the
     * bridge, iptables rules on it, processes started from the cluster's state directory. Empty
     * when clean. (Other layouts, like infra's test cluster, are not looked at.)
     */
    public static List<String> leftovers() throws IOException, InterruptedException {
        List<String> left = new ArrayList<>();
        for (String ns : sh("ip", "netns", "list").lines().toList()) {
            if (ns.startsWith(LocalCluster.standard().layout().namespacePrefix())) left.add("namespace " + ns);
        }
        if (!sh("ip", "link", "show", LocalCluster.standard().layout().bridge()).contains("does not exist")) {
            left.add("bridge " + LocalCluster.standard().layout().bridge());
        }
        // host rules of the cluster name its bridge; the nodes' own rules vanish with their namespaces
        for (String rule : sh("iptables-save").lines().toList()) {
            if (rule.contains(LocalCluster.standard().layout().bridge())) left.add("iptables rule " + rule);
        }
        // sshd configs and SUT jars of the cluster live under its state directory (other layouts use other directories)
        String state = LocalCluster.standard().layout().stateDir() + "/";
        for (String proc :
                sh("pgrep", "-af", "--", state.replace(".", "[.]")).lines().toList()) {
            if (!proc.isBlank()) left.add("process " + proc);
        }
        return left;
    }
}
