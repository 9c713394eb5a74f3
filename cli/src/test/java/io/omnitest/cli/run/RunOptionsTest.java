package io.omnitest.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunOptionsTest {
    static RunOptions options(String workload, List<String> nemeses, double rate) {
        return new RunOptions(
                null,
                5,
                workload,
                nemeses,
                10,
                60,
                10,
                rate,
                42,
                Path.of("store"),
                null,
                null,
                null,
                false,
                1,
                Path.of("sut/target/omnipaxos-kv.jar"),
                false);
    }

    @Test
    void testJsonRecordsEveryOptionAndTheSeed() {
        RunOptions o = options("kv", List.of("kill", "partition-chain"), 100);
        assertEquals("omnipaxos-kv-kill+partition-chain", o.testName());
        assertEquals(42L, o.toJson().get("seed"));
        assertEquals(
                List.of(
                        "name",
                        "hosts",
                        "nodes",
                        "system",
                        "system-option",
                        "plugin",
                        "workload",
                        "nemesis",
                        "bug",
                        "nemesis-interval",
                        "time-limit",
                        "concurrency",
                        "rate",
                        "seed",
                        "store",
                        "junit",
                        "ssh-user",
                        "ssh-key",
                        "leave-running",
                        "test-count",
                        "sut-jar",
                        "install-deps"),
                List.copyOf(o.toJson().keySet()));
        assertEquals(
                List.of(
                        "omnitest",
                        "run",
                        "--nodes",
                        "5",
                        "--workload",
                        "kv",
                        "--nemesis",
                        "kill,partition-chain",
                        "--nemesis-interval",
                        "10",
                        "--time-limit",
                        "60",
                        "--concurrency",
                        "10",
                        "--rate",
                        "100",
                        "--seed",
                        "42"),
                o.commandLine());
        assertEquals(60_000_000_000L, o.timeLimitNanos());
        assertEquals(List.of(), o.toJson().get("bug"));
        assertEquals(List.of(), o.nodeArgs());
    }

    @Test
    void bugsAreRecordedPassedToTheNodesAndNamedInTheTestName() {
        RunOptions o = new RunOptions(
                null,
                5,
                "kv",
                List.of("kill-all"),
                4,
                20,
                10,
                100,
                3,
                Path.of("store"),
                null,
                null,
                null,
                false,
                1,
                Path.of("sut/target/omnipaxos-kv.jar"),
                false,
                List.of("no-fsync", "stale-read"));
        // canonical order: the SUT's own list
        assertEquals(List.of("stale-read", "no-fsync"), o.bugs());
        assertEquals("omnipaxos-kv-kill-all-bug-stale-read+no-fsync", o.testName());
        assertEquals(List.of("stale-read", "no-fsync"), o.toJson().get("bug"));
        assertEquals(List.of("--bug", "stale-read,no-fsync"), o.nodeArgs());
        assertEquals(
                List.of(
                        "omnitest",
                        "run",
                        "--nodes",
                        "5",
                        "--workload",
                        "kv",
                        "--bug",
                        "stale-read,no-fsync",
                        "--nemesis",
                        "kill-all",
                        "--nemesis-interval",
                        "4",
                        "--time-limit",
                        "20",
                        "--concurrency",
                        "10",
                        "--rate",
                        "100",
                        "--seed",
                        "3"),
                o.commandLine());
        assertEquals(o.bugs(), o.withSeed(4).bugs());
        assertEquals(4, o.withSeed(4).seed());
    }

    @Test
    void workloadsSideBySideAreNamedOneWay() {
        assertEquals(
                "kv,list-append", options(" kv , list-append", List.of(), 100).workload());
        assertEquals(
                "omnipaxos-kv,list-append-none",
                options("kv,list-append", List.of(), 100).testName());
    }

    @Test
    void rejectsNonsenseWithTheOptionName() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> options("bank", List.of(), 100));
        assertEquals(
                "--workload must be one of kv, list-append, register, rw-register, or several of them joined with commas, not 'bank'.",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> options("kv", List.of(), 0));
        assertEquals("--rate must be between 0.01 and 1000000 operations per second, not 0.0.", e.getMessage());
    }

    /** Issue 13 §3: values that parse but make no sense are usage errors that name the valid range. */
    @Test
    void outOfRangeValuesAreUsageErrorsWithTheRange() {
        E2e.Ran ran = E2e.omnitest("run", "--time-limit", "Infinity");
        assertEquals(64, ran.code());
        assertEquals("--time-limit must be between 0.1 and 604800 seconds, not Infinity.\n", ran.err());
        ran = E2e.omnitest("run", "--rate", "1e-300");
        assertEquals(64, ran.code());
        assertEquals("--rate must be between 0.01 and 1000000 operations per second, not 1.0E-300.\n", ran.err());
        ran = E2e.omnitest("run", "--concurrency", "2147483647");
        assertEquals(64, ran.code());
        assertEquals("--concurrency must be between 1 and 10000, not 2147483647.\n", ran.err());
        ran = E2e.omnitest("run", "--nemesis-interval", "1e-9");
        assertEquals(64, ran.code());
        assertEquals("--nemesis-interval must be between 0.1 and 604800 seconds, not 1.0E-9.\n", ran.err());
        ran = E2e.omnitest("campaign", "--rate", "1e-300", "--list");
        assertEquals(64, ran.code());
        ran = E2e.omnitest("run", "--hosts", "/nonexistent/hosts.txt");
        assertEquals(66, ran.code());
        assertEquals("/nonexistent/hosts.txt: no such file.\n", ran.err());
    }
}
