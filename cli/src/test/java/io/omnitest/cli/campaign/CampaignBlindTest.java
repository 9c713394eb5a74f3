package io.omnitest.cli.campaign;

import static io.omnitest.cli.campaign.CampaignCommandTest.omnitest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnitest.sut.core.Bug;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code campaign --blind}: the plan, the runs-to-first-catch table, and its slices merging into the unsharded table. */
class CampaignBlindTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path STORE = Path.of("/s");
    private static final Path CAMPAIGN = STORE.resolve("campaigns/20260101T000000.000");
    private static final List<CampaignPlan.Cell> CELLS = CampaignPlan.blind(
            java.util.Set.of(Bug.STALE_READ.cliName(), Bug.NO_FSYNC.cliName(), Bug.EARLY_ACK.cliName()),
            false,
            CampaignPlan.BLIND_WORKLOADS,
            "general",
            5,
            60,
            3);

    @Test
    void everyBugRunsUnderTheSameMixWithKvAndListAppendSideBySide() {
        List<CampaignPlan.Cell> cells = CampaignPlan.blind(
                java.util.Set.copyOf(io.omnitest.sut.log.ProtocolBugs.names()),
                false,
                CampaignPlan.BLIND_WORKLOADS,
                "general",
                CampaignPlan.BLIND_INTERVAL,
                CampaignPlan.BLIND_TIME_LIMIT,
                CampaignPlan.BLIND_RUNS);
        // a baseline per protocol opens the plan, then every bug
        assertEquals(io.omnitest.sut.log.ProtocolBugs.names().size() + 3, cells.size());
        assertEquals(
                List.of(Map.of(), Map.of("omnipaxos.protocol", "raft"), Map.of("omnipaxos.protocol", "multipaxos")),
                cells.subList(0, 3).stream().map(CampaignPlan.Cell::options).toList());
        for (CampaignPlan.Cell c : cells.subList(0, 3)) assertTrue(c.correct(), c::toString);
        for (CampaignPlan.Cell c : cells.subList(3, cells.size())) {
            // each bug is held against the baseline of its own protocol
            CampaignPlan.Cell base = CampaignPlan.baselineOf(c, cells);
            assertEquals(
                    io.omnitest.sut.log.ProtocolBugs.protocolOf(c.bug()),
                    base.options().getOrDefault("omnipaxos.protocol", "omnipaxos"));
            assertTrue(base.correct());
        }
        for (CampaignPlan.Cell c : cells) {
            assertTrue(c.blind());
            assertEquals(List.of("general"), c.nemeses());
            assertEquals(3, c.seeds());
            assertEquals(60.0, c.timeLimit());
            assertEquals(
                    List.of("kv,list-append", "kv,list-append", "kv,list-append"),
                    List.of(c.workloadOf(0), c.workloadOf(1), c.workloadOf(2)));
        }
    }

    @Test
    void theCommandListsTheBlindPlanAndRefusesAnythingButAMix() {
        CampaignCommandTest.Ran ran = omnitest("campaign", "--blind", "--list");
        assertEquals(0, ran.code(), ran.err());
        for (String b : io.omnitest.sut.log.ProtocolBugs.names()) {
            assertTrue(ran.out().contains("| " + b + " | kv,list-append | general | 5 s / 60 s | 3 |"), ran.out());
        }
        assertTrue(ran.out().contains("| correct | kv,list-append | general | 5 s / 60 s | 3 |"), ran.out());
        assertTrue(
                ran.out().contains("| correct protocol=raft | kv,list-append | general | 5 s / 60 s | 3 |"), ran.out());
        // only the protocols of the bugs chosen get a baseline
        ran = omnitest("campaign", "--blind", "--bugs", "raft-vote-without-log-check", "--list");
        assertTrue(ran.out().contains("| correct protocol=raft |"), ran.out());
        assertTrue(!ran.out().contains("| correct |"), ran.out());
        ran = omnitest("campaign", "--blind", "--bugs", "early-ack,none", "--nemesis", "all", "--seeds", "2", "--list");
        assertTrue(ran.out().contains("| early-ack | kv,list-append | all | 5 s / 60 s | 2 |"), ran.out());
        assertTrue(ran.out().contains("| correct | kv,list-append | all | 5 s / 60 s | 2 |"), ran.out());
        ran = omnitest("campaign", "--blind", "--protocol", "raft", "--list");
        assertEquals(64, ran.code());
        assertEquals("--blind runs each bug and baseline on its own protocol; --protocol does not apply.\n", ran.err());
        ran = omnitest("campaign", "--blind", "--nemesis", "kill-all", "--list");
        assertEquals(64, ran.code());
        assertEquals(
                "--blind runs every bug under one fault mix: --nemesis general or all, not 'kill-all'.\n", ran.err());
    }

    /** The baseline, correct OmniPaxos: an outage with seed 1 (as a fault mix can cause), else valid. */
    private static Judgement baseline(long seed) {
        return seed == 1
                ? new Judgement(Judgement.Kind.CAUGHT, List.of(Judgement.OUTAGE), Optional.empty())
                : new Judgement(Judgement.Kind.VALID, List.of(), Optional.empty());
    }

    /**
     * Runs as the campaign makes them: stale-read caught at its 2nd run, early-ack at its 1st,
     * no-fsync only by an outage with seed 1, which the baseline had too; each catch held against
     * the baseline with its seed; runs after a catch are not made.
     */
    private static List<CampaignReport.RunResult> made(CampaignPlan.Cell c, List<CampaignPlan.Run> runs) {
        List<CampaignReport.RunResult> out = new ArrayList<>();
        for (CampaignPlan.Run r : runs) {
            if (r.cell() != c) continue;
            Path dir = STORE.resolve(c.sut() + "/run" + r.seed());
            if (c.correct()) {
                out.add(new CampaignReport.RunResult(r, dir, baseline(r.seed()), 70 + r.seed()));
                continue;
            }
            List<String> findings = Bug.STALE_READ.cliName().equals(c.bug())
                    ? (r.seed() == 2 ? List.of("linearizable: nonlinearizable") : List.of())
                    : Bug.EARLY_ACK.cliName().equals(c.bug())
                            ? List.of("linearizable: nonlinearizable")
                            : r.seed() == 1 ? List.of(Judgement.OUTAGE) : List.of();
            Judgement raw = new Judgement(
                    findings.isEmpty() ? Judgement.Kind.VALID : Judgement.Kind.CAUGHT, findings, Optional.empty());
            Judgement j = raw.against(baseline(r.seed()));
            out.add(new CampaignReport.RunResult(
                    r, dir, j, 70 + r.seed(), findings.isEmpty() ? null : STORE.resolve("correct/run" + r.seed())));
            if (j.kind() == Judgement.Kind.CAUGHT) break;
        }
        return out;
    }

    private static CampaignReport report(List<CampaignPlan.Run> runs) {
        List<CampaignReport.CellResult> out = new ArrayList<>();
        for (CampaignPlan.Cell c : CELLS) out.add(new CampaignReport.CellResult(c, made(c, runs)));
        return new CampaignReport(out, 5);
    }

    @Test
    void theTableGivesRunsAndSecondsToTheFirstCatchAndAMissFails() throws Exception {
        CampaignReport r = report(CampaignPlan.runs(CELLS, 1));
        String md = r.markdown(CAMPAIGN);
        assertTrue(
                md.contains(
                        "| `stale-read` | general | kv,list-append | 5 s / 60 s | 2 ✓ | 143 | linearizable: nonlinearizable |"),
                md);
        // no-fsync's outage is no catch: the correct SUT with the same seed had one too
        assertTrue(
                md.contains("| `no-fsync` | general | kv,list-append | 5 s / 60 s | not in 3 ✗ | — | "
                        + "— (the correct SUT had the same: availability: outage) | [1✗](../../no-fsync/run1) "
                        + "([baseline](../../correct/run1)) [2✗]"),
                md);
        assertTrue(md.contains("| `early-ack` | general | kv,list-append | 5 s / 60 s | 1 ✓ | 71 |"), md);
        assertTrue(md.contains("| correct | general | kv,list-append | 5 s / 60 s | **findings in 1/3** |"), md);
        assertTrue(md.contains("- blind: 2 of 3 bugs caught within 3 runs"), md);
        assertEquals(1, r.exitCode());
        assertEquals(Map.of("stale-read", "met", "no-fsync", "missed", "early-ack", "met"), r.bugTargets());
        // campaign.json carries the figures and reads back into the same table
        @SuppressWarnings("unchecked")
        Map<String, Object> json = JSON.readValue(JSON.writeValueAsString(r.toJson(CAMPAIGN)), Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> stale = (Map<String, Object>) ((List<?>) json.get("cells")).get(1);
        assertEquals("stale-read", stale.get("bug"));
        assertEquals(2, stale.get("runs-to-first-catch"));
        assertEquals(143.0, ((Number) stale.get("s-to-first-catch")).doubleValue());
        assertEquals(md, CampaignReport.fromJson(json, CAMPAIGN).markdown(CAMPAIGN));
        // a bug whose only uncaught runs are unknown stays undecided, not missed
        List<CampaignReport.CellResult> one = List.of(new CampaignReport.CellResult(
                CELLS.get(2),
                List.of(new CampaignReport.RunResult(
                        new CampaignPlan.Run(CELLS.get(2), 1),
                        STORE,
                        new Judgement(Judgement.Kind.UNKNOWN, List.of(), Optional.empty()),
                        80))));
        assertEquals(2, new CampaignReport(one, 5).exitCode());
    }

    @Test
    void aFindingCountsOnlyIfTheBaselinePassedItsChecker() {
        Judgement lin = new Judgement(
                Judgement.Kind.CAUGHT, List.of("linearizable: nonlinearizable", Judgement.OUTAGE), Optional.empty());
        Judgement valid = new Judgement(Judgement.Kind.VALID, List.of(), Optional.empty());
        // the baseline passed both: both findings count
        assertEquals(lin.findings(), lin.against(valid).findings());
        assertEquals(Judgement.Kind.CAUGHT, lin.against(valid).kind());
        // the baseline had an outage too: the outage is shared, the nonlinearizable read still a catch
        Judgement outage = new Judgement(Judgement.Kind.CAUGHT, List.of(Judgement.OUTAGE), Optional.empty());
        Judgement held = lin.against(outage);
        assertEquals(Judgement.Kind.CAUGHT, held.kind());
        assertEquals(List.of("linearizable: nonlinearizable"), held.findings());
        assertEquals(List.of(Judgement.OUTAGE), held.shared());
        // by checker, not by anomaly: another linearizability finding on the baseline shares it too
        Judgement baseLin = new Judgement(Judgement.Kind.CAUGHT, List.of("linearizable: other"), Optional.empty());
        assertEquals(Judgement.Kind.VALID, held.against(baseLin).kind());
        assertEquals(
                List.of(Judgement.OUTAGE, "linearizable: nonlinearizable"),
                held.against(baseLin).shared());
        // a baseline that could not decide the checker, or that failed, confirms nothing: unknown
        Judgement undecided =
                new Judgement(Judgement.Kind.UNKNOWN, List.of(), Optional.empty(), List.of(), List.of("linearizable"));
        assertEquals(Judgement.Kind.UNKNOWN, held.against(undecided).kind());
        assertEquals(
                Judgement.Kind.UNKNOWN,
                held.against(Judgement.runFailed("no leader")).kind());
        // ... but one whose undecided checker is another still confirms
        Judgement elleUndecided = new Judgement(
                Judgement.Kind.UNKNOWN, List.of(), Optional.empty(), List.of(), List.of("elle-list-append"));
        assertEquals(Judgement.Kind.CAUGHT, held.against(elleUndecided).kind());
        // runs not caught are not held against anything
        assertEquals(valid, valid.against(outage));
    }

    @Test
    @SuppressWarnings("unchecked")
    void slicesTakeWholeCellsStopAtTheFirstCatchAndMergeIntoTheUnshardedTable() throws Exception {
        List<CampaignMerge.Input> inputs = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            CampaignShard.Slice s = new CampaignShard.Slice(new CampaignShard(i, 2), CELLS, 1, 5);
            // slice 1 has the baseline and no-fsync (cells 0 and 2), slice 2 stale-read and early-ack
            List<String> suts =
                    s.runs().stream().map(r -> r.cell().sut()).distinct().toList();
            assertEquals(
                    i == 1
                            ? List.of("correct", Bug.NO_FSYNC.cliName())
                            : List.of(Bug.STALE_READ.cliName(), Bug.EARLY_ACK.cliName()),
                    suts);
            assertEquals(6, s.runs().size());
            Path dir = STORE.resolve("campaigns/slice" + i);
            List<CampaignReport.CellResult> mine = new ArrayList<>();
            for (CampaignPlan.Cell c : CELLS) mine.add(new CampaignReport.CellResult(c, made(c, s.runs())));
            Map<String, Object> json = new LinkedHashMap<>(new CampaignReport(mine, 5).toJson(dir));
            json.put("shard", s.toJson());
            inputs.add(new CampaignMerge.Input(dir, JSON.readValue(JSON.writeValueAsString(json), Map.class)));
        }
        CampaignMerge.Merged merged = CampaignMerge.merge(inputs);
        // runs after a first catch were never made, and are not missing
        assertEquals(List.of(), merged.missing());
        assertEquals(
                report(CampaignPlan.runs(CELLS, 1)).markdown(CAMPAIGN),
                merged.report().markdown(CAMPAIGN));
        assertEquals(1, merged.exitCode());
        // a slice that lacks a bug's uncaught run leaves it missing
        Map<String, Object> json1 = new LinkedHashMap<>(inputs.get(0).json());
        List<Object> cells = new ArrayList<>((List<Object>) json1.get("cells"));
        Map<String, Object> fsync = new LinkedHashMap<>((Map<String, Object>) cells.get(2));
        fsync.put("runs", ((List<?>) fsync.get("runs")).subList(0, 2));
        cells.set(2, fsync);
        json1.put("cells", cells);
        CampaignMerge.Merged partial = CampaignMerge.merge(
                List.of(new CampaignMerge.Input(inputs.get(0).dir(), json1), inputs.get(1)));
        assertEquals(List.of("no-fsync · kv,list-append · general · seed 3 (slice 1/2)"), partial.missing());
    }
}
