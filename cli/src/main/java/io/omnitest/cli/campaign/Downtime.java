package io.omnitest.cli.campaign;

import io.omnitest.checker.analysis.FaultWindows;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How long one fault stopped the cluster from deciding, for the partial-connectivity table
 * ({@code campaign --plan partial-connectivity}). Pure: a function of the ops.
 *
 * <p>The fault is <em>in force</em> from the completion of the nemesis op that made it (every
 * link cut: on five hosts that takes a few hundred milliseconds, and scenario B's lag comes before
 * it) to the invocation of its heal (so an operation that succeeds while the heal is applied does
 * not count as recovery). The cluster <em>recovered</em> at the first ok completion of an operation
 * <em>invoked</em> while the fault was in force: such an operation was decided under the fault's
 * topology, whereas a reply that arrives just after the cut may be for a command decided before
 * it. A client stuck on a node that cannot decide retries its command until it is decided, then
 * invokes its next one at once, so the first such completion follows recovery by one operation's
 * latency. The <em>downtime</em> runs from the fault in force to that completion, or is the
 * fault's whole length when there was none.
 *
 * <p>Two more figures: the <em>outage</em>, the longest stretch inside the fault (from its
 * invocation) without any ok completion, and the <em>longest client outage</em>, the same per
 * client process (the fault's start to its first ok, between its oks, its last ok to the heal),
 * the longest over processes: a client pinned to a node that never rejoins sees the whole fault
 * even when the cluster recovered.
 *
 * @param nemesis           the fault's nemesis name
 * @param faultNanos        how long the fault was in force: its op's completion to its heal's invocation
 * @param downNanos         from the fault in force to the first ok of an operation invoked since, at most {@code faultNanos}
 * @param outageNanos       the longest stretch from the fault's invocation to its heal's without an ok completion
 * @param recovered         true when an operation invoked while the fault was in force succeeded before the heal
 * @param clientOutageNanos the longest such stretch one client process saw
 */
public record Downtime(
        String nemesis, long faultNanos, long downNanos, long outageNanos, boolean recovered, long clientOutageNanos) {

    /** The downtime in election timeouts. */
    public double downIn(long electionTimeoutNanos) {
        return (double) downNanos / electionTimeoutNanos;
    }

    /** One measurement per fault window of {@code ops} whose fault completed and whose heal was invoked. */
    public static List<Downtime> of(List<Op> ops) {
        List<Op> nemesis = new ArrayList<>();
        List<Long> oks = new ArrayList<>();
        Map<Integer, List<Long>> oksByProcess = new HashMap<>();
        // per process, the invocation time of its open operation, to know when each ok op was invoked
        Map<Integer, Long> invoked = new HashMap<>();
        List<long[]> okSpans = new ArrayList<>();
        for (Op op : ops) {
            if (op.isNemesis()) {
                nemesis.add(op);
            } else if (op.type() == Op.Type.INVOKE) {
                invoked.put(op.process(), op.time());
            } else {
                Long at = invoked.remove(op.process());
                if (op.type() == Op.Type.OK && op.time() >= 0) {
                    oks.add(op.time());
                    oksByProcess
                            .computeIfAbsent(op.process(), p -> new ArrayList<>())
                            .add(op.time());
                    if (at != null) okSpans.add(new long[] {at, op.time()});
                }
            }
        }
        oks.sort(null);
        oksByProcess.values().forEach(l -> l.sort(null));
        List<Downtime> out = new ArrayList<>();
        for (FaultWindows.Window w : FaultWindows.of(ops).windows()) {
            if (!w.healed()) continue;
            Op fault = null, done = null, heal = null;
            for (Op op : nemesis) {
                if (op.index() == w.startIndex()) fault = op;
                else if (fault != null
                        && done == null
                        && op.type() != Op.Type.INVOKE
                        && FaultWindows.faultKind(op) != null) done = op;
                else if (done != null
                        && op.type() == Op.Type.INVOKE
                        && FaultWindows.isHeal(op)
                        && op.index() < w.endIndex()) {
                    heal = op;
                    break;
                }
            }
            if (done == null || heal == null || heal.time() <= done.time()) continue;
            long inForce = done.time(), end = heal.time();
            long first = Long.MAX_VALUE;
            for (long[] span : okSpans) if (span[0] >= inForce && span[1] < end) first = Math.min(first, span[1]);
            boolean recovered = first != Long.MAX_VALUE;
            String name = fault.value() instanceof Map<?, ?> m && m.get("name") != null
                    ? m.get("name").toString()
                    : w.kind();
            long outage = Outage.longestIn(oks, name, w.start(), end).length();
            long client = 0;
            for (List<Long> mine : oksByProcess.values())
                client = Math.max(
                        client, Outage.longestIn(mine, name, w.start(), end).length());
            out.add(new Downtime(
                    name, end - inForce, recovered ? first - inForce : end - inForce, outage, recovered, client));
        }
        return out;
    }
}
