package io.omnitest.nuke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.infra.Host;
import io.omnitest.infra.Remote;
import io.omnitest.infra.Remotes;
import io.omnitest.infra.db.Db;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Figure 8's three phases against hosts that only record their iptables rules and a scripted leader. */
class Figure8NemesisTest {
    private static final List<Host> NODES = List.of(host("n1"), host("n2"), host("n3"), host("n4"), host("n5"));
    private static final List<String> NAMES = List.of("n1", "n2", "n3", "n4", "n5");
    /** In order: "sleep 20", "partition" (one per partition the nemesis makes), "leader? n2". */
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    /** Per node, the addresses it drops now. */
    private final Map<String, List<String>> drops = new ConcurrentHashMap<>();

    private static Host host(String name) {
        return new Host(name, "10.0.0." + name.substring(1), 22, "root", null, null, false, "/w");
    }

    private static String name(String address) {
        return "n" + address.substring(address.lastIndexOf('.') + 1);
    }

    /** A SUT that names the leader {@code leader} picks from who drops whom now, and logs the question. */
    private ScriptedLeaderDb leaderDb(Function<Map<String, List<String>>, Optional<String>> leader) {
        return new ScriptedLeaderDb(() -> {
            Optional<String> l = leader.apply(Map.copyOf(drops));
            log.add("leader? " + l.orElse("none"));
            return l;
        });
    }

    private NemesisContext ctx(Function<Map<String, List<String>>, Optional<String>> leader) {
        return new NemesisContext(
                        NODES,
                        new Remotes(this::recording),
                        leaderDb(leader),
                        new Random(5),
                        d -> log.add("sleep " + d.toMillis()),
                        Duration.ofMillis(200),
                        0.2)
                .clientGate(new ClientGate() {
                    @Override
                    public void hold(Duration atMost) {
                        holdBound = atMost;
                        log.add("hold clients");
                    }

                    @Override
                    public void release() {
                        log.add("release clients");
                    }
                });
    }

    /** The bound the last hold was given. */
    private volatile Duration holdBound;

    /** Partition changes each node carries out before its next one fails (exit 4); none fails unless set. */
    private int partitionsThatWork = Integer.MAX_VALUE;

    private final Map<String, Integer> partitionsRun = new ConcurrentHashMap<>();

    private Remote recording(Host h) {
        return new ScriptedRemote(h, c -> {
            if (c.line().contains("-j DROP")
                    && c.argv().contains(IptablesNet.CHAIN)
                    && partitionsRun.merge(h.name(), 1, Integer::sum) > partitionsThatWork)
                return new io.omnitest.infra.ExecResult(h.name(), c.line(), 4, "", "iptables: no chain");
            if (c.line().contains("-j DROP") && c.argv().contains(IptablesNet.CHAIN)) {
                List<String> args = c.argv();
                drops.put(
                        h.name(),
                        args.subList(args.indexOf(IptablesNet.CHAIN) + 1, args.size()).stream()
                                .map(Figure8NemesisTest::name)
                                .toList());
                if (h.name().equals("n1")) log.add("partition");
            }
            return ScriptedRemote.ok(h, c);
        });
    }

    /** The op's {@code i}-th round. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> round(NemesisOp done, int i) {
        return ((List<Map<String, Object>>) done.value().get("rounds")).get(i);
    }

    /** n1 leads until cut off; then the first node it drops; once that one is cut off alone, n1 again. */
    private static Optional<String> raftLike(Map<String, List<String>> drops) {
        List<String> n1 = drops.getOrDefault("n1", List.of());
        if (n1.isEmpty()) return Optional.of("n1");
        if (n1.size() == 3) return Optional.of(n1.get(0)); // the bare majority elected its first node
        return Optional.of("n1"); // n1 drops only the node cut off alone: n1's side elected n1 again
    }

