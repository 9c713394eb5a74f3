package io.omnitest.cli.run;

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

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Helpers of the end-to-end tests: the machine's state, and omnitest run in-process. */
final class E2e {
    private E2e() {
    }

    /** Skips unless this is root with the local cluster's tools (CI runs them as root). */
    static void assumeClusterPossible() {
        assumeTrue("root".equals(System.getProperty("user.name")), "the local cluster needs root");
        for (String tool : List.of("/usr/sbin/ip", "/usr/sbin/iptables", "/usr/sbin/sshd")) {
            assumeTrue(Files.isExecutable(Path.of(tool)) || Files.isExecutable(Path.of(tool.replace("/usr/sbin", "/sbin"))),
                    tool + " is missing");
        }
    }

    /** Output and exit code of one in-process command line. */
    record Ran(int code, String out, String err) {
        String both() { return "exit " + code + "\n--- stdout\n" + out + "\n--- stderr\n" + err; }
    }

    static Ran omnitest(String... args) {
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
     * What is left on this machine of a local cluster or the SUT: namespaces, the bridge, iptables
     * rules of omnitest, processes started from the cluster's state directory or running the node
     * jar. Empty when clean.
     */
    static List<String> leftovers() throws IOException, InterruptedException {
        List<String> left = new ArrayList<>();
        for (String ns : sh("ip", "netns", "list").lines().toList()) {
            if (ns.startsWith(LocalCluster.standard().layout().namespacePrefix())) left.add("namespace " + ns);
        }
        if (!sh("ip", "link", "show", LocalCluster.standard().layout().bridge()).contains("does not exist")) {
            left.add("bridge " + LocalCluster.standard().layout().bridge());
        }
        for (String rule : sh("iptables-save").lines().toList()) {
            if (rule.contains("omnitest") || rule.contains(LocalCluster.standard().layout().bridge())) left.add("iptables rule " + rule);
        }
        String state = LocalCluster.standard().layout().stateDir().toString();
        for (String proc : sh("pgrep", "-af", "omnipaxos-kv[.]jar|" + state.replace(".", "[.]")).lines().toList()) {
            if (!proc.isBlank()) left.add("process " + proc);
        }
        return left;
    }
}
