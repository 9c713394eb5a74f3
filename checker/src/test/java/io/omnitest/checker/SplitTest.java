package io.omnitest.checker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.checker.elle.ConsistencyModel;
import io.omnitest.checker.elle.ListAppendChecker;
import io.omnitest.checker.elle.LiveElle;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.HistoryFormat;
import io.omnitest.checker.history.HistoryWriter;
import io.omnitest.checker.history.Op;
import io.omnitest.checker.linear.Linearizability;
import io.omnitest.checker.linear.LiveLinearizability;
import io.omnitest.checker.linear.Models;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Workloads side by side: each part's checker judges its own ops ({@link Split}, {@link LiveSplit}, {@link StreamedCheck}). */
class SplitTest {
    private static final Set<String> KV = Set.of("put", "append", "get");
    private static final Set<String> TXN = Set.of("txn");

    /** A history builder: kv ops and list-append txns of several processes, interleaved as written. */
    private static final class H {
        final List<Op> ops = new ArrayList<>();

        H op(Op.Type type, int process, String f, Object value) {
            ops.add(new Op(ops.size(), ops.size() * 1_000L, type, process, f, value, null, null));
            return this;
        }

        H kv(int process, String f, String key, String value) {
            op(Op.Type.INVOKE, process, f, Arrays.asList(key, f.equals("get") ? null : value));
            return op(Op.Type.OK, process, f, Arrays.asList(key, value));
        }

        H txn(int process, List<?> invoke, List<?> ok) {
            op(Op.Type.INVOKE, process, "txn", invoke);
            return op(Op.Type.OK, process, "txn", ok);
        }

        History history() {
            return new History(ops);
        }
    }

    private static List<Object> mop(String f, String k, Object v) {
        return Arrays.asList(f, k, v);
    }

    /** kv on k1 (its last get stale when {@code staleGet}) beside txns on x (the last read missing an append when {@code lostAppend}). */
    private static History mixed(boolean staleGet, boolean lostAppend) {
        H h = new H();
        h.kv(0, "put", "k1", "a");
        h.txn(1, List.of(mop("append", "x", 1L)), List.of(mop("append", "x", 1L)));
        h.kv(0, "put", "k1", "b");
        h.txn(1, List.of(mop("append", "x", 2L)), List.of(mop("append", "x", 2L)));
        h.op(Op.Type.INVOKE, Op.NEMESIS, "start-partition", null).op(Op.Type.INFO, Op.NEMESIS, "start-partition", null);
        h.kv(2, "get", "k1", staleGet ? "a" : "b");
        h.txn(3, List.of(mop("r", "x", null)), List.of(mop("r", "x", lostAppend ? List.of(1L) : List.of(1L, 2L))));
        return h.history();
    }

    private static Split split() {
        return new Split(List.of(
                new Split.Part(KV, Linearizability.withSystemClock(Models.kv(), Linearizability.Options.DEFAULTS)),
                new Split.Part(TXN, new ListAppendChecker())));
    }

    @Test
    void eachPartJudgesItsOwnOpsAndAnyAnomalyMakesTheWholeInvalid() {
        Map<String, Result> ok = split().checkParts(mixed(false, false));
        assertEquals(List.of("linearizable", "elle-list-append"), List.copyOf(ok.keySet()));
        ok.forEach((name, r) -> assertEquals(Validity.TRUE, r.valid(), name + ": " + r.summary()));
        assertEquals(Validity.TRUE, split().check(mixed(false, false)).valid());

        Map<String, Result> stale = split().checkParts(mixed(true, false));
        assertEquals(Validity.FALSE, stale.get("linearizable").valid());
        assertEquals(Validity.TRUE, stale.get("elle-list-append").valid());
        Result merged = split().check(mixed(true, false));
        assertEquals(Validity.FALSE, merged.valid());
        assertEquals("linearizable INVALID, elle-list-append valid", merged.summary());

        Map<String, Result> lost = split().checkParts(mixed(false, true));
        assertEquals(Validity.TRUE, lost.get("linearizable").valid());
        assertEquals(
                Validity.FALSE,
                lost.get("elle-list-append").valid(),
                lost.get("elle-list-append").summary());
    }

