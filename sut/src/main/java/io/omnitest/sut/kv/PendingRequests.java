package io.omnitest.sut.kv;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The client requests a leader's KV replica waits on, whatever log it runs on: by request id in
 * arrival order, and by {@code (client, seq)} so a decided command answers every request that
 * carries it. Answers go to the replica's reply list. Not thread-safe: owned by the node's loop.
 */
final class PendingRequests {
    private record ClientSeq(String client, long seq) {}

    /** A request waiting for its command to be decided. */
    static final class Request {
        final KvCommand cmd;
        final long deadline;
        boolean proposed;

        Request(KvCommand cmd, long deadline) {
            this.cmd = cmd;
            this.deadline = deadline;
        }
    }

    private final LinkedHashMap<Long, Request> byId = new LinkedHashMap<>();
    private final Map<ClientSeq, List<Long>> byCommand = new HashMap<>();

    void add(long requestId, KvCommand cmd, long deadline) {
        byId.put(requestId, new Request(cmd, deadline));
        byCommand
                .computeIfAbsent(new ClientSeq(cmd.client(), cmd.seq()), k -> new ArrayList<>())
                .add(requestId);
    }

    boolean isEmpty() {
        return byId.isEmpty();
    }

    int size() {
        return byId.size();
    }

    /** The waiting requests in arrival order (to propose them). */
    Iterable<Request> all() {
        return byId.values();
    }

    /**
     * Answers every request waiting on decided command {@code c} with its result {@code r}: ok, a
     * timeout for a stale duplicate (it may have executed, earlier), or rejected when the session's
     * {@code (client, seq)} was used by another command.
     */
    void decided(KvCommand c, KvResult r, List<Reply> replies) {
        List<Long> ids = byCommand.remove(new ClientSeq(c.client(), c.seq()));
        if (ids == null) return;
        for (long id : ids) {
            Request p = byId.remove(id);
            if (r.isSessionReused() || (p != null && !p.cmd.equals(c))) replies.add(reused(id, p == null ? c : p.cmd));
            else replies.add(r.isStaleDuplicate() ? new Reply.Timeout(id) : new Reply.Ok(id, r));
        }
    }

    static Reply reused(long requestId, KvCommand cmd) {
        return new Reply.Rejected(
                requestId,
                "seq " + cmd.seq() + " of client " + cmd.client()
                        + " was already used by a different command; not executed");
    }

    /** Removes the requests {@code which} selects, in arrival order, and returns them by id. */
    Map<Long, Request> removeIf(Predicate<Request> which) {
        Map<Long, Request> out = new LinkedHashMap<>();
        Iterator<Map.Entry<Long, Request>> it = byId.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Long, Request> e = it.next();
            if (!which.test(e.getValue())) continue;
            it.remove();
            forget(e.getKey(), e.getValue());
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    /** Times out the requests whose deadline has passed at {@code now}. */
    void expire(long now, List<Reply> replies) {
        for (long id : removeIf(p -> p.deadline <= now).keySet()) replies.add(new Reply.Timeout(id));
    }

    /** Times out every request (leadership lost: their commands may still be decided). */
    void timeOutAll(List<Reply> replies) {
        for (long id : byId.keySet()) replies.add(new Reply.Timeout(id));
        byId.clear();
        byCommand.clear();
    }

    private void forget(long requestId, Request p) {
        ClientSeq k = new ClientSeq(p.cmd.client(), p.cmd.seq());
        List<Long> ids = byCommand.get(k);
        if (ids == null) return;
        ids.remove(requestId);
        if (ids.isEmpty()) byCommand.remove(k);
    }
}
