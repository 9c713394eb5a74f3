package io.omnitest.sut.core;

/** A log entry known to be decided (chosen), with its 0-based log index. */
public record Decided(long idx, String entry) {}
