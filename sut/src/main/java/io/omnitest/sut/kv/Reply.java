package io.omnitest.sut.kv;

/** What a {@link KvReplica} answers to a submitted client request. */
public sealed interface Reply {
    long requestId();

    /** The command was executed (exactly once) with this result. */
    record Ok(long requestId, KvResult result) implements Reply {}

    /** This server cannot propose; {@code leaderHint} is the pid it believes leads, 0 if unknown. */
    record NotLeader(long requestId, int leaderHint) implements Reply {}

    /** Certainly not executed, and never will be under this request: {@code message} says why (bad-request on the wire). */
    record Rejected(long requestId, String message) implements Reply {}

    /** Indeterminate: the command may or may not have been (or may still be) executed. */
    record Timeout(long requestId) implements Reply {}
}
