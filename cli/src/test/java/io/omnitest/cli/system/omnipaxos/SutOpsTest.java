package io.omnitest.cli.system.omnipaxos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.checker.history.Op;
import io.omnitest.cli.run.Completion;
import io.omnitest.cli.run.workload.Invocation;
import io.omnitest.sut.client.Outcome;
import io.omnitest.sut.kv.KvCommand;
import io.omnitest.sut.kv.KvResult;
import io.omnitest.sut.kv.MicroOp;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SutOpsTest {
    private static final Invocation GET = new Invocation("get", Arrays.asList("k1", null));
    private static final Invocation APPEND = new Invocation("append", List.of("k1", "x7"));
    private static final Invocation TXN =
            new Invocation("txn", List.of(List.of("append", "k2", 5L), Arrays.asList("r", "k2", null)));

    @Test
    void invocationsBecomeCommands() {
        assertEquals(KvCommand.get("p3", 9, "k1"), SutOps.command(GET, "p3", 9));
        assertEquals(KvCommand.append("p3", 10, "k1", "x7"), SutOps.command(APPEND, "p3", 10));
        assertEquals(
                KvCommand.put("p3", 11, "k1", "x8"),
                SutOps.command(new Invocation("put", List.of("k1", "x8")), "p3", 11));
        assertEquals(
                KvCommand.txn("p3", 12, List.of(new MicroOp("append", "k2", "5"), new MicroOp("r", "k2", null))),
                SutOps.command(TXN, "p3", 12));
    }

    @Test
    void outcomesFollowJepsenSemantics() {
        assertEquals(
                Completion.ok(List.of("k1", "x3x7")),
                SutOps.completion(GET, new Outcome.Ok(new KvResult("x3x7", null))));
        assertEquals(
                Completion.ok(List.of("k1", "")), SutOps.completion(GET, new Outcome.Ok(new KvResult(null, null))));
        assertEquals(
                Completion.ok(List.of("k1", "x7")),
                SutOps.completion(APPEND, new Outcome.Ok(new KvResult(null, null))));
        // certainly not executed: fail; may have executed: info; both keep the invoke value
        assertEquals(
                new Completion(Op.Type.FAIL, APPEND.value(), "not-leader"),
                SutOps.completion(APPEND, new Outcome.Fail("not-leader", 2, "node 1 is not the leader")));
        assertEquals(
                new Completion(Op.Type.FAIL, APPEND.value(), "unavailable"),
                SutOps.completion(APPEND, new Outcome.Fail("unavailable", 0, "connection refused")));
        assertEquals(
                new Completion(Op.Type.INFO, APPEND.value(), "timeout"),
                SutOps.completion(APPEND, new Outcome.Unknown("timeout")));
        assertEquals(
                new Completion(Op.Type.INFO, GET.value(), "server timeout"),
                SutOps.completion(GET, new Outcome.Unknown("server timeout")));
    }

    @Test
    void registerTxnsWriteStringsAndReadValuesOrNil() {
        Invocation rw = new Invocation(
                "txn",
                List.of(List.of("w", "x", 3L), Arrays.asList("r", "y", null), Arrays.asList("r", "x", null)),
                true);
        assertEquals(
                KvCommand.txn(
                        "p1",
                        2,
                        List.of(new MicroOp("w", "x", "3"), new MicroOp("r", "y", null), new MicroOp("r", "x", null))),
                SutOps.command(rw, "p1", 2));
        KvResult done = new KvResult(
                null,
                List.of(
                        new MicroOp("w", "x", "3"),
                        new MicroOp("r", "y", List.of()),
                        new MicroOp("r", "x", List.of("3"))));
        assertEquals(
                Completion.ok(List.of(List.of("w", "x", 3L), Arrays.asList("r", "y", null), List.of("r", "x", 3L))),
                SutOps.completion(rw, new Outcome.Ok(done)));
    }

    @Test
    void txnReadsComeBackAsNumbers() {
        KvResult done = new KvResult(
                null, List.of(new MicroOp("append", "k2", "5"), new MicroOp("r", "k2", List.of("1", "5"))));
        assertEquals(
                Completion.ok(List.of(List.of("append", "k2", 5L), List.of("r", "k2", List.of(1L, 5L)))),
                SutOps.completion(TXN, new Outcome.Ok(done)));
        assertEquals("x", SutOps.number("x"));
    }

    @Test
    void onlyCertainFailuresAreRedirected() {
        assertEquals(3, OmniPaxosClient.redirect(new Outcome.Fail("not-leader", 3, ""), 1, 2));
        assertEquals(
                0, OmniPaxosClient.redirect(new Outcome.Fail("not-leader", 0, ""), 1, 2), "no hint: nowhere to go");
        assertEquals(0, OmniPaxosClient.redirect(new Outcome.Fail("not-leader", 1, ""), 1, 2), "the hint is this node");
        assertEquals(2, OmniPaxosClient.redirect(new Outcome.Fail("unavailable", 0, ""), 1, 2));
        assertEquals(0, OmniPaxosClient.redirect(new Outcome.Fail("unavailable", 0, ""), 2, 2));
        assertEquals(0, OmniPaxosClient.redirect(new Outcome.Fail("bad-request", 0, ""), 1, 2));
    }

    @Test
    void anUnknownOutcomeStaysUnknownUnlessItsRetryIsOk() {
        Outcome.Unknown first = new Outcome.Unknown("timeout");
        Outcome.Ok ok = new Outcome.Ok(new KvResult("v", null));
        assertEquals(ok, OmniPaxosClient.afterRetry(first, ok));
        // the retry certainly did nothing, but the first attempt may have
        assertEquals(
                new Outcome.Unknown("timeout; retry: not-leader"),
                OmniPaxosClient.afterRetry(first, new Outcome.Fail("not-leader", 2, "")));
        assertEquals(
                new Outcome.Unknown("timeout; retry: server timeout"),
                OmniPaxosClient.afterRetry(first, new Outcome.Unknown("server timeout")));
    }

    @Test
    void aCommandSentTwiceIsOkIfEitherCopyIsAndFailsOnlyIfBothCertainlyFailed() {
        Outcome.Ok ok = new Outcome.Ok(new KvResult("v", null));
        Outcome.Ok other = new Outcome.Ok(new KvResult("w", null));
        Outcome.Fail notLeader = new Outcome.Fail("not-leader", 2, "");
        Outcome.Unknown lost = new Outcome.Unknown("timeout");
        assertEquals(ok, OmniPaxosClient.withDuplicate(ok, other), "both ok: the first copy's answer");
        assertEquals(ok, OmniPaxosClient.withDuplicate(ok, lost));
        assertEquals(ok, OmniPaxosClient.withDuplicate(notLeader, ok));
        assertEquals(ok, OmniPaxosClient.withDuplicate(lost, ok));
        assertEquals(notLeader, OmniPaxosClient.withDuplicate(notLeader, new Outcome.Fail("unavailable", 0, "")));
        // one copy certainly did nothing, but the other may have executed
        assertEquals(
                new Outcome.Unknown("not-leader; duplicate: timeout"), OmniPaxosClient.withDuplicate(notLeader, lost));
        assertEquals(
                new Outcome.Unknown("timeout; duplicate: not-leader"), OmniPaxosClient.withDuplicate(lost, notLeader));
    }
}
