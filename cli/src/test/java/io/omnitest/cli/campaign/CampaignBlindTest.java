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
    void everyBugRunsUnderTheSameMixWithTheWorkloadsInTurn() {
        List<CampaignPlan.Cell> cells = CampaignPlan.blind(
                java.util.Set.copyOf(io.omnitest.sut.log.ProtocolBugs.names()),
                false,
                CampaignPlan.BLIND_WORKLOADS,
                "general",
                CampaignPlan.BLIND_INTERVAL,
                CampaignPlan.BLIND_TIME_LIMIT,
                CampaignPlan.BLIND_RUNS);
        assertEquals(io.omnitest.sut.log.ProtocolBugs.names().size(), cells.size());
        for (CampaignPlan.Cell c : cells) {
            assertTrue(c.blind());
            assertEquals(List.of("general"), c.nemeses());
            assertEquals(3, c.seeds());
            assertEquals(60.0, c.timeLimit());
            assertEquals(
                    List.of("kv", "list-append", "kv"), List.of(c.workloadOf(0), c.workloadOf(1), c.workloadOf(2)));
        }
    }

    @Test
    void theCommandListsTheBlindPlanAndRefusesAnythingButAMix() {
        CampaignCommandTest.Ran ran = omnitest("campaign", "--blind", "--list");
        assertEquals(0, ran.code(), ran.err());
        for (String b : io.omnitest.sut.log.ProtocolBugs.names()) {
            assertTrue(ran.out().contains("| " + b + " | kv+list-append | general | 5 s / 60 s | 3 |"), ran.out());
        }
        assertTrue(!ran.out().contains("| correct |"), ran.out());
        ran = omnitest("campaign", "--blind", "--bugs", "early-ack,none", "--nemesis", "all", "--seeds", "2", "--list");
        assertTrue(ran.out().contains("| early-ack | kv+list-append | all | 5 s / 60 s | 2 |"), ran.out());
        assertTrue(ran.out().contains("| correct | kv+list-append | all | 5 s / 60 s | 2 |"), ran.out());
        ran = omnitest("campaign", "--blind", "--nemesis", "kill-all", "--list");
        assertEquals(64, ran.code());
        assertEquals(
                "--blind runs every bug under one fault mix: --nemesis general or all, not 'kill-all'.\n", ran.err());
    }

    /** stale-read caught at its 2nd run, no-fsync never, early-ack at its 1st; runs after a catch are not made. */
    private static List<CampaignReport.RunResult> made(CampaignPlan.Cell c, List<CampaignPlan.Run> runs) {
        List<CampaignReport.RunResult> out = new ArrayList<>();
        for (CampaignPlan.Run r : runs) {
            if (r.cell() != c) continue;
            boolean caught = Bug.STALE_READ.cliName().equals(c.bug())
                    ? r.seed() == 2
                    : Bug.EARLY_ACK.cliName().equals(c.bug());
            Judgement j = caught
                    ? new Judgement(Judgement.Kind.CAUGHT, List.of("linearizable: nonlinearizable"), Optional.empty())
                    : new Judgement(Judgement.Kind.VALID, List.of(), Optional.empty());
            out.add(new CampaignReport.RunResult(r, STORE.resolve(c.sut() + "/run" + r.seed()), j, 70 + r.seed()));
            if (caught) break;
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
                        "| `stale-read` | general | kv, list-append | 5 s / 60 s | 2 ✓ | 143 | linearizable: nonlinearizable |"),
                md);
        assertTrue(md.contains("| `no-fsync` | general | kv, list-append | 5 s / 60 s | not in 3 ✗ | — | — |"), md);
        assertTrue(md.contains("| `early-ack` | general | kv, list-append | 5 s / 60 s | 1 ✓ | 71 |"), md);
        assertTrue(md.contains("- blind: 2 of 3 bugs caught within 3 runs"), md);
        assertEquals(1, r.exitCode());
        assertEquals(Map.of("stale-read", "met", "no-fsync", "missed", "early-ack", "met"), r.bugTargets());
        // campaign.json carries the figures and reads back into the same table
        @SuppressWarnings("unchecked")
        Map<String, Object> json = JSON.readValue(JSON.writeValueAsString(r.toJson(CAMPAIGN)), Map.class);
        @SuppressWarnings("unchecked")
        Map<String, Object> stale = (Map<String, Object>) ((List<?>) json.get("cells")).get(0);
        assertEquals(2, stale.get("runs-to-first-catch"));
        assertEquals(143.0, ((Number) stale.get("s-to-first-catch")).doubleValue());
        assertEquals(md, CampaignReport.fromJson(json, CAMPAIGN).markdown(CAMPAIGN));
        // a bug whose only uncaught runs are unknown stays undecided, not missed
        List<CampaignReport.CellResult> one = List.of(new CampaignReport.CellResult(
                CELLS.get(1),
                List.of(new CampaignReport.RunResult(
                        new CampaignPlan.Run(CELLS.get(1), 1),
                        STORE,
                        new Judgement(Judgement.Kind.UNKNOWN, List.of(), Optional.empty()),
                        80))));
        assertEquals(2, new CampaignReport(one, 5).exitCode());
    }

    @Test
    @SuppressWarnings("unchecked")
    void slicesTakeWholeBugsStopAtTheFirstCatchAndMergeIntoTheUnshardedTable() throws Exception {
        List<CampaignMerge.Input> inputs = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            CampaignShard.Slice s = new CampaignShard.Slice(new CampaignShard(i, 2), CELLS, 1, 5);
            // slice 1 has stale-read and early-ack (cells 0 and 2), slice 2 no-fsync: every run of a bug in one slice
            List<String> bugs =
                    s.runs().stream().map(r -> r.cell().bug()).distinct().toList();
            assertEquals(
                    i == 1
                            ? List.of(Bug.STALE_READ.cliName(), Bug.EARLY_ACK.cliName())
                            : List.of(Bug.NO_FSYNC.cliName()),
                    bugs);
            assertEquals(i == 1 ? 6 : 3, s.runs().size());
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
        Map<String, Object> json2 = new LinkedHashMap<>(inputs.get(1).json());
        List<Object> cells = new ArrayList<>((List<Object>) json2.get("cells"));
        Map<String, Object> fsync = new LinkedHashMap<>((Map<String, Object>) cells.get(1));
        fsync.put("runs", ((List<?>) fsync.get("runs")).subList(0, 2));
        cells.set(1, fsync);
        json2.put("cells", cells);
        CampaignMerge.Merged partial = CampaignMerge.merge(
                List.of(inputs.get(0), new CampaignMerge.Input(inputs.get(1).dir(), json2)));
        assertEquals(List.of("no-fsync · kv+list-append · general · seed 3 (slice 2/2)"), partial.missing());
    }
}
