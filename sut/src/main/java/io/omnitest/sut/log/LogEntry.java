package io.omnitest.sut.log;

/** A log entry known to be decided (committed), with its 0-based position in the replicated log. */
public record LogEntry(long idx, String entry) {}
