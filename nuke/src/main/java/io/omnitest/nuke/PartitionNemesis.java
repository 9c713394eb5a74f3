package io.omnitest.nuke;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a partition computed by a pure topology function and heals it. Ops:
 * {@code start-partition} (value: name, grudge, and roles with how they were chosen when
 * the topology needs them) and {@code stop-partition}.
 */
public final class PartitionNemesis extends PartitionOps {
    /** A topology: the phases of grudges to apply, in order, for these nodes and roles. */
    public interface Topology {
        List<Grudge> phases(List<String> nodes, java.util.Random random, Roles roles);
    }

    private final boolean needsRoles;
    private final Topology topology;
    private final boolean targetable;

    /** A partition whose nodes the topology alone chooses. */
    public PartitionNemesis(String name, NemesisContext ctx, boolean needsRoles, Topology topology) {
        this(name, ctx, needsRoles, topology, false);
    }

    /**
     * @param needsRoles whether the topology uses the leader/hub roles (they are then
     *     picked from the live SUT status at each start, and recorded)
     * @param targetable whether a start op may name a minority {@link Target} role, whose nodes are
     *     then cut off from all others instead of the topology's choice
     */
    public PartitionNemesis(
            String name, NemesisContext ctx, boolean needsRoles, Topology topology, boolean targetable) {
        super(name, ctx);
        this.targetable = targetable;
        this.needsRoles = needsRoles;
        this.topology = topology;
    }

    @Override
    public java.util.Set<Target> targets() {
        return targetable
                ? java.util.EnumSet.of(Target.LEADER, Target.FOLLOWERS, Target.CLIENTS, Target.MINORITY)
                : java.util.Set.of();
    }

    @Override
    NemesisOp start(NemesisOp op) {
        java.util.Optional<Target> role = Target.of(op).filter(targets()::contains);
        if (role.isPresent()) {
            List<String> cut = role.get().resolve(ctx);
            List<String> rest =
                    ctx.names().stream().filter(n -> !cut.contains(n)).toList();
            Grudge g = rest.isEmpty() ? Grudge.NONE : Grudge.complete(List.of(cut, rest));
            ctx.net().partition(g);
            return op.with("nodes", cut).with("grudge", g.toMap());
        }
        Roles roles = needsRoles ? ctx.roles() : null;
        List<Grudge> phases = topology.phases(ctx.names(), ctx.random(), roles);
        NemesisOp done = op;
        if (roles != null) {
            done = done.with("roles", roles.toMap());
        }
        if (phases.size() > 1) {
            List<Map<String, List<String>>> earlier = new ArrayList<>();
            // Each earlier phase holds for half an election timeout (scenario B lets the hub lag).
            Duration hold = ctx.electionTimeout().dividedBy(2);
            for (Grudge g : phases.subList(0, phases.size() - 1)) {
                ctx.net().partition(g);
                earlier.add(g.toMap());
                ctx.pause(hold, "between partition phases");
            }
            done = done.with("earlier-phases", earlier).with("phase-ms", hold.toMillis());
        }
        Grudge last = phases.get(phases.size() - 1);
        ctx.net().partition(last);
        return done.with("grudge", last.toMap());
    }
}
