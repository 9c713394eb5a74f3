package io.omnitest.sut.raft;

import io.omnitest.sut.protosim.ProtoSim;
import io.omnitest.sut.protosim.SimProtocol;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/** Raft in the {@link ProtoSim}: storage in memory, 10 ms ticks, invariants from {@link RaftInvariants}. */
final class RaftSim implements SimProtocol<RaftMessage, MemoryRaftStorage, Raft> {
    private final boolean preVote;
    private final boolean checkQuorum;
    private final Set<RaftBug> bugs;

    private RaftSim(boolean preVote, boolean checkQuorum, Set<RaftBug> bugs) {
        this.preVote = preVote;
        this.checkQuorum = checkQuorum;
        this.bugs = bugs;
    }

    /** A cluster of {@code n} with every invariant checked after every batch. */
    static ProtoSim<RaftMessage, MemoryRaftStorage, Raft> cluster(int n, long seed, boolean reliable, String test) {
        return cluster(n, seed, reliable, false, false, Set.of(), test);
    }

    static ProtoSim<RaftMessage, MemoryRaftStorage, Raft> cluster(
            int n, long seed, boolean reliable, boolean preVote, boolean checkQuorum, Set<RaftBug> bugs, String test) {
        ProtoSim<RaftMessage, MemoryRaftStorage, Raft> sim =
                new ProtoSim<>(new RaftSim(preVote, checkQuorum, bugs), n, seed, test);
        sim.check(new RaftInvariants(n));
        if (reliable) sim.net.reliable();
        else sim.net.unreliable(0.1);
        return sim;
    }

    @Override
    public MemoryRaftStorage newStorage(int pid) {
        return new MemoryRaftStorage();
    }

    @Override
    public void sync(MemoryRaftStorage s) {
        s.sync();
    }

    @Override
    public MemoryRaftStorage crashCopy(MemoryRaftStorage s) {
        return s.crashCopy();
    }

    @Override
    public Raft start(int pid, List<Integer> nodes, MemoryRaftStorage s, RandomGenerator rnd) {
        return new Raft(
                RaftConfig.of(pid, nodes).withOptions(preVote, checkQuorum).withBugs(bugs), s, rnd);
    }

    @Override
    public boolean isRequest(RaftMessage m) {
        return m instanceof RaftMessage.AppendEntries || m instanceof RaftMessage.RequestVote;
    }

    @Override
    public long sizeOf(RaftMessage m) {
        long size = 40;
        if (m instanceof RaftMessage.AppendEntries a)
            for (RaftEntry e : a.entries()) size += 8 + e.command().length();
        return size;
    }
}
