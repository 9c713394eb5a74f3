package io.omnitest.checker;

import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The live counterpart of {@link Split}: each client event goes to the live checker of the part
 * owning its {@code f}; events no part owns are left to the full check. A round checks the
 * parts in turn, starting with a different one each round, so that one slow part cannot starve
 * the others of the round's time.
 *
 * <p>The verdict: an anomaly of any part, for good, under that part's name; else valid so far
 * while some part still checks (a part that gave up is named in the summary); else gave up.
 */
public final class LiveSplit implements LiveChecker {
    /** One part: the {@code f}s of its client operations and its live checker. */
    public record Part(Set<String> operations, LiveChecker checker) {
        public Part {
            operations = Set.copyOf(operations);
        }
    }

    private final List<Part> parts;
    private final LiveVerdict[] last;
    private int firstOfRound;
    private LiveVerdict anomaly;
    private String anomalyName;

    public LiveSplit(List<Part> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("a live split needs at least one part");
        this.parts = List.copyOf(parts);
        this.last = new LiveVerdict[parts.size()];
        for (int i = 0; i < last.length; i++) last[i] = LiveVerdict.validSoFar(0, 0);
    }

    /** The part whose anomaly was found, else the parts' names joined with {@code +}. */
    @Override
    public String name() {
        if (anomalyName != null) return anomalyName;
        List<String> names = new ArrayList<>();
        for (Part p : parts) names.add(p.checker().name());
        return String.join("+", names);
    }

    @Override
    public void accept(Op op) {
        if (op.isNemesis() || anomaly != null) return;
        for (Part p : parts) {
            if (p.operations().contains(op.f())) {
                p.checker().accept(op);
                return;
            }
        }
    }

    @Override
    public LiveVerdict check(long deadlineNanos) {
        if (anomaly != null) return anomaly;
        int n = parts.size();
        for (int k = 0; k < n; k++) {
            int i = (firstOfRound + k) % n;
            if (last[i].state() == LiveVerdict.State.GAVE_UP) continue;
            LiveVerdict v;
            try {
                v = parts.get(i).checker().check(deadlineNanos);
            } catch (RuntimeException e) { // the contract says never; a part that breaks it gives up
                v = new LiveVerdict(LiveVerdict.State.GAVE_UP, 0, 0, "crashed: " + e, null);
            }
            last[i] = v;
            if (v.state() == LiveVerdict.State.ANOMALY) {
                anomaly = v;
                anomalyName = parts.get(i).checker().name();
                return v;
            }
        }
        firstOfRound = (firstOfRound + 1) % n;
        long checked = 0, received = 0;
        List<String> gaveUp = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            checked += last[i].opsChecked();
            received += last[i].opsReceived();
            if (last[i].state() == LiveVerdict.State.GAVE_UP)
                gaveUp.add(parts.get(i).checker().name() + " gave up: " + last[i].summary());
        }
        if (gaveUp.size() == n)
            return new LiveVerdict(LiveVerdict.State.GAVE_UP, checked, received, String.join("; ", gaveUp), null);
        String summary = gaveUp.isEmpty() ? "valid so far" : "valid so far (" + String.join("; ", gaveUp) + ")";
        return new LiveVerdict(LiveVerdict.State.VALID_SO_FAR, checked, received, summary, null);
    }
}
