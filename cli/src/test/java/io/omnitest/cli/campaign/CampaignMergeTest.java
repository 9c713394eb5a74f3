package io.omnitest.cli.campaign;

import static io.omnitest.cli.campaign.CampaignCommandTest.omnitest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnitest.sut.core.Bug;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code campaign merge}: slices of a campaign, made of fabricated run results and written as
 * campaign.json the way {@link Campaign} writes it, merge into the unsharded campaign's table.
 */
class CampaignMergeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path STORE = Path.of("/s");
    private static final Path CAMPAIGN = STORE.resolve("campaigns/20260101T000000.000");
    private static final CampaignPlan.Cell EARLY =
            new CampaignPlan.Cell(Bug.EARLY_ACK.cliName(), "kv", List.of("partition-leader"), 5, 20, 10);
    private static final CampaignPlan.Cell FSYNC =
            new CampaignPlan.Cell(Bug.NO_FSYNC.cliName(), "kv", List.of("kill-all"), 5, 20, 3);
    private static final CampaignPlan.Cell CORRECT =
            new CampaignPlan.Cell(null, "list-append", List.of("kill"), 8, 32, 2);
    private static final List<CampaignPlan.Cell> CELLS = List.of(EARLY, FSYNC, CORRECT);
    private static final double OUTAGE = 5;

    /** A made-up result per run: early-ack caught but at seed 4 (unknown at 9), no-fsync caught with an outage, correct valid. */
    private static CampaignReport.RunResult result(CampaignPlan.Run r) {
        CampaignPlan.Cell c = r.cell();
        Path dir = STORE.resolve("omnipaxos-" + c.workload() + "-" + c.nemesis() + "/run" + r.seed());
        Judgement j;
        if (c.correct())
            j = new Judgement(
                    Judgement.Kind.VALID, List.of(), Optional.of(new Outage.Gap("kill", 0, 0, 0, 1_500_000_000L)));
        else if (c == EARLY && r.seed() == 4) j = new Judgement(Judgement.Kind.VALID, List.of(), Optional.empty());
        else if (c == EARLY && r.seed() == 9) j = new Judgement(Judgement.Kind.UNKNOWN, List.of(), Optional.empty());
        else
            j = new Judgement(
                    Judgement.Kind.CAUGHT, List.of("linearizable: nonlinearizable", "elle: G1c, G0"), Optional.empty());
        return new CampaignReport.RunResult(r, dir, j, 20 + r.seed() * 0.5);
    }

    private static CampaignReport report(List<CampaignPlan.Cell> cells, List<CampaignPlan.Run> runs) {
        List<CampaignReport.CellResult> out = new ArrayList<>();
        for (CampaignPlan.Cell c : cells) {
            out.add(new CampaignReport.CellResult(
                    c,
                    runs.stream()
                            .filter(r -> r.cell() == c)
                            .map(CampaignMergeTest::result)
                            .toList()));
        }
        return new CampaignReport(out, OUTAGE);
    }

    /** Slice i/n's campaign.json as Campaign writes it, read back as `campaign merge` reads it. */
    @SuppressWarnings("unchecked")
    private static CampaignMerge.Input slice(int i, int n, long firstSeed) throws IOException {
        CampaignShard.Slice s = new CampaignShard.Slice(new CampaignShard(i, n), CELLS, firstSeed, OUTAGE);
        Path dir = STORE.resolve("campaigns/slice" + i);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("campaign", "slice" + i);
        json.put("finished", true);
        json.put("interrupted", false);
        json.put("wall-min", 1.5 * i);
        json.putAll(report(CELLS, s.runs()).toJson(dir));
        json.put("shard", s.toJson());
        return new CampaignMerge.Input(dir, JSON.readValue(JSON.writeValueAsString(json), Map.class));
    }

    private static List<CampaignMerge.Input> slices(int n) throws IOException {
        List<CampaignMerge.Input> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) out.add(slice(i, n, 1));
        return out;
    }

    @Test
    void mergedSlicesGiveTheUnshardedTable() throws Exception {
        CampaignReport unsharded = report(CELLS, CampaignPlan.runs(CELLS, 1));
        assertEquals(2, unsharded.exitCode()); // early-ack 8/10 caught + 1 unknown: undecided
        for (int n = 1; n <= 16; n++) {
            CampaignMerge.Merged merged = CampaignMerge.merge(slices(n));
            assertEquals(unsharded.markdown(CAMPAIGN), merged.report().markdown(CAMPAIGN), "n=" + n);
            assertEquals(unsharded.toJson(CAMPAIGN), merged.report().toJson(CAMPAIGN), "n=" + n);
            assertEquals(List.of(), merged.missing());
            assertEquals(unsharded.exitCode(), merged.exitCode());
        }
        // the order in which slices are given does not matter
        List<CampaignMerge.Input> reversed = new ArrayList<>(slices(3));
        java.util.Collections.reverse(reversed);
        assertEquals(
                unsharded.markdown(CAMPAIGN),
                CampaignMerge.merge(reversed).report().markdown(CAMPAIGN));
    }

    @Test
    void aMissingSliceIsNamedRunByRunAndKeepsTheVerdictOpen() throws Exception {
        // plan positions 0-9 early-ack, 10-12 no-fsync, 13-14 correct; slice 4/4 has positions 3, 7 and 11
        CampaignMerge.Merged merged = CampaignMerge.merge(slices(4).subList(0, 3));
        assertEquals(
                List.of(
                        "early-ack · kv · partition-leader · seed 4 (slice 4/4)",
                        "early-ack · kv · partition-leader · seed 8 (slice 4/4)",
                        "no-fsync · kv · kill-all · seed 2 (slice 4/4)"),
                merged.missing());
        assertEquals(2, merged.exitCode());
        String md = merged.report().markdown(CAMPAIGN);
        assertTrue(md.contains("| `early-ack` | kv | partition-leader | 5 s / 20 s | 7/10 caught, 1 unknown ? |"), md);
        assertTrue(md.contains("| `no-fsync` | kv | kill-all | 5 s / 20 s | 2/3 caught ? |"), md);
        assertTrue(md.contains("| correct | list-append | kill | 8 s / 32 s | 2/2 valid ✓ |"), md);
    }

    @Test
    void missingRunsDoNotLetACampaignPass() throws Exception {
        CampaignPlan.Cell fsync = FSYNC.withSeeds(2);
        List<CampaignMerge.Input> inputs = new ArrayList<>();
        CampaignShard.Slice s = new CampaignShard.Slice(new CampaignShard(1, 2), List.of(fsync), 1, OUTAGE);
        Map<String, Object> json =
                new LinkedHashMap<>(report(List.of(fsync), s.runs()).toJson(CAMPAIGN));
        json.put("shard", s.toJson());
        inputs.add(new CampaignMerge.Input(CAMPAIGN, JSON.readValue(JSON.writeValueAsString(json), Map.class)));
        CampaignMerge.Merged merged = CampaignMerge.merge(inputs);
        assertEquals(1, merged.report().cells().get(0).count(Judgement.Kind.CAUGHT));
        assertEquals(List.of("no-fsync · kv · kill-all · seed 2 (slice 2/2)"), merged.missing());
        assertEquals(2, merged.exitCode());
    }

    @Test
    void refusesSlicesOfDifferentPlans() throws Exception {
        CampaignMerge.Refused e = assertThrows(
                CampaignMerge.Refused.class, () -> CampaignMerge.merge(List.of(slice(1, 2, 1), slice(2, 2, 11))));
        assertEquals(64, e.exitCode());
        assertTrue(e.getMessage().startsWith("/s/campaigns/slice2 is a slice of plan "), e.getMessage());
        assertTrue(e.getMessage().endsWith("; merge only the slices of one campaign."), e.getMessage());
        e = assertThrows(
                CampaignMerge.Refused.class, () -> CampaignMerge.merge(List.of(slice(1, 2, 1), slice(2, 3, 1))));
        assertEquals(64, e.exitCode());
        assertTrue(e.getMessage().contains(" cut in 3, but /s/campaigns/slice1 is of plan "), e.getMessage());
    }

    @Test
    void refusesOverlappingSlices() throws Exception {
        CampaignMerge.Refused e = assertThrows(
                CampaignMerge.Refused.class, () -> CampaignMerge.merge(List.of(slice(1, 2, 1), slice(1, 2, 1))));
        assertEquals(64, e.exitCode());
        assertEquals(
                "/s/campaigns/slice1 and /s/campaigns/slice1 are both slice 1/2; give each slice once.",
                e.getMessage());
    }

    @Test
    @SuppressWarnings("unchecked")
    public void refusesARunOutsideItsSliceAndCellsThatDoNotMatchThePlan() throws Exception {
        CampaignMerge.Input one = slice(1, 2, 1);
        Map<String, Object> shard =
                new LinkedHashMap<>((Map<String, Object>) one.json().get("shard"));
        shard.put("index", 2);
        Map<String, Object> moved = new LinkedHashMap<>(one.json());
        moved.put("shard", shard);
        CampaignMerge.Refused e = assertThrows(
                CampaignMerge.Refused.class,
                () -> CampaignMerge.merge(List.of(new CampaignMerge.Input(one.dir(), moved))));
        assertEquals(65, e.exitCode());
        assertEquals(
                "/s/campaigns/slice1 has a run that is not in its slice 2/2: early-ack · kv · partition-leader · seed 1.",
                e.getMessage());

        Map<String, Object> tampered = new LinkedHashMap<>(one.json());
        tampered.put("outage-threshold-s", 9.0);
        e = assertThrows(
                CampaignMerge.Refused.class,
                () -> CampaignMerge.merge(List.of(new CampaignMerge.Input(one.dir(), tampered))));
        assertEquals(65, e.exitCode());
        assertTrue(
                e.getMessage().startsWith("/s/campaigns/slice1/campaign.json's cells do not match its plan "),
                e.getMessage());
    }

    @Test
    void refusesACampaignThatWasNotSharded() throws Exception {
        Map<String, Object> json = new LinkedHashMap<>(slice(1, 1, 1).json());
        json.remove("shard");
        CampaignMerge.Refused e = assertThrows(
                CampaignMerge.Refused.class,
                () -> CampaignMerge.merge(List.of(new CampaignMerge.Input(CAMPAIGN, json))));
        assertEquals(64, e.exitCode());
        assertEquals(
                CAMPAIGN + " is not a slice of a sharded campaign (it was not run with --shard I/N).", e.getMessage());
    }

    @Test
    void theCommandWritesMarkdownJsonAndHtmlAndExitsWithTheVerdict(@TempDir Path tmp) throws Exception {
        List<String> args = new ArrayList<>(
                List.of("campaign", "merge", "--store", tmp.resolve("store").toString()));
        for (CampaignMerge.Input in : slices(2)) {
            Path dir = tmp.resolve(in.dir().getFileName());
            Files.createDirectories(dir);
            JSON.writeValue(dir.resolve("campaign.json").toFile(), in.json());
            args.add(dir.toString());
        }
        CampaignCommandTest.Ran ran = omnitest(args.toArray(String[]::new));
        assertEquals(2, ran.code(), ran.err());
        assertEquals("", ran.err());
        assertTrue(ran.out().contains("| `no-fsync` | kv | kill-all | 5 s / 20 s | 3/3 caught ✓ |"), ran.out());
        assertTrue(ran.out().contains("Merged 2 of 2 slices; table in "), ran.out());
        try (var dirs = Files.list(tmp.resolve("store/campaigns"))) {
            Path merged = dirs.findFirst().orElseThrow();
            String md = Files.readString(merged.resolve("campaign.md"));
            assertTrue(
                    md.contains("| `early-ack` | kv | partition-leader | 5 s / 20 s | 8/10 caught, 1 unknown ? |"), md);
            Map<?, ?> json = JSON.readValue(merged.resolve("campaign.json").toFile(), Map.class);
            assertEquals(2, json.get("exit-code"));
            assertEquals(List.of(), json.get("missing-runs"));
            String html = Files.readString(merged.resolve("campaign.html"));
            assertTrue(
                    html.contains(
                            "<td><code>no-fsync</code></td><td>kv</td><td>kill-all</td><td>5 s / 20 s</td><td>3/3 caught ✓</td>"),
                    html);
            CampaignCommandTest.Ran again = omnitest("campaign", "--table", merged.toString());
            assertEquals(2, again.code(), again.err());
            assertTrue(md.contains(again.out()), again.out());
        }
    }

    @Test
    void theCommandNamesADirectoryWithoutCampaignJson(@TempDir Path tmp) {
        CampaignCommandTest.Ran ran = omnitest(
                "campaign",
                "merge",
                "--store",
                tmp.toString(),
                tmp.resolve("nothing").toString());
        assertEquals(66, ran.code());
        assertEquals(
                tmp.resolve("nothing/campaign.json")
                        + " does not exist; campaign merge takes the campaign directories of the slices.\n",
                ran.err());
        assertEquals(64, omnitest("campaign", "merge").code());
    }
}
