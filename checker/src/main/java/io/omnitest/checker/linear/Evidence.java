package io.omnitest.checker.linear;

import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a failed search into the result details a report draws (see {@link Linearizability}
 * for the shape): the op that could not be linearized, the longest prefix that could, the
 * candidate states there, and the window of ops around the failure.
 */
final class Evidence {
    /** How many ops that completed before the failing op's invocation the window keeps. */
    static final int OPS_BEFORE = 3;

    private Evidence() {}

    static Map<String, Object> details(Model model, Partition partition, SearchOutcome outcome) {
        List<Operation> ops = partition.ops();
        Operation failing = ops.get(outcome.failingOp());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("model", model.name());
        d.put("key", partition.key() == null ? null : String.valueOf(partition.key()));
        d.put("op", describe(model, failing));
        List<Object> prefix = new ArrayList<>();
        for (int id : outcome.prefix()) prefix.add(ops.get(id).invoke().index());
        d.put("linearized", prefix);
        List<Object> steps = new ArrayList<>();
        for (int id : outcome.prefix())
            steps.add(model.describe(
                    ops.get(id).call().input(), ops.get(id).call().output()));
        d.put("linearizedSteps", steps);
        List<Object> states = new ArrayList<>();
        for (Object s : outcome.states()) states.add(model.describeState(s));
        d.put("states", states);
        List<Object> window = new ArrayList<>();
        for (Operation o : window(ops, failing)) window.add(describe(model, o));
        d.put("window", window);
        return d;
    }

    static String summary(Model model, Partition partition, SearchOutcome outcome) {
        Operation failing = partition.ops().get(outcome.failingOp());
        List<String> states = new ArrayList<>();
        for (Object s : outcome.states()) states.add(model.describeState(s));
        String where = partition.key() == null ? "" : "key " + partition.key() + ": ";
        return where + "no order of the operations explains "
                + model.describe(failing.call().input(), failing.call().output())
                + " by process " + failing.invoke().process() + " (index "
                + failing.invoke().index() + "); after the longest "
                + "linearizable prefix (" + outcome.prefix().size() + " ops) the state is "
                + (states.size() == 1 ? states.get(0) : "one of " + states);
    }

    /**
     * The ops of the partition whose intervals overlap the failing op's, plus the last few that
     * completed before it was invoked, in invocation order.
     */
    static List<Operation> window(List<Operation> ops, Operation failing) {
        int from = failing.invokePos();
        int to = failing.completePos() < 0 ? Integer.MAX_VALUE : failing.completePos();
        List<Operation> concurrent = new ArrayList<>();
        List<Operation> before = new ArrayList<>();
        for (Operation o : ops) {
            int end = o.completePos() < 0 ? Integer.MAX_VALUE : o.completePos();
            if (o.call().mode() == ModelOp.Mode.DROPPED) continue;
            if (o.invokePos() <= to && end >= from) concurrent.add(o);
            else if (end < from) before.add(o);
        }
        before.sort(Comparator.comparingInt(Operation::completePos).reversed());
        List<Operation> out = new ArrayList<>(before.subList(0, Math.min(OPS_BEFORE, before.size())));
        out.addAll(concurrent);
        out.sort(Comparator.comparingInt(Operation::invokePos));
        return out;
    }

    static Map<String, Object> describe(Model model, Operation o) {
        Op inv = o.invoke(), done = o.completion();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", inv.index());
        m.put("process", inv.process());
        m.put("f", inv.f());
        m.put("value", done != null && done.type() == Op.Type.OK ? done.value() : inv.value());
        m.put("type", done == null ? "pending" : done.type().wire());
        m.put("invokeIndex", inv.index());
        m.put("completeIndex", done == null ? null : done.index());
        m.put("invokeTime", inv.time() < 0 ? null : inv.time());
        m.put("completeTime", done == null || done.time() < 0 ? null : done.time());
        m.put("description", model.describe(o.call().input(), o.call().output()));
        return m;
    }
}
