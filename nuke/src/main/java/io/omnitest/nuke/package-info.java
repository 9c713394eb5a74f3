/**
 * Nemeses (DESIGN.md §7): pure partition topologies ({@link io.omnitest.nuke.Grudges}
 * returning {@link io.omnitest.nuke.Grudge}s), and the faults that act on hosts:
 * {@link io.omnitest.nuke.IptablesNet} (rules in the omnitest chain only),
 * {@link io.omnitest.nuke.ProcessNemesis} (kill, kill-leader, pause) and
 * {@link io.omnitest.nuke.PacketLossNemesis}.
 *
 * <p>How the runner drives one:
 * <pre>{@code
 * NemesisContext ctx = NemesisContext.of(hosts, remotes, db, new Random(seed), system.electionTimeout());
 * Nemesis nemesis = Nemeses.create("partition-chain", ctx);   // one name of --nemesis
 * nemesis.setup();
 * try {
 *     every interval:  NemesisOp op = nemesis.startOp();   record invoke (process "nemesis", type info)
 *                      NemesisOp done = nemesis.invoke(op); record completion (type info, f and value of done)
 *     next interval:   the same with nemesis.stopOp()
 * } finally {
 *     nemesis.teardown();                                   // heals everything, also after Ctrl-C
 * }
 * }</pre>
 * {@code Nemeses.all()} lists every name with its one-line description for
 * {@code omnitest nemesis list}.
 */
package io.omnitest.nuke;
