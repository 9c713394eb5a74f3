package io.omnitest.cli.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.cli.Main;
import io.omnitest.nuke.Nemeses;
import io.omnitest.sut.core.Bug;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code omnitest campaign} options, the matrix and exit codes that need no cluster. */
class CampaignCommandTest {
    record Ran(int code, String out, String err) {}

    static Ran omnitest(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Ran(code, out.toString(), err.toString());
    }

    @Test
    void helpListsTheOptionsBugsAndExitCodes() {
        Ran ran = omnitest("campaign", "--help");
        assertEquals(0, ran.code());
        for (String s : new String[] {
            "--bug, --bugs=NAME[,NAME...]",
            "--seeds=N",
            "--outage=S",
            "--list",
            "2    unknown runs",
            "1    some bug missed its target",
            "90% of one cell"
        }) {
            assertTrue(ran.out().contains(s), s + " in\n" + ran.out());
        }
        for (Bug b : Bug.values()) assertTrue(ran.out().contains(b.cliName() + " "), b.cliName());
    }

    @Test
    void theDefaultMatrixCatchesEveryBugAndRunsTheCorrectSutUnderEveryNemesisAndBothWorkloads() {
        List<CampaignPlan.Cell> cells =
                CampaignPlan.defaults(java.util.Set.copyOf(io.omnitest.sut.log.ProtocolBugs.names()), true);
        for (String b : io.omnitest.sut.log.ProtocolBugs.names()) {
            List<CampaignPlan.Cell> mine =
                    cells.stream().filter(c -> b.equals(c.bug())).toList();
            assertEquals(1, mine.size(), b);
            assertEquals(10, mine.get(0).seeds());
            assertTrue(mine.get(0).timeLimit() <= 60, b);
            // a Raft or Multi-Paxos bug runs on its own protocol
            String protocol = io.omnitest.sut.log.ProtocolBugs.protocolOf(b);
            assertEquals(
                    protocol.equals("omnipaxos") ? null : protocol,
                    mine.get(0).options().get("omnipaxos.protocol"),
                    b);
        }
        List<CampaignPlan.Cell> correct =
                cells.stream().filter(CampaignPlan.Cell::correct).toList();
        assertEquals(2 * Nemeses.all().size(), correct.size());
        assertTrue(correct.size() >= 20);
        for (Nemeses.Spec n : Nemeses.all()) {
            for (String w : List.of("kv", "list-append")) {
                assertTrue(
                        correct.stream()
                                .anyMatch(c ->
                                        c.workload().equals(w) && c.nemeses().equals(List.of(n.name()))),
                        n.name() + " " + w);
            }
        }
    }

    @Test
    void listPrintsThePlanWithoutRunning() {
        Ran ran = omnitest("campaign", "--list", "--bugs", "no-fsync,none", "--seeds", "3");
        assertEquals(0, ran.code(), ran.err());
        assertTrue(ran.out().contains("| no-fsync | kv | partition-leader-flip+lose-unfsynced | "), ran.out());
        assertTrue(ran.out().contains("| correct | list-append | packet-loss | 8 s / 32 s | 1 |"), ran.out());
        int cells = 1 + 2 * Nemeses.all().size();
        assertTrue(
                ran.out().contains(cells + " cells, " + (3 + 2 * Nemeses.all().size()) + " runs"), ran.out());
    }

    @Test
    void aChosenProductOfWorkloadsAndNemeses() {
        Ran ran = omnitest(
                "campaign",
                "--list",
                "--bugs",
                "stale-read,none",
                "--workload",
                "kv",
                "--nemesis",
                "partition-isolate,kill+pause",
                "--seeds",
                "2",
                "--time-limit",
                "12",
                "--nemesis-interval",
                "3");
        assertEquals(0, ran.code(), ran.err());
        assertEquals(
                List.of(
                        "| stale-read | kv | partition-isolate | 3 s / 12 s | 2 |",
                        "| stale-read | kv | kill+pause | 3 s / 12 s | 2 |",
                        "| correct | kv | partition-isolate | 3 s / 12 s | 2 |",
                        "| correct | kv | kill+pause | 3 s / 12 s | 2 |",
                        "4 cells, 8 runs, about 2 min"),
                ran.out().lines().skip(2).toList());
    }

