package io.omnitest.nuke;

/**
 * A source of faults (Jepsen's nemesis). The runner calls {@link #setup} once, then
 * alternately records and invokes {@link #startOp()} and {@link #stopOp()} on its schedule
 * ({@code --nemesis-interval}), and finally {@link #teardown}, also after a failure or
 * Ctrl-C. Calls come from one thread at a time.
 *
 * <p>{@link #invoke} never throws for a fault that could not be applied on some node: the
 * completion's value then carries {@code error}, since a nemesis op is always {@code info}.
 */
public interface Nemesis {
    /** The name used in {@code --nemesis}, e.g. {@code partition-chain}. */
    String name();

    /** Prepares the hosts (e.g. creates the omnitest iptables chain). */
    void setup();

    /** The invocation that starts this nemesis's next fault. */
    NemesisOp startOp();

    /** The invocation that heals the fault the last start caused. */
    NemesisOp stopOp();

    /**
     * Carries out {@code op} (one of this nemesis's start or stop ops) and returns its
     * completion: the same {@code f}, with a value describing what was done (grudge,
     * nodes, chosen roles and how they were chosen).
     */
    NemesisOp invoke(NemesisOp op);

    /**
     * True when a fault of this nemesis takes a majority of the nodes down or out of reach of
     * each other, so that no system can stay available during it (liveness is not judged then).
     */
    default boolean takesMajorityDown() {
        return false;
    }

    /**
     * Whether the fault {@code start} (one of this nemesis's start ops, maybe naming a
     * {@link Target}) takes a majority down or out of reach; by default {@link #takesMajorityDown()}.
     */
    default boolean takesMajorityDown(NemesisOp start) {
        return takesMajorityDown();
    }

    /**
     * The {@link Target} roles a start op may name in {@value Target#KEY} to choose whom the fault
     * hits; empty when the nemesis always picks its nodes itself.
     */
    default java.util.Set<Target> targets() {
        return java.util.Set.of();
    }

    /** Heals every fault this nemesis may have caused and removes what setup added; idempotent. */
    void teardown();
}