    @Test
    void cutsTheLeaderOffThenTheNextLeaderAloneThenRestoresTheFirstCut() {
        Nemesis f8 = new Figure8Nemesis(ctx(Figure8NemesisTest::raftLike), 1);
        NemesisOp done = f8.invoke(f8.startOp());
        assertEquals(null, done.value().get("error"), done::toString);
        assertEquals(1, ((List<?>) done.value().get("rounds")).size(), done::toString);
        Map<String, Object> r = round(done, 0);
        assertEquals(3, r.get("reached-phase"), done::toString);

        @SuppressWarnings("unchecked")
        List<Map<String, List<String>>> phases = (List<Map<String, List<String>>>) r.get("earlier-phases");
        Map<String, List<String>> cut = phases.get(0);
        List<String> majority = cut.get("n1");
        assertEquals(3, majority.size(), cut::toString);
        List<String> side = NAMES.stream().filter(n -> !majority.contains(n)).toList();
        assertTrue(side.contains("n1") && side.size() == 2, side::toString);

        String second = majority.get(0);
        assertEquals(List.of("n1", second, "n1"), r.get("leaders"));
        assertEquals(Grudges.isolate(NAMES, second).toMap(), phases.get(1));
        // the last phase is the first cut again
        assertEquals(cut, done.value().get("grudge"));
        // when each partition was in force and each new leader seen
        assertEquals(5, ((List<?>) r.get("at-ms")).size(), done::toString);

        // order: cut, poll until the majority elects, isolate it, poll until the first side elects, cut
        // again; the clients may send only for a moment after each of the first two partitions
        assertEquals(
                List.of(
                        "leader? n1",
                        "hold clients",
                        "partition",
                        "release clients",
                        "sleep 100", // L1's side takes commands for half an election timeout
                        "hold clients",
                        "leader? " + second,
                        "partition",
                        "release clients",
                        "sleep 100", // L2 alone takes commands
                        "hold clients",
                        "leader? n1",
                        "partition",
                        "release clients"),
                log);
        assertTrue(r.get("clients-held-ms") instanceof Long, done::toString);
        // a hold ends by itself after a wait for a leader (10 election timeouts of 200 ms) and a partition change
        assertEquals(Duration.ofSeconds(7), holdBound);
        // with the clients held, no outage of the window is the system's: liveness is not judged
        assertTrue(f8.takesMajorityDown());

        NemesisOp healed = f8.invoke(f8.stopOp());
        assertEquals(Map.of("name", Figure8Nemesis.NAME, "healed", true), healed.value());
    }

    @Test
    void theClientsAreReleasedWhenThePartitionChangeTheyWereHeldForFails() {
        partitionsThatWork = 1; // the first cut works; isolating the new leader fails
        Nemesis f8 = new Figure8Nemesis(ctx(Figure8NemesisTest::raftLike), 1);
        NemesisOp done = f8.invoke(f8.startOp());
        assertTrue(done.value().get("error") != null, done::toString);
        // held for the first cut, and again from the wait for L2 to the isolation that fails
        assertEquals(
                List.of("hold clients", "release clients", "hold clients", "release clients"),
                log.stream().filter(l -> l.endsWith(" clients")).toList());
    }

    @Test
    void waitsAtMostTenElectionTimeoutsForEachLeaderAndSaysWhereItStopped() {
        // the cut-off leader keeps claiming to lead and the majority never elects
        Nemesis f8 = Nemeses.create(Figure8Nemesis.NAME, ctx(d -> Optional.of("n1")));
        NemesisOp done = f8.invoke(f8.startOp());
        assertEquals(1, ((List<?>) done.value().get("rounds")).size(), done::toString); // no second round
        assertEquals(1, round(done, 0).get("reached-phase"), done::toString);
        assertEquals(List.of("n1"), round(done, 0).get("leaders"));
        assertEquals(List.of(), round(done, 0).get("earlier-phases"));
        long sleeps = log.stream().filter(l -> l.equals("sleep 20")).count();
        assertEquals(
                Figure8Nemesis.ELECTION_TIMEOUTS * NemesisContext.POLLS_PER_TIMEOUT,
                sleeps); // none after the last poll
        assertEquals(1, log.stream().filter(l -> l.equals("partition")).count(), log::toString);
    }

    @Test
    void nodesThatAnswerSlowlyDoNotStretchTheWaitBeyondTenElectionTimeouts() {
        // election timeout 10 ms: the wait ends after 100 ms of wall time, and each poll takes 5 ms,
        // so it ends long before its 101 polls
        NemesisContext slow = new NemesisContext(
                NODES,
                new Remotes(this::recording),
                leaderDb(d -> {
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Optional.of("n1");
                }),
                new Random(5),
                d -> log.add("sleep " + d.toMillis()),
                Duration.ofMillis(10),
                0.2);
        Nemesis f8 = Nemeses.create(Figure8Nemesis.NAME, slow);
        NemesisOp done = f8.invoke(f8.startOp());
        assertEquals(1, round(done, 0).get("reached-phase"), done::toString);
        long polls = log.stream().filter(l -> l.startsWith("leader?")).count();
        assertTrue(polls < Figure8Nemesis.ELECTION_TIMEOUTS * NemesisContext.POLLS_PER_TIMEOUT, "polls: " + polls);
    }

