package io.omnitest.sut.raft;

/** One Raft log entry: the term in which a leader created it, and the opaque command. */
public record RaftEntry(long term, String command) {}
