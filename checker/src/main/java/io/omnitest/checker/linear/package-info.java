/**
 * Linearizability checking in the style of Porcupine and Knossos.
 *
 * <p>{@link io.omnitest.checker.linear.Model} is a sequential specification (pure functions,
 * immutable states); {@link io.omnitest.checker.linear.Models} names the ones omnitest ships:
 * register, cas-register, multi-register, kv, mutex and etcd.
 * {@link io.omnitest.checker.linear.Linearizability} is the {@code "linearizable"} checker:
 * it translates each invocation/completion pair through the model, partitions by the
 * model's key, and runs {@link io.omnitest.checker.linear.LinearSearch} (Wing–Gong / Lowe with
 * just-in-time linearization and memoisation) on each partition, taking turns on a small
 * pool, under a time and a memory budget. On failure {@link io.omnitest.checker.linear.Evidence}
 * shapes what the report draws.
 *
 * <p>Everything here is a pure function of the history, the options, and the injected clock;
 * the only threads are the per-check pool of {@link io.omnitest.checker.linear.PartitionRunner}.
 */
package io.omnitest.checker.linear;
