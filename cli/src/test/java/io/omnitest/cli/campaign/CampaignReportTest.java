package io.omnitest.cli.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.core.Bug;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CampaignReportTest {
    private static final Path CAMPAIGN = Path.of("/s/campaigns/20260101T000000.000");
    private static final CampaignPlan.Cell EARLY =
            new CampaignPlan.Cell(Bug.EARLY_ACK.cliName(), "kv", List.of("partition-leader"), 5, 20, 10);
    private static final CampaignPlan.Cell CORRECT =
            new CampaignPlan.Cell(null, "list-append", List.of("kill"), 5, 20, 2);

    private static CampaignReport.CellResult cell(CampaignPlan.Cell c, Judgement.Kind... kinds) {
        List<CampaignReport.RunResult> runs = new ArrayList<>();
        for (int i = 0; i < kinds.length; i++) {
            List<String> findings =
                    kinds[i] == Judgement.Kind.CAUGHT ? List.of("linearizable: nonlinearizable") : List.of();
            runs.add(new CampaignReport.RunResult(
                    new CampaignPlan.Run(c, i + 1),
                    Path.of("/s/omnipaxos-kv-x/run" + (i + 1)),
                    new Judgement(kinds[i], findings, Optional.empty()),
                    30 + i));
        }
        return new CampaignReport.CellResult(c, runs);
    }

    private static Judgement.Kind[] times(int n, Judgement.Kind k, Judgement.Kind... rest) {
        List<Judgement.Kind> all = new ArrayList<>();
        for (int i = 0; i < n; i++) all.add(k);
        all.addAll(List.of(rest));
        return all.toArray(Judgement.Kind[]::new);
    }

    @Test
    void nineOfTenIsTheTarget() {
        assertEquals(9, CampaignReport.needed(10));
        assertEquals(1, CampaignReport.needed(1));
        assertEquals(3, CampaignReport.needed(3));
        assertEquals(18, CampaignReport.needed(20));
    }

    @Test
    void everyTargetMetIsExitZero() {
        CampaignReport r = new CampaignReport(
                List.of(
                        cell(EARLY, times(9, Judgement.Kind.CAUGHT, Judgement.Kind.VALID)),
                        cell(CORRECT, Judgement.Kind.VALID, Judgement.Kind.VALID)),
                4);
        assertEquals(Map.of(Bug.EARLY_ACK.cliName(), "met"), r.bugTargets());
        assertEquals(0, r.exitCode());
        String md = r.markdown(CAMPAIGN);
        assertTrue(
                md.contains(
                        "| `early-ack` | kv | partition-leader | 5 s / 20 s | 9/10 caught ✓ | linearizable: nonlinearizable (9) | — | 34.5 | "
                                + "[1✓](../../omnipaxos-kv-x/run1) "),
                md);
        assertTrue(
                md.contains(
                        "| correct | list-append | kill | 5 s / 20 s | 2/2 valid ✓ | — | — | 30.5 | [1✓](../../omnipaxos-kv-x/run1) "
                                + "[2✓](../../omnipaxos-kv-x/run2) |"),
                md);
        assertTrue(md.contains("- correct SUT: 2 of 2 runs valid, no false alarm"), md);
        assertTrue(md.contains("- bug targets: `early-ack` met\n"), md);
        assertEquals(0, r.toJson(CAMPAIGN).get("exit-code"));
    }

    @Test
    void aFalseAlarmStandsOutAndFails() {
        CampaignReport r = new CampaignReport(
                List.of(
                        cell(EARLY, times(10, Judgement.Kind.CAUGHT)),
                        cell(CORRECT, Judgement.Kind.VALID, Judgement.Kind.CAUGHT)),
                4);
        assertEquals(1, r.falseAlarms());
        assertEquals(1, r.exitCode());
        String md = r.markdown(CAMPAIGN);
        assertTrue(md.contains("**FALSE ALARM 1/2**"), md);
        assertTrue(md.contains("**1 FALSE ALARM(S)**"), md);
    }

    @Test
    void eightOfTenMissesUnlessUnknownsCouldMakeItNine() {
        CampaignReport missed = new CampaignReport(
                List.of(cell(EARLY, times(8, Judgement.Kind.CAUGHT, Judgement.Kind.VALID, Judgement.Kind.VALID))), 4);
        assertEquals(Map.of(Bug.EARLY_ACK.cliName(), "missed"), missed.bugTargets());
        assertEquals(1, missed.exitCode());
        assertTrue(missed.markdown(CAMPAIGN).contains("8/10 caught ✗"));
        assertTrue(missed.markdown(CAMPAIGN).contains("- bug targets: `early-ack` **missed**\n"));
        CampaignReport undecided = new CampaignReport(
                List.of(cell(EARLY, times(8, Judgement.Kind.CAUGHT, Judgement.Kind.UNKNOWN, Judgement.Kind.VALID))), 4);
        assertEquals(Map.of(Bug.EARLY_ACK.cliName(), "undecided"), undecided.bugTargets());
        assertEquals(2, undecided.exitCode());
        assertTrue(undecided.markdown(CAMPAIGN).contains("8/10 caught, 1 unknown ?"));
        // runs an interruption kept from happening are undecided too
        CampaignReport cut = new CampaignReport(List.of(cell(EARLY, times(8, Judgement.Kind.CAUGHT))), 4);
        assertEquals(2, cut.exitCode());
    }

    @Test
    void anUnknownCorrectRunLeavesTheCampaignUndecided() {
        CampaignReport r = new CampaignReport(
                List.of(
                        cell(EARLY, times(10, Judgement.Kind.CAUGHT)),
                        cell(CORRECT, Judgement.Kind.VALID, Judgement.Kind.UNKNOWN)),
                4);
        assertEquals(2, r.exitCode());
    }

    @Test
    void aBugMeetsItsTargetInAnyOfItsCells() {
        CampaignPlan.Cell other =
                new CampaignPlan.Cell(Bug.EARLY_ACK.cliName(), "list-append", List.of("kill"), 5, 20, 10);
        CampaignReport r = new CampaignReport(
                List.of(cell(EARLY, times(10, Judgement.Kind.CAUGHT)), cell(other, times(10, Judgement.Kind.VALID))),
                4);
        assertEquals(Map.of(Bug.EARLY_ACK.cliName(), "met"), r.bugTargets());
        assertEquals(0, r.exitCode());
    }

    @Test
    @SuppressWarnings("unchecked")
    void theLongestOutageOfACellIsShown() {
        CampaignPlan.Cell ble = new CampaignPlan.Cell(
                Bug.BLE_NO_QUORUM_CHECK.cliName(), "kv", List.of("partition-quorum-loss"), 10, 30, 2);
        long s = 1_000_000_000L;
        List<CampaignReport.RunResult> runs = List.of(
                new CampaignReport.RunResult(
                        new CampaignPlan.Run(ble, 1),
                        Path.of("/s/a"),
                        new Judgement(
                                Judgement.Kind.CAUGHT,
                                List.of(Judgement.OUTAGE),
                                Optional.of(new Outage.Gap("partition-quorum-loss", 10 * s, 20 * s, 10 * s, 20 * s))),
                        33),
                new CampaignReport.RunResult(
                        new CampaignPlan.Run(ble, 2),
                        Path.of("/s/b"),
                        new Judgement(
                                Judgement.Kind.CAUGHT,
                                List.of(Judgement.OUTAGE),
                                Optional.of(new Outage.Gap("partition-quorum-loss", 10 * s, 20 * s, 11 * s, 20 * s))),
                        35));
        CampaignReport r = new CampaignReport(List.of(new CampaignReport.CellResult(ble, runs)), 7);
        String md = r.markdown(CAMPAIGN);
        assertTrue(md.contains("| 2/2 caught ✓ | availability: outage (2) | 10.0 | 34.0 |"), md);
        assertTrue(md.contains("no client operation succeeds for more than 7 s"), md);
        assertEquals(
                10.0,
                ((List<Map<String, Object>>) r.toJson(CAMPAIGN).get("cells"))
                        .get(0)
                        .get("max-outage-s"));
    }

    @Test
    void anomaliesOfOneCheckerAreCountedOneByOne() {
        CampaignPlan.Cell dedup =
                new CampaignPlan.Cell(Bug.NO_DEDUP.cliName(), "list-append", List.of("packet-loss"), 5, 20, 2);
        List<CampaignReport.RunResult> runs = List.of(
                new CampaignReport.RunResult(
                        new CampaignPlan.Run(dedup, 1),
                        Path.of("/s/a"),
                        new Judgement(
                                Judgement.Kind.CAUGHT,
                                List.of("elle-list-append: G1c, duplicate-elements"),
                                Optional.empty()),
                        22),
                new CampaignReport.RunResult(
                        new CampaignPlan.Run(dedup, 2),
                        Path.of("/s/b"),
                        new Judgement(
                                Judgement.Kind.CAUGHT,
                                List.of("elle-list-append: duplicate-elements", "stats: never ok: txn"),
                                Optional.empty()),
                        22));
        assertEquals(
                List.of(
                        "elle-list-append: duplicate-elements (2)",
                        "elle-list-append: G1c (1)",
                        "stats: never ok: txn (1)"),
                new CampaignReport.CellResult(dedup, runs).findings());
        assertEquals(List.of("linearizable: nonlinearizable"), CampaignReport.split("linearizable: nonlinearizable"));
        assertEquals(List.of("stats: never ok: get, put"), CampaignReport.split("stats: never ok: get, put"));
    }
}
