package io.omnitest.sut.multipaxos;

/**
 * Deliberate mistakes a Multi-Paxos server can be built with, so the simulator and campaigns can
 * show they catch them. Off by default.
 */
public enum MultiPaxosBug {
    /** The leader garbage-collects slots once a majority (not every server) executed them. */
    GC_NOT_EXECUTED_EVERYWHERE("multipaxos-gc-majority"),
    /** A server taking over after missed heartbeats starts proposing without phase 1 (no scout). */
    SKIP_PHASE1_ON_TAKEOVER("multipaxos-skip-phase1");

    private final String cliName;

    MultiPaxosBug(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }
}
