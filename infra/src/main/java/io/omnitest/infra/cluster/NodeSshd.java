package io.omnitest.infra.cluster;

import io.omnitest.infra.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** The sshd of one local cluster node: its own config file, pid file and log, in its namespace. */
final class NodeSshd {
    private NodeSshd() {}

    static String config(ClusterLayout layout, int i, Path hostKey) {
        Path dir = layout.nodeDir(i);
        return String.join(
                "\n",
                "# written by omnitest for local cluster node " + layout.nodeName(i),
                "ListenAddress " + layout.nodeAddress(i),
                "Port 22",
                "HostKey " + hostKey,
                "PidFile " + dir.resolve("sshd.pid"),
                "AuthorizedKeysFile " + layout.stateDir().resolve("authorized_keys"),
                "PermitRootLogin prohibit-password",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "UsePAM no",
                "StrictModes yes",
                "UseDNS no",
                "MaxSessions 64",
                "MaxStartups 64",
                "Subsystem sftp internal-sftp",
                "");
    }

    /**
     * Starts the node's sshd in its namespace. Bash runs ~/.bashrc for every command that
     * arrives over SSH, and this machine's may be slow (pyenv, nvm: 300 ms per command);
     * the nodes stand for fresh hosts, so sshd gets a private mount namespace in which the
     * host user's ~/.bashrc reads as empty. The host's file is not touched.
     */
    static void start(String ns, Path config, Path log, Consumer<Command> run) {
        Path bashrc = Path.of(System.getProperty("user.home"), ".bashrc");
        if (Tools.find("unshare") == null || !Files.isRegularFile(bashrc)) {
            run.accept(inNamespace(ns, List.of(Tools.sshd(), "-f", config.toString(), "-E", log.toString())));
            return;
        }
        run.accept(inNamespace(
                ns,
                List.of(
                        "unshare",
                        "-m",
                        "--propagation",
                        "private",
                        "sh",
                        "-c",
                        "mount --bind /dev/null \"$3\" || exit 1; exec \"$0\" -f \"$1\" -E \"$2\"",
                        Tools.sshd(),
                        config.toString(),
                        log.toString(),
                        bashrc.toString())));
    }

    private static Command inNamespace(String ns, List<String> argv) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(argv);
        return Command.of(all);
    }
}
