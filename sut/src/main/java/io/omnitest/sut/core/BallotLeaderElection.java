package io.omnitest.sut.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ballot Leader Election with quorum-connectivity: the paper's variant with the {@code qc} flag
 * (Omni-Paxos, EuroSys 2023, §5 and Fig. 4), not the crate's later {@code happy} flag.
 *
 * <p>Every {@code heartbeatTicks} ticks a round ends and a new one starts with a
 * {@link Message.HeartbeatRequest} to every peer; peers answer with their ballot and their qc
 * flag. At the end of a round:
 * <ul>
 *   <li>a server that heard fewer than a majority (itself included) sets {@code qc = false} and
 *       does nothing else: a server that is not quorum-connected never takes over;</li>
 *   <li>otherwise {@code qc = true}, and among the ballots of the quorum-connected servers heard
 *       (its own included) the highest one is the candidate. If it is below the current leader
 *       (the leader was not heard among the qc servers) the server increments its ballot to
 *       {@code leader.n + 1} and forgets the leader; if it is above, it becomes the leader and
 *       is reported to Sequence Paxos.</li>
 * </ul>
 * Two links to Sequence Paxos, as in the crate: at the end of a round the leader is first raised
 * to Sequence Paxos's promise when that is higher (a server that promised a leader through
 * Prepare, e.g. before a restart lost its BLE state, checks that leader is still heard, and
 * climbs past it if not); and a server elected here whose Sequence Paxos has promised a ballot
 * at least as high cannot lead with its ballot, so it takes one above the promise
 * ({@link #refused}) and is elected again next round if still the top candidate. A NotAccepted
 * never raises the promise (see {@link SequencePaxos#stepDown}): in the chained scenario the
 * cut-off old leader must stay quiet instead of climbing back over the new one.
 *
 * <p>One case the paper's rules leave without a leader, and a third link: a leader preempted in
 * Sequence Paxos (a NotAccepted carried a higher ballot) whose BLE still elects its own ballot
 * (no quorum-connected server it hears has a higher one) stays quiet forever if it is the only
 * server that can lead: the constrained election with the cut-off old leader as the hub, where
 * every peer it hears is cut off from the rest and so not quorum-connected. Staying quiet is
 * right only while the preempting leader may still hold a majority. With 3 or 5 servers it cannot
 * when no server this one hears is quorum-connected: this one is, so the servers it does not hear
 * are fewer than a majority, and that leader's majority includes a server this one hears, which,
 * hearing both leaders and itself, would be quorum-connected. So a preempted leader that hears
 * only servers that are not quorum-connected climbs past the preempting ballot and is elected
 * again next round. In the chained scenario the middle server is quorum-connected, so the old
 * leader stays quiet as before. With 7 or more servers the argument fails (a server of the other
 * majority may hear both leaders and still no majority), and two such leaders can take turns
 * preempting each other where the paper's rules keep one of them quiet (a loss of throughput, not
 * of safety).
 *
 * <p>Beyond the paper: a peer heard again after missing {@link #RECONNECT_ROUNDS} rounds is
 * reported as reconnected (the assignment's "link drop" recovery), see {@link #takeReconnected()}.
 *
 * <p>{@link Bug#BLE_NO_QUORUM_CHECK} drops the first rule: a server that hears no majority still
 * counts itself quorum-connected, climbs past a leader it does not hear and elects itself.
 */
final class BallotLeaderElection {
    static final int RECONNECT_ROUNDS = 2;

    private final Config config;
    private final List<Integer> peers;
    private final List<Message> out;
    private final Map<Integer, Message.HeartbeatReply> replies = new HashMap<>();
    private final Map<Integer, Long> lastHeardRound = new HashMap<>();
    private final List<Integer> reconnected = new ArrayList<>();
    private Ballot ballot;
    private Ballot leader = Ballot.ZERO;
    private boolean quorumConnected = true;
    private long round;
    private int ticksInRound;

    /** @param promise the promise found in storage ({@link Ballot#ZERO} for a new server) */
    BallotLeaderElection(Config config, List<Message> out, Ballot promise) {
        this.config = config;
        this.out = out;
        this.peers = config.nodes().stream().filter(p -> p != config.pid()).toList();
        // Ballots are not persisted, but a server that promised its own ballot led with it before
        // a restart: it starts its heartbeats with that ballot again. Starting low instead would
        // let a lower leader be elected whose Prepare this server must refuse (its promise is
        // higher) while this server, not being the BLE's top candidate, never leads either: no
        // leader at all. It never re-uses the ballot: Sequence Paxos refuses to lead with a
        // ballot not above its promise and {@link #refused} climbs past it.
        long n = promise.pid() == config.pid() ? promise.n() : 0;
        this.ballot = new Ballot(n, config.priority(), config.pid());
    }

    /**
     * Advances one tick. Returns the new leader's ballot when this tick ended a round that
     * elected a (different) leader, else null.
     *
     * @param promise Sequence Paxos's promise
     * @param preemptedBy the higher ballot that made Sequence Paxos stop leading, or
     *     {@link Ballot#ZERO} while it leads or never led
     */
    Ballot tick(Ballot promise, Ballot preemptedBy) {
        if (round == 0) {
            startRound();
            return null;
        }
        if (++ticksInRound < config.heartbeatTicks()) return null;
        Ballot elected = endRound(promise, preemptedBy);
        startRound();
        return elected;
    }

    /** Sequence Paxos could not lead with our ballot: it promised {@code promise}. */
    void refused(Ballot promise) {
        ballot = new Ballot(Math.max(promise.n(), leader.n()) + 1, config.priority(), config.pid());
        leader = Ballot.ZERO;
    }

    private Ballot endRound(Ballot promise, Ballot preemptedBy) {
        // Our own promise is no evidence of a leader: after a restart it is a ballot we led with
        // before, and taking it as the leader would keep us from ever being elected again.
        if (promise.pid() != config.pid() && promise.greaterThan(leader)) leader = promise;
        if (replies.size() + 1 < config.majority() && !config.has(Bug.BLE_NO_QUORUM_CHECK)) {
            quorumConnected = false;
            return null;
        }
        quorumConnected = true;
        Ballot top = ballot;
        for (Message.HeartbeatReply r : replies.values()) {
            if (r.quorumConnected() && r.ballot().greaterThan(top)) top = r.ballot();
        }
        if (leader.greaterThan(top)) {
            ballot = new Ballot(leader.n() + 1, config.priority(), config.pid());
            leader = Ballot.ZERO;
            return null;
        }
        if (leader.equals(ballot) && preemptedBy.greaterThan(ballot) && noPeerQuorumConnected()) {
            ballot = new Ballot(preemptedBy.n() + 1, config.priority(), config.pid());
            leader = Ballot.ZERO;
            return null;
        }
        if (!top.equals(leader)) {
            leader = top;
            return top;
        }
        return null;
    }

    private boolean noPeerQuorumConnected() {
        for (Message.HeartbeatReply r : replies.values()) if (r.quorumConnected()) return false;
        return true;
    }

    private void startRound() {
        round++;
        ticksInRound = 0;
        replies.clear();
        for (int p : peers) out.add(new Message.HeartbeatRequest(config.pid(), p, round));
    }

    void handleRequest(Message.HeartbeatRequest m) {
        out.add(new Message.HeartbeatReply(config.pid(), m.from(), m.round(), ballot, quorumConnected));
    }

    void handleReply(Message.HeartbeatReply m) {
        if (m.round() != round) return; // late reply of an earlier round
        replies.put(m.from(), m);
        Long last = lastHeardRound.put(m.from(), round);
        if (last != null && round - last > RECONNECT_ROUNDS) reconnected.add(m.from());
    }

    /** Peers heard again after a silence of more than {@link #RECONNECT_ROUNDS} rounds. */
    List<Integer> takeReconnected() {
        if (reconnected.isEmpty()) return List.of();
        List<Integer> r = List.copyOf(reconnected);
        reconnected.clear();
        return r;
    }

    Ballot leader() {
        return leader;
    }

    Ballot ballot() {
        return ballot;
    }

    boolean quorumConnected() {
        return quorumConnected;
    }
}
