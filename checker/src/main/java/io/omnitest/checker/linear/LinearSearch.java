package io.omnitest.checker.linear;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The Wing–Gong / Lowe search with just-in-time linearization, as in Porcupine's
 * {@code checkSingle}, over one partition. Pure and single-threaded: the only outside inputs
 * are the {@link SearchBudget}'s clock and stop flag, polled every {@link #POLL_EVERY} steps.
 *
 * <p>The history becomes a doubly linked list of call and return events in history order
 * (event order, never the {@code time} field). Walking the list, a call whose step the model
 * accepts is linearized: it and its return are lifted out of the list and the walk restarts
 * at the head; reaching a return means the op it closes can no longer be placed, so the last
 * linearized call is undone (unlifted) and the walk continues after it. A configuration
 * (linearized set, model state) already seen is never explored twice (Lowe's memoisation).
 *
 * <p>Optional ops (outcome unknown) have a call event but no return: they may be linearized
 * anywhere after their call, and the search succeeds once every required op is linearized,
 * so they may also never take effect. Two reductions keep their many possible placements in
 * check, both sound because any witness can be rewritten to obey them: an optional op is
 * not linearized where it would leave the state unchanged (dropping it from a witness keeps
 * the witness valid), and optional twins are linearized in invocation order (see
 * {@link #twins}).
 */
final class LinearSearch {
    static final int POLL_EVERY = 1 << 10;
    static final int MAX_CANDIDATE_STATES = 16;
    private static final int RETURN = -2, NONE = -1;

    private final DeterministicModel model;
    private final List<Operation> ops;
    private final SearchBudget budget;

    // The event list: node 0 is the head sentinel; nodes 1.. are events in history order.
    private final int[] next, prev, opOf, matchOf, posOf;
    private final int[] callNode;

    LinearSearch(DeterministicModel model, List<Operation> ops, SearchBudget budget) {
        this.model = model;
        this.ops = ops;
        this.budget = budget;
        int n = ops.size();
        long[] events = new long[2 * n]; // (position << 32) | (op << 1) | isReturn
        int m = 0;
        for (Operation op : ops) {
            events[m++] = ((long) op.invokePos() << 32) | ((long) op.id() << 1);
            if (op.required()) events[m++] = ((long) op.completePos() << 32) | ((long) op.id() << 1) | 1;
        }
        events = Arrays.copyOf(events, m);
        Arrays.sort(events);
        next = new int[m + 1];
        prev = new int[m + 1];
        opOf = new int[m + 1];
        matchOf = new int[m + 1];
        posOf = new int[m + 1];
        callNode = new int[n];
        int[] returnNode = new int[n];
        Arrays.fill(returnNode, NONE);
        for (int i = 0; i < m; i++) {
            int node = i + 1;
            int op = (int) (events[i] & 0xFFFFFFFFL) >>> 1;
            opOf[node] = op;
            posOf[node] = (int) (events[i] >>> 32);
            if ((events[i] & 1) == 1) {
                returnNode[op] = node;
                matchOf[node] = RETURN;
            } else {
                callNode[op] = node;
            }
        }
        for (int op = 0; op < n; op++) matchOf[callNode[op]] = returnNode[op];
        for (int node = 0; node <= m; node++) {
            next[node] = node == m ? NONE : node + 1;
            prev[node] = node - 1;
        }
    }

    // Search state, kept between slices so that partitions can take turns (see PartitionRunner).
    private Object[] input, output;
    private boolean[] isRequired;
    private long[] zobrist;
    private int[] twinBefore;
    private int[] bitOf; // op -> its bit in the linearized set (layout: see start())
    private MemoSet memo;
    private long[] linearized;
    private long hash;
    private int[] stackOp;
    private Object[] stackState;
    private int depth, linearizedRequired, required, entry;
    private Object state;
    private Frontier frontier;

    /** Runs the search to its end. */
    SearchOutcome run() {
        SearchOutcome o;
        do o = run(Long.MAX_VALUE);
        while (o == null);
        return o;
    }

    /**
     * Runs at most about {@code maxSteps} steps of the search; returns the outcome, or null if
     * the search is not finished yet (call again to resume). One loop on purpose: it is the hot
     * path, with the search state held in locals while it runs.
     */
    SearchOutcome run(long maxSteps) {
        if (memo == null) start();
        if (required == 0) return new SearchOutcome(SearchOutcome.Status.LINEARIZABLE, -1, List.of(), List.of(), 0);
        long[] linearized = this.linearized;
        Object[] input = this.input, output = this.output;
        boolean[] isRequired = this.isRequired;
        int[] twinBefore = this.twinBefore, stackOp = this.stackOp, bitOf = this.bitOf;
        Object[] stackState = this.stackState;
        int entry = this.entry, depth = this.depth;
        Object state = this.state;
        long hash = this.hash;
        long steps = 0;
        SearchOutcome result = null;
        while (true) {
            if ((++steps & (POLL_EVERY - 1)) == 0) {
                SearchBudget.Stop stop = budget.poll();
                if (stop != SearchBudget.Stop.NONE) {
                    result = SearchOutcome.stopped(status(stop), memo.size());
                    break;
                }
                if (steps >= maxSteps) break;
            }
            if (entry == NONE) { // no return left: every required op is linearized
                result = linearizable();
                break;
            }
            if (matchOf[entry] != RETURN) {
                int op = opOf[entry];
                int twin = twinBefore[op];
                if (twin >= 0 && (linearized[bitOf[twin] >>> 6] & (1L << bitOf[twin])) == 0) {
                    entry = next[entry];
                    continue;
                }
                Object after = model.next(state, input[op], output[op]);
                if (after != DeterministicModel.ILLEGAL && (isRequired[op] || !Objects.equals(after, state))) {
                    linearized[bitOf[op] >>> 6] |= 1L << bitOf[op];
                    hash ^= zobrist[op];
                    int added = memo.add(linearized, hash, after);
                    if (added == MemoSet.FULL) {
                        result = SearchOutcome.stopped(SearchOutcome.Status.MEMORY, memo.size());
                        break;
                    }
                    if (added == MemoSet.ADDED) {
                        stackOp[depth] = op;
                        stackState[depth++] = state;
                        state = after;
                        lift(entry);
                        if (isRequired[op] && ++linearizedRequired == required) {
                            result = linearizable();
                            break;
                        }
                        entry = next[0];
                        continue;
                    }
                    linearized[bitOf[op] >>> 6] &= ~(1L << bitOf[op]);
                    hash ^= zobrist[op];
                }
                entry = next[entry];
            } else {
                frontier.reached(posOf[entry], opOf[entry], stackOp, depth, state);
                if (depth == 0) {
                    result = new SearchOutcome(
                            SearchOutcome.Status.NOT_LINEARIZABLE,
                            frontier.op,
                            frontier.prefix(),
                            java.util.Collections.unmodifiableList(new ArrayList<>(frontier.states)),
                            memo.size());
                    break;
                }
                int op = stackOp[--depth];
                if (depth < frontier.lowWater) frontier.lowWater = depth;
                state = stackState[depth];
                stackState[depth] = null;
                linearized[bitOf[op] >>> 6] &= ~(1L << bitOf[op]);
                hash ^= zobrist[op];
                if (isRequired[op]) linearizedRequired--;
                unlift(callNode[op]);
                entry = next[callNode[op]];
            }
        }
        this.entry = entry;
        this.depth = depth;
        this.state = state;
        this.hash = hash;
        if (result != null) finish();
        return result;
    }

    /** The search is over: its memo's memory goes back to the budget, its tables to the GC. */
    private void finish() {
        memo.release();
        stackState = null;
        linearized = null;
        frontier = null;
    }

    private SearchOutcome linearizable() {
        return new SearchOutcome(SearchOutcome.Status.LINEARIZABLE, -1, List.of(), List.of(), memo.size());
    }

    private void start() {
        int n = ops.size();
        input = new Object[n];
        output = new Object[n];
        isRequired = new boolean[n];
        zobrist = new long[n];
        for (Operation op : ops) {
            int id = op.id();
            input[id] = op.call().input();
            output[id] = op.call().output();
            isRequired[id] = op.required();
            if (isRequired[id]) required++;
            zobrist[id] = splitmix(id);
        }
        twinBefore = twins(isRequired, input);
        // Required ops take the first bits, in invocation order, and optional ops the words after
        // them, so that the memo can trim the long run of ones behind the search's frontier
        // (MemoSet) without never-linearized optional ops breaking that run.
        bitOf = new int[n];
        int requiredWords = Math.max(1, (required + 63) >>> 6);
        int nextRequired = 0, nextOptional = requiredWords << 6;
        for (int id = 0; id < n; id++) bitOf[id] = isRequired[id] ? nextRequired++ : nextOptional++;
        int words = Math.max(requiredWords, (nextOptional + 63) >>> 6);
        memo = new MemoSet(words, requiredWords, budget, model::stateBytes);
        linearized = new long[words];
        stackOp = new int[n];
        stackState = new Object[n];
        state = model.init();
        frontier = new Frontier();
        entry = next[0];
    }

    /**
     * For each optional op, the optional op with the same input and output invoked just before
     * it, or -1.
     * Such twins are interchangeable (no return, same effect, and the earlier one may take
     * effect wherever the later one may), so the search only ever linearizes a later twin
     * after the earlier one: every witness can be rewritten that way, and the search space
     * shrinks by the number of orders of the twins.
     */
    private int[] twins(boolean[] isRequired, Object[] input) {
        int[] twin = new int[ops.size()];
        Arrays.fill(twin, -1);
        // Keyed by (input, output) as a two-element list: null-safe equality like a record's, without a
        // record's equals/hashCode, whose method-handle set-up costs a short `check` tens of ms.
        Map<List<Object>, Integer> last = new HashMap<>();
        List<Operation> byInvoke = new ArrayList<>(ops);
        byInvoke.sort(Comparator.comparingInt(Operation::invokePos));
        for (Operation o : byInvoke) {
            if (isRequired[o.id()]) continue;
            Integer before = last.put(Arrays.asList(input[o.id()], o.call().output()), o.id());
            if (before != null) twin[o.id()] = before;
        }
        return twin;
    }

    private void lift(int call) {
        unlink(call);
        int ret = matchOf[call];
        if (ret != NONE) unlink(ret);
    }

    /** Undoes {@link #lift} in reverse order; the lifted nodes kept their own links. */
    private void unlift(int call) {
        int ret = matchOf[call];
        if (ret != NONE) relink(ret);
        relink(call);
    }

    private void unlink(int node) {
        next[prev[node]] = next[node];
        if (next[node] != NONE) prev[next[node]] = prev[node];
    }

    private void relink(int node) {
        next[prev[node]] = node;
        if (next[node] != NONE) prev[next[node]] = node;
    }

    private static SearchOutcome.Status status(SearchBudget.Stop stop) {
        return stop == SearchBudget.Stop.TIMEOUT ? SearchOutcome.Status.TIMEOUT : SearchOutcome.Status.CANCELLED;
    }

    private static long splitmix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * The furthest return event the search got stuck at: the op it closes could not be placed
     * after any order of the ops before it. Keeps the first prefix that got there and the
     * distinct states every attempt held there.
     *
     * <p>Linear overall: the stack below {@link #lowWater} (the lowest depth since the last
     * copy) has not changed, so each new frontier copies only the part of the stack above it.
     * A search that mostly moves forward (a sequential-ish history) copies each op about once.
     */
    private static final class Frontier {
        int position = -1;
        int op = -1;
        int[] prefix = new int[16];
        int prefixLength;
        int lowWater; // the stack's lowest depth since prefix was last brought up to date
        final Set<Object> states = new LinkedHashSet<>();

        void reached(int pos, int blockedOp, int[] stack, int depth, Object state) {
            if (pos > position) {
                position = pos;
                op = blockedOp;
                int same = Math.min(lowWater, prefixLength);
                if (depth > prefix.length) prefix = Arrays.copyOf(prefix, Math.max(depth, prefix.length * 2));
                System.arraycopy(stack, same, prefix, same, depth - same);
                prefixLength = depth;
                lowWater = depth;
                states.clear();
                states.add(state);
            } else if (pos == position && states.size() < MAX_CANDIDATE_STATES) {
                states.add(state);
            }
        }

        List<Integer> prefix() {
            List<Integer> p = new ArrayList<>(prefixLength);
            for (int i = 0; i < prefixLength; i++) p.add(prefix[i]);
            return java.util.Collections.unmodifiableList(p);
        }
    }
}
