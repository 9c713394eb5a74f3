package io.omnitest.sut.sim;

import io.omnitest.sut.core.Config;
import io.omnitest.sut.core.Decided;
import io.omnitest.sut.core.MemoryStorage;
import io.omnitest.sut.core.Message;
import io.omnitest.sut.core.OmniPaxos;
import io.omnitest.sut.core.Status;
import io.omnitest.sut.kv.KvCommand;
import io.omnitest.sut.kv.KvReplica;
import io.omnitest.sut.kv.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * One simulated server, driven like the real node's event loop: a batch of calls (messages,
 * client requests, a tick), then {@code storage.sync()} with the outgoing messages and replies
 * sent around it as the real node does ({@link Simulator}'s {@code endBatch}).
 * In raw mode it runs a bare {@link OmniPaxos} and records what it decides; in KV mode a
 * {@link KvReplica}.
 */
final class SimNode {
    final int pid;
    private final Config config;
    private final boolean kvMode;
    private final int requestTimeoutTicks;
    MemoryStorage storage;
    private OmniPaxos paxos;
    private KvReplica kv;
    boolean alive;
    /** Fault injection: the server dies at the end of its next batch, before that batch is synced. */
    boolean crashBeforeNextSync;
    /** Messages waiting for the next sync (acknowledgements, or everything after a barrier batch), in order. */
    final List<Message> held = new ArrayList<>();
    /** A batch changed the promise, the accepted round or truncated: everything waits for the next sync. */
    boolean barrierHeld;
    /** Raw mode: entries delivered by takeDecided since the last (re)start. */
    final List<Decided> applied = new ArrayList<>();

    SimNode(int pid, Config config, boolean kvMode, int requestTimeoutTicks) {
        this.pid = pid;
        this.config = config;
        this.kvMode = kvMode;
        this.requestTimeoutTicks = requestTimeoutTicks;
        this.storage = new MemoryStorage(config.bugs());
        start();
    }

    void start() {
        paxos = new OmniPaxos(config, storage);
        kv = kvMode ? new KvReplica(paxos, requestTimeoutTicks, config.bugs()) : null;
        applied.clear();
        alive = true;
        drainDecided();
    }

    /** kill -9: everything not synced is lost; {@link #start()} brings it back. */
    void crash() {
        alive = false;
        held.clear();
        barrierHeld = false;
        storage = storage.crashCopy();
        paxos = null;
        kv = null;
    }

    void handle(Message m) {
        if (kv != null) kv.handle(m);
        else paxos.handle(m);
        drainDecided();
    }

    void submit(long requestId, KvCommand c) {
        kv.submit(requestId, c);
    }

    void tick() {
        if (kv != null) kv.tick();
        else paxos.tick();
        drainDecided();
    }

    void reconnected(int peer) {
        if (kv != null) kv.reconnected(peer);
        else paxos.reconnected(peer);
        drainDecided();
    }

    boolean propose(String entry) {
        boolean ok = paxos.propose(entry);
        drainDecided();
        return ok;
    }

    /** What the batch produced so far (the driver's {@code takeOutgoing}). */
    List<Message> takeOutgoing() {
        List<Message> out = kv != null ? kv.takeOutgoing() : paxos.takeOutgoing();
        drainDecided(); // takeOutgoing may have flushed a decision
        return out;
    }

    /** Client answers produced so far (KV mode). */
    List<Reply> takeReplies() {
        return kv != null ? kv.takeReplies() : List.of();
    }

    private void drainDecided() {
        if (kv == null && paxos != null) applied.addAll(paxos.takeDecided());
    }

    Status status() {
        return kv != null ? kv.status() : paxos.status();
    }

    KvReplica kv() {
        return kv;
    }
}
