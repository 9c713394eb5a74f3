package io.omnitest.nuke;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Every nemesis by its {@code --nemesis} name (docs/ARCHITECTURE.md §7), with the one-line description
 * {@code omnitest nemesis list} prints, and the parsing of {@code --nemesis a,b}.
 */
public final class Nemeses {
    /** A nemesis as listed: its name, what it does, and how to make one for a run. */
    public record Spec(String name, String description, Function<NemesisContext, Nemesis> factory) {}

    private static final List<Spec> ALL = java.util.stream.Stream.concat(
                    java.util.stream.Stream.of(
                            partition(
                                    "partition-halves",
                                    "split the nodes into two fixed halves (first ⌊n/2⌋ against the rest)",
                                    false,
                                    (nodes, r, roles) -> List.of(Grudges.halves(nodes))),
                            partition(
                                    "partition-random-halves",
                                    "split the nodes into two random halves",
                                    false,
                                    (nodes, r, roles) -> List.of(Grudges.randomHalves(nodes, r))),
                            partition(
                                    "partition-majorities-ring",
                                    "each node sees a different majority of a random ring (Jepsen's ring, symmetric)",
                                    false,
                                    (nodes, r, roles) -> List.of(Grudges.majoritiesRing(nodes, r))),
                            partition(
                                    "partition-bridge",
                                    "Jepsen's bridge: two halves that cannot see each other and a follower between "
                                            + "them that sees both, so each half with it is a majority and may have a "
                                            + "leader of its own (3 nodes: cut the two others' link)",
                                    true,
                                    (nodes, r, roles) -> List.of(Grudges.bridge(nodes, roles, r))),
                            new Spec(
                                    "partition-isolate",
                                    "cut one random node off from all others",
                                    ctx -> new PartitionNemesis(
                                            "partition-isolate",
                                            ctx,
                                            false,
                                            (nodes, r, roles) -> List.of(Grudges.isolateRandom(nodes, r)),
                                            true)),
                            partition(
                                    "partition-leader",
                                    "cut the current leader off from all others",
                                    true,
                                    (nodes, r, roles) -> List.of(Grudges.isolate(nodes, roles.leader()))),
                            partition(
                                    "partition-leader-minority",
                                    "cut the current leader off together with as many followers as leave the rest a bare "
                                            + "majority (5 nodes: the leader and one follower; 3 or 4: the leader alone), so "
                                            + "a deposed leader still reaches followers it can replicate to and read through",
                                    true,
                                    (nodes, r, roles) -> List.of(Grudges.leaderMinority(nodes, roles.leader(), r))),
                            partition(
                                    "partition-quorum-loss",
                                    "paper scenario A: only links hub-X stay up; the hub is a follower, the leader a leaf",
                                    true,
                                    (nodes, r, roles) -> List.of(Grudges.quorumLoss(nodes, roles))),
                            partition(
                                    "partition-constrained-election",
                                    "paper scenario B: cut leader-hub for half an election timeout, then isolate the leader "
                                            + "and keep only hub-X links",
                                    true,
                                    (nodes, r, roles) -> List.of(
                                            Grudges.constrainedElectionLag(roles),
                                            Grudges.constrainedElection(nodes, roles))),
                            partition(
                                    "partition-chain",
                                    "paper scenario C: a line leader-hub-others where each node sees only its neighbours "
                                            + "(3 nodes: cut leader-C only)",
                                    true,
                                    (nodes, r, roles) -> List.of(Grudges.chain(nodes, roles))),
                            new Spec(
                                    "kill",
                                    "SIGKILL the SUT on a random minority of nodes, restart them on heal",
                                    ctx -> new ProcessNemesis(ProcessNemesis.Kind.KILL, ctx)),
                            new Spec(
                                    "kill-leader",
                                    "SIGKILL the SUT on the current leader, restart it on heal",
                                    ctx -> new ProcessNemesis(ProcessNemesis.Kind.KILL_LEADER, ctx)),
                            new Spec(
                                    "pause",
                                    "SIGSTOP the SUT on a random minority of nodes, SIGCONT on heal",
                                    ctx -> new ProcessNemesis(ProcessNemesis.Kind.PAUSE, ctx)),
                            new Spec(
                                    "packet-loss",
                                    "drop a random share of packets between all nodes (iptables statistic)",
                                    PacketLossNemesis::new),
                            new Spec(
                                    PacketLossNemesis.RESET_NAME,
                                    "answer a random share of the TCP packets between nodes with a reset, so their "
                                            + "connections break at random moments and what was in flight is lost",
                                    PacketLossNemesis::resets),
                            new Spec(
                                    SlowNetworkNemesis.NAME,
                                    "throttle what a random minority of nodes sends to the other nodes to 16-64 "
                                            + "kbit/s behind a deep queue (tc htb), so their messages arrive seconds "
                                            + "late and all at once at the heal; clients and SSH keep full speed",
                                    SlowNetworkNemesis::new),
                            new Spec(
                                    ClientPartitionNemesis.NAME,
                                    "cut the clients off from the leader by dropping what "
                                            + "arrives at its client port; the heal lets new connections through "
                                            + ClientPartitionNemesis.STALE_FLOWS.toSeconds() + " s "
                                            + "before the old ones, so requests left in old connections arrive late, "
                                            + "after the commands their clients sent since",
                                    ClientPartitionNemesis::new),
                            new Spec(
                                    "kill-majority",
                                    "SIGKILL the SUT on a random majority of nodes at once, restart them on heal",
                                    ctx -> new ProcessNemesis(ProcessNemesis.Kind.KILL_MAJORITY, ctx)),
                            new Spec(
                                    "kill-all",
                                    "SIGKILL the SUT on every node at once (a power cut); on heal restart a random majority, and the rest once it elected a leader",
                                    ctx -> new ProcessNemesis(ProcessNemesis.Kind.KILL_ALL, ctx)),
                            new Spec(
                                    LeaderFlipNemesis.NAME,
                                    "cut the leader off with as few others as leave the rest a bare majority; once "
                                            + "the rest elected a new leader, kill one of its followers (two with an even "
                                            + "number of nodes) and restart it on the old leader's side of a flipped "
                                            + "partition, now the majority",
                                    LeaderFlipNemesis::new),
                            new Spec(
                                    Figure8Nemesis.NAME,
                                    "Raft's Figure 8: cut the leader off with as few others as leave a bare majority; "
                                            + "once that majority elects, cut its new leader off alone so the first side "
                                            + "elects one of its own, then restore the first cut: the leader cut off "
                                            + "alone returns with a later term and may overwrite entries the other one "
                                            + "copied to a majority; the clients are held back while the cuts change and "
                                            + "new leaders are awaited, so they send for a moment after each of the first "
                                            + "two cuts, and freely once the first cut is back",
                                    Figure8Nemesis::new),
                            new Spec(
                                    LeaderChurnNemesis.NAME,
                                    "cut the current leader off for 2-5 election timeouts, heal for 1-4, four times "
                                            + "in a row: elections race with the deposed leader's late messages",
                                    LeaderChurnNemesis::new)),
                    FaultNemeses.SPECS.stream())
            .toList();

