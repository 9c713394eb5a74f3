package io.omnitest.sut.client;

import io.omnitest.sut.kv.KvCommand;

/** One parsed line of the client protocol, as the node sees it. See {@link WireFormat}. */
public sealed interface Request {
    /** A put/append/get/txn to propose. */
    record Command(long id, KvCommand command) implements Request {}

    /** {@code {"id":8,"op":"status"}}. */
    record StatusQuery(long id) implements Request {}

    /** Anything else; answered {@code bad-request}. {@code id} is null when none could be read. */
    record Malformed(Long id, String message) implements Request {}
}
