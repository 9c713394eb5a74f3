package io.omnitest.sut.sim;

import io.omnitest.sut.log.Addressed;
import io.omnitest.sut.log.LogEntry;
import io.omnitest.sut.log.LogStatus;
import io.omnitest.sut.log.ReplicatedLog;
import java.util.List;
import java.util.function.Consumer;

/**
 * A protocol core as the KV replica sees it, with every batch of decided entries also shown to
 * {@code decided}: how a simulator test lets a replica consume the core's decisions while its own
 * safety checks see them too. Everything else goes straight to the core.
 */
public final class DecidedTap<M extends Addressed> implements ReplicatedLog<M> {
    private final ReplicatedLog<M> core;
    private final Consumer<List<LogEntry>> decided;

    public DecidedTap(ReplicatedLog<M> core, Consumer<List<LogEntry>> decided) {
        this.core = core;
        this.decided = decided;
    }

    @Override
    public void tick() {
        core.tick();
    }

    @Override
    public void handle(M m) {
        core.handle(m);
    }

    @Override
    public boolean propose(String entry) {
        return core.propose(entry);
    }

    @Override
    public List<M> takeOutgoing() {
        return core.takeOutgoing();
    }

    @Override
    public List<LogEntry> takeDecided() {
        List<LogEntry> d = core.takeDecided();
        decided.accept(d);
        return d;
    }

    @Override
    public LogStatus status() {
        return core.status();
    }

    @Override
    public List<String> takeAlarms() {
        return core.takeAlarms();
    }
}
