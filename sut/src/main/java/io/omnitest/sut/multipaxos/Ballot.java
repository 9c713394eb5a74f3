package io.omnitest.sut.multipaxos;

/** A ballot number (PMMC §3): a round, ties broken by the leader's pid. */
public record Ballot(long round, int pid) implements Comparable<Ballot> {
    public static final Ballot ZERO = new Ballot(0, 0);

    @Override
    public int compareTo(Ballot o) {
        return round != o.round ? Long.compare(round, o.round) : Integer.compare(pid, o.pid);
    }

    public boolean greaterThan(Ballot o) {
        return compareTo(o) > 0;
    }

    /** One monotone number per ballot, for protocol-neutral status ({@code round * 1024 + pid}). */
    public long epoch() {
        return round * 1024 + pid;
    }
}
