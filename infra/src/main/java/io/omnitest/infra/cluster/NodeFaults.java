package io.omnitest.infra.cluster;

import io.omnitest.infra.Command;
import io.omnitest.infra.LocalRemote;
import io.omnitest.infra.SafeKill;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run leaves inside a node's namespace when it dies without cleaning up: omnitest's
 * iptables rules (the chain nuke's {@code IptablesNet} keeps them in) and SUT processes
 * (started from the node's work directory, so their command line names it).
 */
final class NodeFaults {
    /** nuke's {@code IptablesNet.CHAIN}; infra does not depend on nuke, so the name is repeated. */
    static final String CHAIN = "OMNITEST";
    /**
     * How long {@link #stopSut} waits for SIGKILLed processes to be gone. The kernel frees a
     * killed JVM in well under a second; the bound leaves room for a loaded machine.
     */
    static final java.time.Duration EXIT_BOUND = java.time.Duration.ofSeconds(15);

    private NodeFaults() {}

    /** How many rules omnitest's chain holds in namespace {@code ns}; 0 when it has no chain. */
    static int rules(LocalRemote here, String ns) {
        return (int) here.exec(Command.of("ip", "netns", "exec", ns, "iptables", "-w", "-S", CHAIN))
                .stdout()
                .lines()
                .filter(l -> l.startsWith("-A " + CHAIN + " "))
                .count();
    }

    /** Removes the jump to omnitest's chain and the chain itself in {@code ns}; safe when absent. */
    static void heal(LocalRemote here, String ns) {
        here.exec(Command.of(
                        "ip",
                        "netns",
                        "exec",
                        ns,
                        "sh",
                        "-c",
                        "for t in INPUT OUTPUT FORWARD; do while iptables -w -C $t -j \"$1\" 2>/dev/null; do "
                                + "iptables -w -D $t -j \"$1\" || exit 1; done; done; "
                                + "! iptables -w -n -L \"$1\" >/dev/null 2>&1 || { iptables -w -F \"$1\" && iptables -w -X \"$1\"; }",
                        "sh",
                        CHAIN))
                .check();
    }

    /**
     * SIGKILLs the processes in {@code ns} whose command line names {@code workDir} (the SUT
     * and anything else a run started there); sshd is left alone.
     *
     * @return the pids signalled
     */
    static List<Long> stopSut(LocalRemote here, String ns, String workDir) {
        List<Long> stopped = new ArrayList<>();
        for (String line : here.exec(Command.of("ip", "netns", "pids", ns))
                .stdout()
                .lines()
                .toList()) {
            String p = line.strip();
            if (p.matches("\\d{1,10}") && SafeKill.local(Long.parseLong(p), workDir + "/", true)) {
                stopped.add(Long.parseLong(p));
            }
        }
        // a SIGKILLed JVM takes a moment to exit and free its ports; the next run starts the SUT on them
        long deadline = System.nanoTime() + EXIT_BOUND.toNanos();
        for (long pid : stopped) {
            while (Tools.alive(pid) && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return stopped;
                }
            }
        }
        return stopped;
    }
}