    /**
     * The leader is the lowest-named node among those that reach the most nodes (themselves
     * included): the bare majority's first node under a cut, the first of the rest when one node
     * is cut off alone.
     */
    private static Optional<String> bestConnected(Map<String, List<String>> drops) {
        return NAMES.stream()
                .max(java.util.Comparator.comparingInt((String n) ->
                                NAMES.size() - drops.getOrDefault(n, List.of()).size())
                        .thenComparing(java.util.Comparator.reverseOrder()));
    }

    @Test
    void aSecondRoundStartsFromTheLeaderTheBareMajorityElectsAfterTheFirst() {
        Nemesis f8 = Nemeses.create(Figure8Nemesis.NAME, ctx(Figure8NemesisTest::bestConnected));
        NemesisOp done = f8.invoke(f8.startOp());
        assertEquals(null, done.value().get("error"), done::toString);
        assertEquals(Figure8Nemesis.ROUNDS, ((List<?>) done.value().get("rounds")).size(), done::toString);
        Map<String, Object> first = round(done, 0), second = round(done, 1);
        assertEquals(3, first.get("reached-phase"), done::toString);
        assertEquals(3, second.get("reached-phase"), done::toString);
        // round 1's second leader, the bare majority's, is elected again once the first cut is back
        assertEquals(((List<?>) first.get("leaders")).get(1), ((List<?>) second.get("leaders")).get(0), done::toString);
        // three partitions a round, and the op ends with round 2's first cut in force
        assertEquals(6, log.stream().filter(l -> l.equals("partition")).count(), log::toString);
        @SuppressWarnings("unchecked")
        Map<String, List<String>> cut2 = ((List<Map<String, List<String>>>) second.get("earlier-phases")).get(0);
        assertEquals(cut2, done.value().get("grudge"));
        // round 2's marks go on from round 1's: both count from the op's start
        List<?> at1 = (List<?>) first.get("at-ms"), at2 = (List<?>) second.get("at-ms");
        assertTrue(((Number) at2.get(0)).longValue() >= ((Number) at1.get(at1.size() - 1)).longValue(), done::toString);
    }

    @Test
    void noLeaderWithinTenElectionTimeoutsOfTheStartIsAnErrorValueAndCutsNothing() {
        Nemesis f8 = Nemeses.create(Figure8Nemesis.NAME, ctx(d -> Optional.empty()));
        NemesisOp done = f8.invoke(f8.startOp());
        assertEquals(
                "no node claimed to lead within 10 election timeouts",
                done.value().get("error"));
        assertTrue(log.stream().noneMatch(l -> l.equals("partition")), log::toString);
        long polls = log.stream().filter(l -> l.startsWith("leader?")).count();
        assertEquals(Figure8Nemesis.ELECTION_TIMEOUTS * NemesisContext.POLLS_PER_TIMEOUT + 1, polls);
    }

    @Test
    void aWindowThatOpensDuringAnElectionWaitsForItsLeader() {
        // no leader for the first three questions (an election under way), then n1 as in raftLike
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        Nemesis f8 = new Figure8Nemesis(ctx(d -> asked.incrementAndGet() <= 3 ? Optional.empty() : raftLike(d)), 1);
        NemesisOp done = f8.invoke(f8.startOp());
        assertEquals(null, done.value().get("error"), done::toString);
        assertEquals(3, round(done, 0).get("reached-phase"), done::toString);
        assertEquals("n1", ((List<?>) round(done, 0).get("leaders")).get(0));
    }

    @Test
    void refusesASutThatCannotTellItsLeader() {
        Db plain = new Db() {
            @Override
            public void setup(Host node) {}

            @Override
            public void teardown(Host node) {}
        };
        Nemesis f8 = new Figure8Nemesis(new NemesisContext(
                NODES, new Remotes(this::recording), plain, new Random(1), d -> {}, Duration.ofMillis(200), 0.2));
        IllegalStateException e = assertThrows(IllegalStateException.class, f8::setup);
        assertEquals("partition-figure8 needs a SUT that tells its leader", e.getMessage());
    }
}
