package io.omnitest.sut.raft;

/**
 * Deliberate mistakes a Raft server can be built with, so the simulator and campaigns can show
 * they catch them. Off by default; with none set the core is the paper's algorithm.
 */
public enum RaftBug {
    /** Grant votes without the up-to-date-log restriction of §5.4.1. */
    VOTE_WITHOUT_LOG_CHECK("raft-vote-without-log-check"),
    /** Commit an entry of a previous term by counting replicas (what Figure 8 shows is unsafe). */
    COMMIT_PREVIOUS_TERM("raft-commit-previous-term");

    private final String cliName;

    RaftBug(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }
}
