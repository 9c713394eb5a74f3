package io.omnitest.cli.campaign;

import static io.omnitest.cli.campaign.CampaignCommandTest.omnitest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.sut.core.Bug;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code campaign --shard I/N}: which runs a slice makes, and the option's errors. */
class CampaignShardTest {
    static final CampaignPlan.Cell A =
            new CampaignPlan.Cell(Bug.EARLY_ACK.cliName(), "kv", List.of("partition-leader"), 5, 20, 3);
    static final CampaignPlan.Cell B = new CampaignPlan.Cell(null, "list-append", List.of("kill"), 8, 32, 2);

    @Test
    void parsesIOfN() {
        assertEquals(new CampaignShard(2, 3), CampaignShard.parse("2/3"));
        assertEquals(new CampaignShard(1, 1), CampaignShard.parse(" 1/1 "));
        assertEquals("2/3", CampaignShard.parse("2/3").toString());
    }

    @Test
    void badValuesAreOneSentence() {
        Map<String, String> bad = Map.of(
                "0/3", "--shard must be I/N with 1 <= I <= N, not 0/3.",
                "4/3", "--shard must be I/N with 1 <= I <= N, not 4/3.",
                "1/0", "--shard must be I/N with 1 <= I <= N, not 1/0.",
                "x", "--shard must be I/N with 1 <= I <= N (e.g. 2/3), not 'x'.",
                "3", "--shard must be I/N with 1 <= I <= N (e.g. 2/3), not '3'.",
                "-1/3", "--shard must be I/N with 1 <= I <= N (e.g. 2/3), not '-1/3'.",
                "99999999999/3", "--shard must be I/N with 1 <= I <= N (e.g. 2/3), not '99999999999/3'.");
        bad.forEach((text, message) -> assertEquals(
                message,
                assertThrows(IllegalArgumentException.class, () -> CampaignShard.parse(text))
                        .getMessage()));
    }

    @Test
    void badValuesExitWithUsage() {
        for (String text : List.of("0/3", "4/3", "x")) {
            CampaignCommandTest.Ran ran = omnitest("campaign", "--list", "--shard", text);
            assertEquals(64, ran.code(), text);
            assertEquals("", ran.out());
            assertEquals(1, ran.err().strip().lines().count(), ran.err());
            assertTrue(ran.err().startsWith("--shard must be I/N"), ran.err());
        }
    }

    @Test
    void runsAreDealtRoundRobinWithTheirSeeds() {
        List<CampaignPlan.Run> plan = CampaignPlan.runs(List.of(A, B), 7);
        assertEquals(
                List.of(new CampaignPlan.Run(A, 7), new CampaignPlan.Run(B, 7)), new CampaignShard(1, 3).slice(plan));
        assertEquals(
                List.of(new CampaignPlan.Run(A, 8), new CampaignPlan.Run(B, 8)), new CampaignShard(2, 3).slice(plan));
        assertEquals(List.of(new CampaignPlan.Run(A, 9)), new CampaignShard(3, 3).slice(plan));
        assertEquals(plan, new CampaignShard(1, 1).slice(plan));
        assertEquals(List.of(), new CampaignShard(6, 6).slice(plan));
    }

    @Test
    void theSlicesOfTheDefaultPlanAreDisjointAndTheirUnionIsThePlan() {
        List<CampaignPlan.Cell> cells =
                CampaignPlan.defaults(java.util.Set.copyOf(io.omnitest.sut.log.ProtocolBugs.names()), true);
        List<CampaignPlan.Run> plan = CampaignPlan.runs(cells, 1);
        for (int n = 1; n <= 12; n++) {
            Map<CampaignPlan.Run, Integer> owner = new IdentityHashMap<>();
            int total = 0;
            for (int i = 1; i <= n; i++) {
                List<CampaignPlan.Run> slice = new CampaignShard(i, n).slice(plan);
                total += slice.size();
                assertTrue(
                        slice.size() == plan.size() / n || slice.size() == plan.size() / n + 1,
                        "balanced " + i + "/" + n);
                for (CampaignPlan.Run r : slice) assertEquals(null, owner.put(r, i), "run in two slices of " + n);
            }
            assertEquals(plan.size(), total);
            assertEquals(plan.size(), owner.size());
            List<CampaignPlan.Run> union = new ArrayList<>();
            for (CampaignPlan.Run r : plan) if (owner.containsKey(r)) union.add(r);
            for (int p = 0; p < plan.size(); p++) assertSame(plan.get(p), union.get(p));
        }
    }

    @Test
    void thePlanFingerprintChangesWithThePlan() {
        String fp = CampaignShard.fingerprint(List.of(A, B), 1, 5);
        assertEquals(16, fp.length());
        assertEquals(fp, CampaignShard.fingerprint(List.of(A, B), 1, 5));
        assertNotEquals(fp, CampaignShard.fingerprint(List.of(A, B), 2, 5));
        assertNotEquals(fp, CampaignShard.fingerprint(List.of(A, B), 1, 4));
        assertNotEquals(fp, CampaignShard.fingerprint(List.of(B, A), 1, 5));
        assertNotEquals(fp, CampaignShard.fingerprint(List.of(A, B.withSeeds(3)), 1, 5));
    }

    @Test
    void listShowsTheSlice() {
        CampaignCommandTest.Ran ran =
                omnitest("campaign", "--list", "--bugs", "no-fsync", "--seeds", "5", "--shard", "2/2");
        assertEquals(0, ran.code(), ran.err());
        assertEquals(
                "| SUT | workload | nemesis | interval / limit | seeds in slice 2/2 |\n"
                        + "|---|---|---|---|---|\n"
                        + "| no-fsync | kv | partition-leader-flip+lose-unfsynced | 8 s / 32 s | 2 4 |\n",
                ran.out().substring(0, ran.out().indexOf("slice 2/2:")));
        assertTrue(ran.out().contains("slice 2/2: 2 of the plan's 5 runs, about 1 min (plan "), ran.out());
    }

    @Test
    void aSliceWithoutRunsDoesNothing() {
        CampaignCommandTest.Ran ran = omnitest("campaign", "--bugs", "no-fsync", "--seeds", "2", "--shard", "3/3");
        assertEquals(0, ran.code(), ran.err());
        assertEquals("omnitest: slice 3/3 of this plan of 2 runs has no run; nothing to do.\n", ran.err());
        assertEquals("", ran.out());
    }
}
