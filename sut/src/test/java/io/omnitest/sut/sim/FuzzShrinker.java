package io.omnitest.sut.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Shrinks a failing {@link FuzzPlan}: removes faults (halves, then quarters, ... then single
 * events, as in delta debugging) and calms the network, keeping each change only if the run with
 * the same seed still fails the same invariant. Bounded number of re-runs.
 */
final class FuzzShrinker {
    private FuzzShrinker() {}

    static final int MAX_RUNS = 400;

    /** Phrases naming the invariants ({@link Invariants}, {@link Simulator}), most specific first. */
    private static final List<String> INVARIANTS = List.of(
            "not accepted by a majority in one ballot",
            "was decided there before",
            "promise went down",
            "decided index went down",
            "acked a log the leader does not have",
            "decided beyond its log",
            "delivered",
            "failed to reach agreement",
            "threw",
            // the KV fuzz tier's checks (KvFuzzSimTest)
            "not linearizable",
            "exactly-once violated",
            "replicas diverge",
            "clerks did not finish",
            // its txns' list-append checks (ListAppendSimTest.checkTxns)
            "exactly once",
            "duplicate",
            "is not a prefix",
            "does not end with its own",
            "appended by a txn invoked at");

    static String invariantOf(AssertionError e) {
        String m = String.valueOf(e.getMessage());
        for (String i : INVARIANTS) if (m.contains(i)) return i;
        return "";
    }

    /** Runs a plan with a seed: {@link FuzzSimTest#run} or {@link KvFuzzSimTest#run}. */
    interface Runner {
        FuzzSimTest.Outcome run(long seed, FuzzPlan plan);
    }

    static FuzzPlan shrink(long seed, FuzzPlan plan, String invariant) {
        return shrink(seed, plan, invariant, FuzzSimTest::run);
    }

    static FuzzPlan shrink(long seed, FuzzPlan plan, String invariant, Runner runner) {
        java.util.function.Predicate<FuzzPlan> fails = p -> {
            FuzzSimTest.Outcome o = runner.run(seed, p);
            return o.error() != null && invariantOf(o.error()).equals(invariant);
        };
        int runs = 0;
        List<FuzzPlan.Event> events = new ArrayList<>(plan.events());
        for (int chunk = Math.max(1, events.size() / 2); chunk >= 1 && runs < MAX_RUNS; chunk /= 2) {
            for (int start = 0; start < events.size() && runs < MAX_RUNS; ) {
                List<FuzzPlan.Event> fewer = new ArrayList<>(events.subList(0, start));
                fewer.addAll(events.subList(Math.min(events.size(), start + chunk), events.size()));
                runs++;
                if (fails.test(plan.withEvents(fewer))) events = fewer;
                else start += chunk;
            }
            if (chunk == 1) break;
        }
        FuzzPlan best = plan.withEvents(events);
        List<UnaryOperator<FuzzPlan>> calmer = List.of(
                p -> p.withNetwork(0, p.dup(), p.maxDelay()),
                p -> p.withNetwork(p.drop(), 0, p.maxDelay()),
                p -> p.withNetwork(p.drop(), p.dup(), 1));
        for (UnaryOperator<FuzzPlan> c : calmer) {
            if (runs++ >= MAX_RUNS) break;
            FuzzPlan candidate = c.apply(best);
            if (fails.test(candidate)) best = candidate;
        }
        return best;
    }
}
