package io.omnitest.sut.kv;

import java.util.List;

/**
 * The result of one executed {@link KvCommand}.
 *
 * @param value for {@code get}: the key's value ({@code ""} if missing); null for put/append/txn
 * @param txn   for {@code txn}: the request's micro-ops with every read's value filled in
 */
public record KvResult(String value, List<MicroOp> txn) {
    /**
     * Returned (by identity) for a command whose sequence number is older than its client's last
     * executed one: the client has already seen that command's reply, so nothing is re-executed
     * and no result is kept. Test with {@link #isStaleDuplicate()}.
     */
    public static final KvResult STALE_DUPLICATE = new KvResult(null, null);

    public boolean isStaleDuplicate() {
        return this == STALE_DUPLICATE;
    }

    /**
     * Returned (by identity) for a command whose {@code (client, seq)} is its client's last executed
     * one but whose content differs: the pair was reused for another command, which is not executed
     * (answering it with the other command's cached result would be a lie). Test with
     * {@link #isSessionReused()}.
     */
    public static final KvResult SESSION_REUSED = new KvResult(null, null);

    public boolean isSessionReused() {
        return this == SESSION_REUSED;
    }
}
