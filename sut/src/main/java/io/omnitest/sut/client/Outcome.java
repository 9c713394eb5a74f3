package io.omnitest.sut.client;

import io.omnitest.sut.kv.KvResult;

/**
 * What a client learns about one command, in Jepsen's terms: {@link Ok} (executed, once, with
 * this result), {@link Fail} (certainly NOT executed: record it as {@code fail}) or
 * {@link Unknown} (may or may not have executed, now or later: record it as {@code info}).
 */
public sealed interface Outcome {
    record Ok(KvResult result) implements Outcome {}

    /**
     * @param error  {@code not-leader}, {@code bad-request} or {@code unavailable} (could not connect)
     * @param leader for {@code not-leader}: the node the server believes leads, 0 if unknown
     */
    record Fail(String error, int leader, String message) implements Outcome {}

    /** @param reason e.g. {@code timeout}, {@code server timeout}, {@code connection lost} */
    record Unknown(String reason) implements Outcome {}
}
