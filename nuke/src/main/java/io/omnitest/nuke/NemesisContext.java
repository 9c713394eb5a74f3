package io.omnitest.nuke;

import io.omnitest.infra.Host;
import io.omnitest.infra.Remotes;
import io.omnitest.infra.db.Db;
import io.omnitest.infra.db.HasLeader;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * What nemeses act on, handed in by the runner: the SUT nodes, how to reach them, the
 * {@link Db} (for its capabilities), seeded randomness and a way to wait. One
 * {@link IptablesNet} is shared by all nemeses of a run.
 */
public final class NemesisContext {
    /** Waits; tests may pass one that records instead of sleeping. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final List<Host> nodes;
    private final Remotes remotes;
    private final Db db;
    private final Random random;
    private final Sleeper sleeper;
    private final Duration electionTimeout;
    private final double packetLoss;
    private final IptablesNet net;
    /** The nodes the clients connect to ({@link Target#CLIENTS}); every node unless told. */
    private volatile List<String> clientNodes;
    /** Holds the clients back for a moment ({@link ClientGate}); none unless the runner gives one. */
    private volatile ClientGate clientGate = ClientGate.NONE;

    /**
     * @param nodes the SUT nodes, in id order
     * @param db the SUT; kill/pause/leader nemeses need its {@code Killable}, {@code Pausable},
     *     {@code HasLeader} capabilities
     * @param random the run's seeded randomness
     * @param electionTimeout the SUT's election timeout (scenario B lags the hub for half of it)
     * @param packetLoss share of packets {@code packet-loss} drops between nodes, in (0, 1]
     */
    public NemesisContext(
            List<Host> nodes,
            Remotes remotes,
            Db db,
            Random random,
            Sleeper sleeper,
            Duration electionTimeout,
            double packetLoss) {
        if (!(packetLoss > 0 && packetLoss <= 1)) {
            throw new IllegalArgumentException("packet loss must be in (0, 1], not " + packetLoss);
        }
        this.nodes = List.copyOf(nodes);
        this.remotes = remotes;
        this.db = db;
        this.random = random;
        this.sleeper = sleeper;
        this.electionTimeout = electionTimeout;
        this.packetLoss = packetLoss;
        this.net = new IptablesNet(this.nodes, remotes);
        this.clientNodes = names();
    }

    /**
     * Defaults: real sleeps, 20 % packet loss.
     *
     * @param electionTimeout the system's own election timeout, as the system reports it (nuke
     *     knows no system's constants)
     */
    public static NemesisContext of(List<Host> nodes, Remotes remotes, Db db, Random random, Duration electionTimeout) {
        return new NemesisContext(nodes, remotes, db, random, d -> Thread.sleep(d.toMillis()), electionTimeout, 0.2);
    }

    public List<Host> nodes() {
        return nodes;
    }

    public List<String> names() {
        return nodes.stream().map(Host::name).toList();
    }

    public Host node(String name) {
        return nodes.stream()
                .filter(h -> h.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node named " + name));
    }

    public Remotes remotes() {
        return remotes;
    }

    public Db db() {
        return db;
    }

    public Random random() {
        return random;
    }

    public Sleeper sleeper() {
        return sleeper;
    }

    /**
     * Waits {@code d} in the middle of a nemesis operation; an interruption ends the operation
     * (with the interrupt flag kept) as an {@link IllegalStateException} naming {@code what} it cut short.
     */
    public void pause(Duration d, String what) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted " + what, e);
        }
    }

    public Duration electionTimeout() {
        return electionTimeout;
    }

    public double packetLoss() {
        return packetLoss;
    }

    /** The nodes the clients connect to, for the {@code clients} target role. */
    public List<String> clientNodes() {
        return clientNodes;
    }

    /** Tells the nemeses which nodes the clients connect to (the runner knows, nuke does not). */
    public NemesisContext clientNodes(List<String> names) {
        this.clientNodes = List.copyOf(names);
        return this;
    }

    /** The runner's way to hold the clients back for a moment; {@link ClientGate#NONE} unless told. */
    public ClientGate clientGate() {
        return clientGate;
    }

    /** Tells the nemeses how to hold the clients back (the runner drives them, nuke does not). */
    public NemesisContext clientGate(ClientGate gate) {
        this.clientGate = java.util.Objects.requireNonNull(gate);
        return this;
    }

    public IptablesNet net() {
        return net;
    }

    /** The live leader's name per the SUT, when the Db can tell and some node claims it. */
    public Optional<String> liveLeader() {
        if (db instanceof HasLeader h) {
            try {
                return h.leader(nodes).map(Host::name);
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Polls per election timeout in {@link #awaitLeader}. */
    static final int POLLS_PER_TIMEOUT = 10;

    /**
     * Polls the SUT's leader every tenth of an election timeout until one {@code wanted} claims it
     * (the highest ballot or term that claims leadership is the newest leader): at most
     * {@code electionTimeouts} election timeouts of pauses between polls, and no longer than that in
     * wall time either, however slowly the nodes answer. Empty when none did in time.
     */
    public Optional<String> awaitLeader(java.util.function.Predicate<String> wanted, int electionTimeouts) {
        Duration poll = electionTimeout.dividedBy(POLLS_PER_TIMEOUT);
        long deadline = System.nanoTime() + electionTimeout.toNanos() * electionTimeouts;
        int polls = electionTimeouts * POLLS_PER_TIMEOUT;
        for (int i = 0; i <= polls; i++) {
            Optional<String> l = liveLeader();
            if (l.isPresent() && wanted.test(l.get())) return l;
            if (i == polls || System.nanoTime() - deadline >= 0) break; // no pause after the last poll
            pause(poll, "waiting for a leader");
        }
        return Optional.empty();
    }

    /**
     * Election timeouts {@link #leaderSoon} waits: a fault aimed at the leader may be dealt just as
     * the fault before it healed, while the nodes elect one.
     */
    public static final int LEADER_WAIT_TIMEOUTS = 5;

    /**
     * The live leader; when none claims it now but the system can tell one, the one it elects within
     * {@link #LEADER_WAIT_TIMEOUTS} election timeouts ({@link #awaitLeader}). Empty if none did.
     */
    public Optional<String> leaderSoon() {
        if (!(db instanceof HasLeader)) return Optional.empty();
        return awaitLeader(l -> true, LEADER_WAIT_TIMEOUTS);
    }

    /**
     * Roles for the paper scenarios: from the live leader ({@link #leaderSoon}, so a scenario dealt
     * during an election hits the leader it elects), else fixed positions.
     */
    public Roles roles() {
        return Roles.pick(names(), leaderSoon(), random);
    }
}
