package io.omnitest.sut.log;

import io.omnitest.sut.core.Bug;
import io.omnitest.sut.multipaxos.MultiPaxosBug;
import io.omnitest.sut.raft.RaftBug;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The deliberate bugs of every protocol the node runs, by their {@code --bug} names: OmniPaxos'
 * ({@link Bug}), Raft's ({@link RaftBug}) and Multi-Paxos' ({@link MultiPaxosBug}).
 */
public final class ProtocolBugs {
    private ProtocolBugs() {}

    /** The protocol a bug name belongs to: {@code omnipaxos}, {@code raft} or {@code multipaxos}; null if none. */
    public static String protocolOf(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        if (Arrays.stream(Bug.values()).anyMatch(b -> b.cliName().equals(n))) return "omnipaxos";
        if (Arrays.stream(RaftBug.values()).anyMatch(b -> b.cliName().equals(n))) return "raft";
        if (Arrays.stream(MultiPaxosBug.values()).anyMatch(b -> b.cliName().equals(n))) return "multipaxos";
        return null;
    }

    /** The protocols with bugs, in the order of {@link #names()}. */
    public static List<String> protocols() {
        return List.of("omnipaxos", "raft", "multipaxos");
    }

    /** Every name, OmniPaxos' first. */
    public static List<String> names() {
        List<String> all = new ArrayList<>();
        for (Bug b : Bug.values()) all.add(b.cliName());
        for (RaftBug b : RaftBug.values()) all.add(b.cliName());
        for (MultiPaxosBug b : MultiPaxosBug.values()) all.add(b.cliName());
        return all;
    }

    /**
     * Parses names given as repeated options and/or comma-separated lists into known names, each
     * once, in {@link #names()} order; empty items are ignored.
     *
     * @throws IllegalArgumentException naming the unknown bug and every known one
     */
    public static List<String> canonical(List<String> lists) {
        Set<String> given = new LinkedHashSet<>();
        for (String list : lists) {
            for (String item : list.split(",")) {
                if (item.isBlank()) continue;
                if (protocolOf(item) == null) {
                    throw new IllegalArgumentException(
                            "unknown bug '" + item.trim() + "'; known bugs: " + String.join(", ", names()));
                }
                given.add(item.trim().toLowerCase(Locale.ROOT));
            }
        }
        return names().stream().filter(given::contains).toList();
    }
}