    @Test
    void aPartSeesItsOwnOpsAndTheNemesisWithTheirIndexesKept() {
        History h = mixed(false, false);
        Split.Part kvPart = new Split.Part(KV, split());
        History kvOnly = Split.only(h, kvPart::takes);
        for (Op op : kvOnly.ops()) assertTrue(op.isNemesis() || KV.contains(op.f()), op.toString());
        assertEquals(8, kvOnly.size()); // three kv ops and the nemesis' two events
        assertEquals(
                List.of(0L, 1L, 4L, 5L, 8L, 9L, 10L, 11L),
                kvOnly.ops().stream().map(Op::index).toList());
    }

    @Test
    void anOpNoPartOwnsMakesTheCheckUnknownNotValid() {
        H h = new H();
        h.kv(0, "put", "k1", "a");
        h.op(Op.Type.INVOKE, 1, "cas", Arrays.asList("k1", List.of("a", "b")));
        h.op(Op.Type.OK, 1, "cas", Arrays.asList("k1", List.of("a", "b")));
        Result r = split().check(h.history());
        assertEquals(Validity.UNKNOWN, r.valid(), r.summary());
        assertTrue(r.summary().contains("unowned unknown"), r.summary());
        Result unowned = split().checkParts(h.history()).get("unowned");
        assertEquals(Validity.UNKNOWN, unowned.valid());
        assertTrue(unowned.summary().contains("op 2 has f 'cas'"), unowned.summary());
    }

    @Test
    void partsMustNotShareAnOperation() {
        Checker c = split();
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> new Split(List.of(new Split.Part(Set.of("txn", "get"), c), new Split.Part(TXN, c))));
        assertTrue(e.getMessage().contains("'txn'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Split(List.of(new Split.Part(TXN, c))));
    }

    @Test
    void theLiveSplitRoutesEventsByOperationAndNamesThePartThatFoundTheAnomaly() {
        for (boolean stale : new boolean[] {false, true}) {
            for (boolean lost : new boolean[] {false, true}) {
                LiveSplit live = new LiveSplit(List.of(
                        new LiveSplit.Part(
                                KV,
                                new LiveLinearizability(
                                        Models.kv(),
                                        Linearizability.Options.DEFAULTS,
                                        System::nanoTime,
                                        LiveLinearizability.DEFAULT_MAX_EVENTS)),
                        new LiveSplit.Part(
                                TXN,
                                LiveElle.listAppend(
                                        ConsistencyModel.STRICT_SERIALIZABLE,
                                        System::nanoTime,
                                        LiveElle.DEFAULT_MAX_EVENTS))));
                for (Op op : mixed(stale, lost).ops()) live.accept(op);
                LiveVerdict v = live.check(System.nanoTime() + 10_000_000_000L);
                String what = "stale " + stale + ", lost " + lost + ": " + v.summary();
                if (!stale && !lost) {
                    assertEquals(LiveVerdict.State.VALID_SO_FAR, v.state(), what);
                    assertEquals("linearizable+elle-list-append", live.name());
                    assertEquals(6, v.opsReceived(), what); // every client op, of both parts
                } else {
                    assertEquals(LiveVerdict.State.ANOMALY, v.state(), what);
                    assertEquals(stale ? "linearizable" : "elle-list-append", live.name(), what);
                    assertEquals(v, live.check(System.nanoTime() + 1_000_000_000L), "an anomaly is for good");
                }
            }
        }
    }

    @Test
    void aStreamedCheckOfASplitGivesTheVerdictsOfTheCheckInMemory(@TempDir Path dir) throws Exception {
        for (boolean stale : new boolean[] {false, true}) {
            for (boolean lost : new boolean[] {false, true}) {
                History h = mixed(stale, lost);
                Path file = dir.resolve("h-" + stale + "-" + lost + ".jsonl");
                HistoryWriter.write(h, file, HistoryFormat.JSONL);
                StreamedCheck.Outcome o = StreamedCheck.check(file, split(), List.of(), dir, 2);
                Map<String, Result> inMemory = split().checkParts(h);
                assertEquals(inMemory.keySet(), o.parts().keySet());
                inMemory.forEach(
                        (name, r) -> assertEquals(r.valid(), o.parts().get(name).valid(), name));
                assertEquals(split().check(h).valid(), o.consistency().valid());
            }
        }
    }
}
