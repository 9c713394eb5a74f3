package io.omnitest.nuke;

import io.omnitest.infra.Command;
import io.omnitest.infra.ExecResult;
import io.omnitest.infra.Host;
import io.omnitest.infra.Parallel;
import io.omnitest.infra.Remotes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns grudges into iptables rules on the hosts themselves. Every rule lives in the chain
 * {@value #CHAIN}, which {@link #setup} jumps to from INPUT; healing flushes only that
 * chain, and {@link #teardown} removes the jump and the chain, so rules of other tools are
 * never touched. Rules match only the source addresses of peer SUT nodes, so the control
 * node's SSH and client connections are never cut, except by {@link #cutClients}, which
 * matches a client port and nothing else.
 */
public final class IptablesNet {
    public static final String CHAIN = "OMNITEST";
    /** {@link #everyPeer} rule: the statistic match's share of the packets is dropped. */
    private static final String DROP = "-m statistic --mode random --probability \"$p\" -j DROP";
    /**
     * {@link #everyPeer} rule: the statistic match's share of the TCP packets is answered with a
     * reset. Resets themselves are let through, or a peer's reset would be lost to this node's own rule.
     */
    private static final String RESET = "-p tcp ! --tcp-flags RST RST -m statistic --mode random --probability \"$p\" "
            + "-j REJECT --reject-with tcp-reset";

    private static final Duration LIMIT = Duration.ofSeconds(20);

    private final List<Host> nodes;
    private final Remotes remotes;

    public IptablesNet(List<Host> nodes, Remotes remotes) {
        this.nodes = List.copyOf(nodes);
        this.remotes = remotes;
    }

    /**
     * Creates the chain and its jump from INPUT on every node; idempotent. A chain that exists
     * already is emptied: its rules can only be left over from a run that died before it healed
     * (on {@code --hosts} machines nothing else recovers them).
     */
    public void setup() {
        Parallel.forEach(
                nodes,
                h -> run(
                        h,
                        Command.sh(
                                "{ iptables -w -n -L \"$1\" >/dev/null 2>&1 && iptables -w -F \"$1\"; } || iptables -w -N \"$1\" || exit 1; "
                                        + "iptables -w -C INPUT -j \"$1\" 2>/dev/null || iptables -w -I INPUT 1 -j \"$1\"",
                                CHAIN)));
    }

    /**
     * Drops, on each node, packets from the peers the grudge names. Existing omnitest rules
     * are replaced, so the network ends up exactly as the grudge says. The change is made in
     * place on each node: the new drop rules are added first (a rule already there is kept,
     * counters and all), then every other omnitest rule is deleted. So a link cut before and
     * after is never open in between, which a phased partition needs (scenario B's hub must
     * not catch up while the leader is being isolated), and healing first would allow.
     *
     * @return per node, the addresses it now drops (for the op's value)
     */
    public Map<String, List<String>> partition(Grudge grudge) {
        Map<String, List<String>> applied = new LinkedHashMap<>();
        List<List<String>> addresses = Parallel.map(nodes, h -> {
            List<String> from =
                    grudge.droppedBy(h.name()).stream().map(n -> address(n)).toList();
            List<String> args = new ArrayList<>(List.of(CHAIN));
            args.addAll(from);
            // keep: the rules the grudge wants, as `iptables -S` prints them; every other rule of the chain goes
            run(
                    h,
                    Command.sh(
                            "c=\"$1\"; shift; keep=''; for a in \"$@\"; do "
                                    + "iptables -w -C \"$c\" -s \"$a\" -j DROP 2>/dev/null || iptables -w -A \"$c\" -s \"$a\" -j DROP || exit 1; "
                                    + "keep=\"$keep|-A $c -s $a/32 -j DROP\"; done; "
                                    + "iptables -w -S \"$c\" | while IFS= read -r rule; do case \"$rule\" in \"-A \"*) ;; *) continue;; esac; "
                                    + "case \"$keep|\" in *\"|$rule|\"*) continue;; esac; "
                                    + "set -f; set -- $rule; shift; iptables -w -D \"$@\" || exit 1; done",
                            args.toArray(String[]::new)));
            return from;
        });
        for (int i = 0; i < nodes.size(); i++) {
            if (!addresses.get(i).isEmpty()) applied.put(nodes.get(i).name(), addresses.get(i));
        }
        return applied;
    }

    /**
     * Drops a random share {@code probability} of the packets every node receives from
     * every other node (iptables statistic match), both ways.
     */
    public void packetLoss(double probability) {
        everyPeer(probability, DROP);
    }

    /**
     * Answers a random share {@code probability} of the TCP packets every node receives from every
     * other node with a TCP reset (iptables {@code REJECT --reject-with tcp-reset}, statistic
     * match), both ways. The sender's connection is aborted: what it had written and the peer had
     * not yet read is lost, and it must connect again. TCP hides packet loss behind retransmission;
     * a reset is loss the application sees, the network the simulator's lossy links model.
     */
    public void connectionResets(double probability) {
        everyPeer(probability, RESET);
    }

    /**
     * Replaces the omnitest rules by one per peer on every node: {@code -s PEER} then {@code rule}
     * (a constant of this class, never user input; {@code $p} in it is the probability).
     */
    private void everyPeer(double probability, String rule) {
        heal();
        String p = String.format(Locale.ROOT, "%.4f", probability);
        Parallel.forEach(nodes, h -> {
            List<String> args = new ArrayList<>(List.of(CHAIN, p));
            nodes.stream()
                    .filter(o -> !o.name().equals(h.name()))
                    .map(Host::address)
                    .forEach(args::add);
            run(
                    h,
                    Command.sh(
                            "c=\"$1\"; p=\"$2\"; shift 2; for a in \"$@\"; do iptables -w -A \"$c\" -s \"$a\" " + rule
                                    + " || exit 1; done",
                            args.toArray(String[]::new)));
        });
    }

    /**
     * Replaces the omnitest rules by one on each node of {@code ports}: TCP packets arriving at that
     * node's client port are dropped, from whoever sends them. New client connections time out;
     * what clients had written to open ones stays in their send queues and TCP delivers it after
     * the heal, late. The node's peers and SSH are not touched (other ports).
     *
     * @param ports node name → its client port
     */
    public void cutClients(Map<String, Integer> ports) {
        heal();
        List<Host> hit = nodes.stream().filter(h -> ports.containsKey(h.name())).toList();
        // Before the drop, every packet to the port clears the connection's fresh mark: a connection
        // made fresh in an earlier cut's stale phase whose client writes into this cut is stale now.
        Parallel.forEach(
                hit,
                h -> run(
                        h,
                        Command.sh(
                                "iptables -w -A \"$1\" -p tcp --dport \"$2\" -j CONNMARK --set-xmark \"0/$3\" && "
                                        + "iptables -w -A \"$1\" -p tcp --dport \"$2\" -j DROP",
                                CHAIN,
                                String.valueOf(ports.get(h.name())),
                                FRESH_MARK)));
    }

    /**
     * The connection-mark bit {@link #staleClientFlows} sets on client connections made after the
     * cut; one high bit under a mask, so marks other tools set are left alone.
     */
    static final String FRESH_MARK = "0x40000000";

    /**
     * Turns a {@link #cutClients} cut into a cut of the stale flows only: on each node of
     * {@code ports}, a connection to the client port that starts now (its SYN) is marked fresh and
     * let through, and so are the packets of fresh connections; everything else still meets the
     * cut's drop, which stays until {@link #heal}. So it fails closed: a packet the connection
     * tracker does not know (a mid-stream FIN, one it finds invalid) carries no mark and stays cut,
     * as does a connection made fresh in an earlier cut that was written to during this one (the
     * cut cleared its mark). The new rules go in above the cut's; fresh packets return to INPUT. With
     * the heal that follows, a request that waited in an old connection arrives after what its
     * client sent since over a new one, which a network that lost an old flow's state (a NAT or
     * load balancer that forgot it, a rehash) does too. Needs the conntrack and connmark matches
     * of the hosts' iptables.
     *
     * @param ports node name → its client port, as given to {@link #cutClients}
     */
    public void staleClientFlows(Map<String, Integer> ports) {
        List<Host> hit = nodes.stream().filter(h -> ports.containsKey(h.name())).toList();
        Parallel.forEach(
                hit,
                h -> run(
                        h,
                        Command.sh(
                                "c=\"$1\"; p=\"$2\"; m=\"$3\"; "
                                        + "iptables -w -I \"$c\" 1 -p tcp --dport \"$p\" -m connmark --mark \"$m/$m\" -j RETURN && "
                                        + "iptables -w -I \"$c\" 1 -p tcp --dport \"$p\" --syn -m conntrack --ctstate NEW "
                                        + "-j CONNMARK --set-xmark \"$m/$m\"",
                                CHAIN,
                                String.valueOf(ports.get(h.name())),
                                FRESH_MARK)));
    }

    /** Removes every omnitest rule on every node (flushes only the omnitest chain). */
    public void heal() {
        Parallel.forEach(
                nodes,
                h -> run(h, Command.sh("! iptables -w -n -L \"$1\" >/dev/null 2>&1 || iptables -w -F \"$1\"", CHAIN)));
    }

    /** Heals, then removes the jump and the chain; safe when setup never ran. */
    public void teardown() {
        Parallel.forEach(
                nodes,
                h -> run(
                        h,
                        Command.sh(
                                "while iptables -w -C INPUT -j \"$1\" 2>/dev/null; do iptables -w -D INPUT -j \"$1\" || exit 1; done; "
                                        + "! iptables -w -n -L \"$1\" >/dev/null 2>&1 || { iptables -w -F \"$1\" && iptables -w -X \"$1\"; }",
                                CHAIN)));
    }

    private String address(String node) {
        return nodes.stream()
                .filter(h -> h.name().equals(node))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the grudge names " + node + ", not a node"))
                .address();
    }

    private ExecResult run(Host h, Command c) {
        return remotes.of(h).exec(c.withSudo().withTimeout(LIMIT)).check();
    }
}
