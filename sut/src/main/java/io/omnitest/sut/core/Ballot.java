package io.omnitest.sut.core;

/**
 * A ballot as in OmniPaxos (paper §4, crate {@code Ballot}): ordered by round {@code n}, then
 * {@code priority}, then {@code pid}. {@link #ZERO} is below every ballot any server can hold.
 */
public record Ballot(long n, int priority, int pid) implements Comparable<Ballot> {
    public static final Ballot ZERO = new Ballot(0, 0, 0);

    @Override
    public int compareTo(Ballot o) {
        if (n != o.n) return Long.compare(n, o.n);
        if (priority != o.priority) return Integer.compare(priority, o.priority);
        return Integer.compare(pid, o.pid);
    }

    public boolean greaterThan(Ballot o) {
        return compareTo(o) > 0;
    }

    @Override
    public String toString() {
        return "(" + n + "," + priority + "," + pid + ")";
    }
}
