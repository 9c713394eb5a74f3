package io.omnitest.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RepeatCommandTest {
    @Test
    void rebuildsTheRunCommandFromTestJson() {
        assertEquals(
                "omnitest run --nodes 5 --workload kv --nemesis partition-majorities-ring,kill --nemesis-interval 5 --time-limit 20"
                        + " --concurrency 10 --rate 100 --seed 7 --store store --test-count 1",
                RepeatCommand.of(TestRuns.test("kv", List.of("partition-majorities-ring", "kill"), 7)));
    }

    @Test
    void hostsReplaceNodesAndOddValuesAreQuoted() {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("hosts", "my hosts.txt");
        t.put("nodes", 3);
        t.put("workload", "list-append");
        t.put("nemeses", List.of("kill"));
        t.put("rate", 12.5);
        t.put("ssh-user", "o'brien");
        t.put("leave-running", true);
        t.put("sut-jar", "x.jar");
        assertEquals(
                "omnitest run --hosts 'my hosts.txt' --workload list-append --nemesis kill --rate 12.5 --ssh-user 'o'\\''brien'"
                        + " --leave-running",
                RepeatCommand.of(t));
    }

    @Test
    void theRunnersOwnRecordOfItsCommandWins() {
        assertEquals(
                "omnitest run --nodes 3 --seed 4",
                RepeatCommand.of(Map.of("command", "omnitest run --nodes 3 --seed 4", "nodes", 5)));
        assertEquals(
                "omnitest run --hosts 'a b.txt'",
                RepeatCommand.of(Map.of("command", List.of("omnitest", "run", "--hosts", "a b.txt"))));
        assertEquals(
                "omnitest run --nodes 5",
                RepeatCommand.of(Map.of("command", "rm -rf /", "nodes", 5)),
                "only a run command is trusted");
    }

    @Test
    void camelCaseKeysWork() {
        assertEquals(
                "omnitest run --time-limit 60 --test-count 2",
                RepeatCommand.of(Map.of("timeLimit", 60L, "testCount", 2)));
    }
}
