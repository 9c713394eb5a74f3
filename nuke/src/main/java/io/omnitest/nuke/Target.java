package io.omnitest.nuke;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;

/**
 * Whom a fault hits, chosen by role when the fault starts (issue 14): a mixed schedule
 * ({@code --nemesis all}) names a role in the start op's {@value #KEY}, and a nemesis that
 * {@link Nemesis#targets() accepts it} resolves it to nodes then, from the live status, and records
 * them. Without a role each nemesis picks its nodes its own way.
 * <ul>
 *   <li>{@code leader}: the node the SUT names as leader (else the first node);
 *   <li>{@code followers}: a random non-empty minority of the other nodes;
 *   <li>{@code clients}: a random non-empty minority of the nodes the clients connect to;
 *   <li>{@code minority}: a random non-empty minority, 1..⌊(n-1)/2⌋ nodes;
 *   <li>{@code majority}: a random majority, ⌊n/2⌋+1 nodes.
 * </ul>
 */
public enum Target {
    LEADER,
    FOLLOWERS,
    CLIENTS,
    MINORITY,
    MAJORITY;

    /** Key of the role in a start op's value. */
    public static final String KEY = "target";

    /** The op's spelling: {@code leader}, {@code followers}, ... */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Target parse(String s) {
        for (Target t : values()) if (t.wire().equals(s)) return t;
        throw new IllegalArgumentException("no target role '" + s + "'");
    }

    /** The role an op names, if any. */
    public static Optional<Target> of(NemesisOp op) {
        Object v = op.value().get(KEY);
        return v == null ? Optional.empty() : Optional.of(parse(v.toString()));
    }

    /**
     * The nodes this role names now, in node order.
     *
     * @param nodes       every node, in node order
     * @param leader      the live leader, if the SUT named one
     * @param clientNodes the nodes the clients connect to
     */
    public List<String> resolve(List<String> nodes, Optional<String> leader, List<String> clientNodes, Random random) {
        String lead = leader.filter(nodes::contains).orElse(nodes.get(0));
        List<String> picked = switch (this) {
            case LEADER -> List.of(lead);
            case FOLLOWERS -> {
                List<String> others = Roles.followers(nodes, lead);
                yield others.isEmpty()
                        ? List.of(lead)
                        : pick(others, minority(nodes.size(), others.size(), random), random);
            }
            case CLIENTS -> {
                List<String> used =
                        clientNodes.stream().filter(nodes::contains).distinct().toList();
                if (used.isEmpty()) used = nodes;
                yield pick(used, minority(nodes.size(), used.size(), random), random);
            }
            case MINORITY -> pick(nodes, minority(nodes.size(), nodes.size(), random), random);
            case MAJORITY -> pick(nodes, nodes.size() / 2 + 1, random);
        };
        List<String> ordered = new ArrayList<>(picked);
        ordered.sort((a, b) -> Integer.compare(nodes.indexOf(a), nodes.indexOf(b)));
        return ordered;
    }

    /**
     * The role resolved against a nemesis's context, with its client nodes and its live leader (for
     * the leader and its followers, the one elected within a few election timeouts when none leads
     * now: {@link NemesisContext#leaderSoon}).
     */
    public List<String> resolve(NemesisContext ctx) {
        Optional<String> lead = this == LEADER || this == FOLLOWERS ? ctx.leaderSoon() : ctx.liveLeader();
        return resolve(ctx.names(), lead, ctx.clientNodes(), ctx.random());
    }

    /** 1..⌊(n-1)/2⌋ nodes (at least 1), at most {@code available}. */
    private static int minority(int n, int available, Random random) {
        int most = Math.max(1, Math.min(available, (n - 1) / 2));
        return 1 + random.nextInt(most);
    }

    private static List<String> pick(List<String> from, int count, Random random) {
        List<String> shuffled = new ArrayList<>(from);
        Collections.shuffle(shuffled, random);
        return shuffled.subList(0, Math.min(count, shuffled.size()));
    }
}