    @Test
    void aChosenNemesisWithoutWorkloadKeepsEachBugsOwnWorkloadAndTheSystemsForTheCorrectSut() {
        // omnipaxos has no register workload: taking every workload name made this a usage error
        Ran ran =
                omnitest("campaign", "--list", "--bugs", "no-fsync,no-dedup,none", "--nemesis", "kill", "--seeds", "2");
        assertEquals(0, ran.code(), ran.err());
        assertEquals(
                List.of(
                        "| no-dedup | list-append | kill | 5 s / 20 s | 2 |",
                        "| no-fsync | kv | kill | 5 s / 20 s | 2 |",
                        "| correct | kv | kill | 5 s / 20 s | 2 |",
                        "| correct | list-append | kill | 5 s / 20 s | 2 |",
                        "4 cells, 8 runs, about 3 min"),
                ran.out().lines().skip(2).toList());
    }

    @Test
    void badOptionsAreUsageErrorsInOneSentence() {
        Ran ran = omnitest("campaign", "--bugs", "lost-update");
        assertEquals(64, ran.code());
        assertEquals(
                "unknown bug 'lost-update'; known bugs: " + String.join(", ", io.omnitest.sut.log.ProtocolBugs.names())
                        + "; or all, none.\n",
                ran.err());
        ran = omnitest("campaign", "--nemesis", "flood");
        assertEquals(64, ran.code());
        assertEquals("unknown nemesis 'flood'; `omnitest nemesis list` shows the names.\n", ran.err());
        ran = omnitest("campaign", "--workload", "bank");
        assertEquals(64, ran.code());
        assertEquals("--workload must be one of kv, list-append, register, rw-register, not 'bank'.\n", ran.err());
        assertEquals(64, omnitest("campaign", "--seeds", "0").code());
        assertEquals(64, omnitest("campaign", "--outage", "-1").code());
        assertEquals(64, omnitest("campaign", "--seeds", "many").code());
    }

    @Test
    void tableReprintsAStoredCampaignWithItsExitCode(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        CampaignPlan.Cell cell = new CampaignPlan.Cell(Bug.NO_FSYNC.cliName(), "kv", List.of("kill-all"), 5, 20, 2);
        java.nio.file.Path runDir = dir.resolve("omnipaxos-kv-kill-all-bug-no-fsync/20260101T000000.000");
        CampaignReport report = new CampaignReport(
                List.of(new CampaignReport.CellResult(
                        cell,
                        List.of(
                                new CampaignReport.RunResult(
                                        new CampaignPlan.Run(cell, 1),
                                        runDir,
                                        new Judgement(
                                                Judgement.Kind.CAUGHT,
                                                List.of("linearizable: nonlinearizable"),
                                                java.util.Optional.empty()),
                                        24.0),
                                new CampaignReport.RunResult(
                                        new CampaignPlan.Run(cell, 2),
                                        runDir,
                                        new Judgement(
                                                Judgement.Kind.VALID,
                                                List.of(),
                                                java.util.Optional.of(new Outage.Gap("kill", 0, 0, 0, 2_500_000_000L))),
                                        25.0)))),
                7);
        java.nio.file.Path campaign =
                java.nio.file.Files.createDirectories(dir.resolve("campaigns/20260101T000000.000"));
        new com.fasterxml.jackson.databind.ObjectMapper()
                .writeValue(campaign.resolve("campaign.json").toFile(), report.toJson(campaign));
        Ran ran = omnitest("campaign", "--table", campaign.toString());
        assertEquals(1, ran.code(), ran.err());
        assertEquals(report.markdown(campaign), ran.out());
        assertTrue(
                ran.out()
                        .contains(
                                "| 1/2 caught ✗ | linearizable: nonlinearizable (1) | 2.5 | 24.5 | [1✓](../../omnipaxos-kv-kill-all-bug-no-fsync/"),
                ran.out());
        assertEquals(66, omnitest("campaign", "--table", dir.toString()).code());
        java.nio.file.Files.writeString(dir.resolve("campaign.json"), "{\"cells\": 3}");
        assertEquals(65, omnitest("campaign", "--table", dir.toString()).code());
    }
}