    private Nemeses() {}

    private static Spec partition(String name, String description, boolean roles, PartitionNemesis.Topology topology) {
        return new Spec(name, description, ctx -> new PartitionNemesis(name, ctx, roles, topology));
    }

    /** Every nemesis, in the order {@code nemesis list} shows them. */
    public static List<Spec> all() {
        return ALL;
    }

    public static Optional<Spec> byName(String name) {
        return ALL.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /**
     * Validates {@code --nemesis a,b}: known names, no repeats, at least one.
     *
     * @throws IllegalArgumentException with one sentence naming the unknown name
     */
    public static List<String> parse(String names) {
        Set<String> picked = new LinkedHashSet<>();
        for (String raw : names.split(",")) {
            String name = raw.strip();
            if (name.isEmpty()) {
                continue;
            }
            if (byName(name).isEmpty()) {
                throw new IllegalArgumentException(
                        "unknown nemesis '" + name + "'; `omnitest nemesis list` shows the names.");
            }
            picked.add(name);
        }
        if (picked.isEmpty()) {
            throw new IllegalArgumentException("--nemesis names no nemesis; `omnitest nemesis list` shows the names.");
        }
        return new ArrayList<>(picked);
    }

    /**
     * The nemesis named {@code name} for one run. Several nemeses are combined in one way only:
     * the runner's schedule takes them in turn, one fault window each.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static Nemesis create(String name, NemesisContext ctx) {
        Spec spec = byName(name)
                .orElseThrow(() -> new IllegalArgumentException(
                        "unknown nemesis '" + name + "'; `omnitest nemesis list` shows the names."));
        return spec.factory().apply(ctx);
    }
}
