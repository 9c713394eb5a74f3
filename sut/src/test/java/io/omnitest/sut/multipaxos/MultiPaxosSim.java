package io.omnitest.sut.multipaxos;

import io.omnitest.sut.protosim.ProtoSim;
import io.omnitest.sut.protosim.SimProtocol;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/** Multi-Paxos in the {@link ProtoSim}: storage in memory, 10 ms ticks, invariants from {@link MultiPaxosInvariants}. */
final class MultiPaxosSim implements SimProtocol<PaxosMessage, MemoryPaxosStorage, MultiPaxos> {
    private final Set<MultiPaxosBug> bugs;

    private MultiPaxosSim(Set<MultiPaxosBug> bugs) {
        this.bugs = bugs;
    }

    static ProtoSim<PaxosMessage, MemoryPaxosStorage, MultiPaxos> cluster(
            int n, long seed, boolean reliable, String test) {
        return cluster(n, seed, reliable, Set.of(), test);
    }

    static ProtoSim<PaxosMessage, MemoryPaxosStorage, MultiPaxos> cluster(
            int n, long seed, boolean reliable, Set<MultiPaxosBug> bugs, String test) {
        var sim = new ProtoSim<>(new MultiPaxosSim(bugs), n, seed, test);
        sim.check(new MultiPaxosInvariants(n));
        if (reliable) sim.net.reliable();
        else sim.net.unreliable(0.1);
        return sim;
    }

    @Override
    public MemoryPaxosStorage newStorage(int pid) {
        return new MemoryPaxosStorage();
    }

    @Override
    public void sync(MemoryPaxosStorage s) {
        s.sync();
    }

    @Override
    public MemoryPaxosStorage crashCopy(MemoryPaxosStorage s) {
        return s.crashCopy();
    }

    @Override
    public MultiPaxos start(int pid, List<Integer> nodes, MemoryPaxosStorage s, RandomGenerator rnd) {
        return new MultiPaxos(MultiPaxosConfig.of(pid, nodes).withBugs(bugs), s);
    }

    @Override
    public boolean isRequest(PaxosMessage m) {
        return m instanceof PaxosMessage.P1a
                || m instanceof PaxosMessage.P2a
                || m instanceof PaxosMessage.Heartbeat
                || m instanceof PaxosMessage.Decision;
    }

    @Override
    public long sizeOf(PaxosMessage m) {
        long size = 40;
        List<SlotCommand> carried = m instanceof PaxosMessage.P2a a
                ? a.proposals()
                : m instanceof PaxosMessage.P1b b
                        ? b.accepted()
                        : m instanceof PaxosMessage.Decision d ? d.decisions() : List.of();
        for (SlotCommand sc : carried) size += 24 + sc.command().length();
        return size;
    }
}
