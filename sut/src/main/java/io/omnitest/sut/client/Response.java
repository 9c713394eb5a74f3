package io.omnitest.sut.client;

import io.omnitest.sut.kv.KvResult;

/** One parsed answer line of the client protocol, as a client sees it. See {@link WireFormat}. */
public sealed interface Response {
    /** {@code id} is null for a {@code bad-request} about a line whose id could not be read. */
    Long id();

    record Ok(Long id, KvResult result) implements Response {}

    /** {@code error}: {@code not-leader} (with {@code leader}, 0 if unknown), {@code timeout} or {@code bad-request}. */
    record Error(Long id, String error, int leader, String message) implements Response {}

    record StatusAnswer(Long id, NodeStatus status) implements Response {}
}
