package io.omnitest.cli.run.workload;

import java.util.List;

/**
 * A workload's source of operations. Pure: all randomness comes from the generator the
 * implementation was built with, so one seed yields one sequence of operations (which worker
 * gets which operation depends on timing, as in Jepsen).
 *
 * <p>Not thread-safe; the runner serialises calls.
 */
public interface Generator {
    /** The next operation of the main phase. */
    Invocation next();

    /** The reads taken after the faults are healed: every key the run touched, once, in first-use order. */
    List<Invocation> finalReads();
}
