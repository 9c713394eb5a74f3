package io.omnitest.nuke;

import java.util.List;
import java.util.Set;

/**
 * The disk and clock nemeses (issue 12), listed after the others by {@link Nemeses}. Disk ones need
 * the data dirs on the fault filesystem, clock ones the SUT under libfaketime: {@link #needsFaultFs}
 * and {@link #needsFakeClock} tell the runner which to deploy for a {@code --nemesis} list.
 */
public final class FaultNemeses {
    static final List<Nemeses.Spec> SPECS = List.of(
            new Nemeses.Spec(
                    "lose-unfsynced",
                    "cut one node's power (nodes take turns): SIGKILL it and lose its writes not yet "
                            + "fsynced, those of fsyncs under way included (so does every other kill in "
                            + "the run); restart it on heal",
                    ctx -> new DiskNemesis(DiskNemesis.Kind.LOSE_UNFSYNCED, ctx)),
            new Nemeses.Spec(
                    "disk-error",
                    "writes, fsyncs or both fail with EIO on a random minority of nodes",
                    ctx -> new DiskNemesis(DiskNemesis.Kind.DISK_ERROR, ctx)),
            new Nemeses.Spec(
                    "disk-full",
                    "writes and fsyncs fail with ENOSPC on a random minority of nodes",
                    ctx -> new DiskNemesis(DiskNemesis.Kind.DISK_FULL, ctx)),
            new Nemeses.Spec(
                    "slow-disk",
                    "every fsync takes 50, 200 or 500 ms longer on a random minority of nodes",
                    ctx -> new DiskNemesis(DiskNemesis.Kind.SLOW_DISK, ctx)),
            new Nemeses.Spec(
                    "clock-skew",
                    "offset the SUT's wall clock by up to ±5 s on a random subset of nodes",
                    ctx -> new ClockNemesis(ClockNemesis.Kind.SKEW, ctx)),
            new Nemeses.Spec(
                    "clock-jump",
                    "step the SUT's wall clock by ±1..10 min on a random subset of nodes",
                    ctx -> new ClockNemesis(ClockNemesis.Kind.JUMP, ctx)),
            new Nemeses.Spec(
                    "clock-strobe",
                    "flip the SUT's wall clock between +0 and ±1..10 s every 1.1 s for 5 s "
                            + "on a random subset of nodes",
                    ctx -> new ClockNemesis(ClockNemesis.Kind.STROBE, ctx)));

    private static final Set<String> DISK = Set.of("lose-unfsynced", "disk-error", "disk-full", "slow-disk");
    private static final Set<String> CLOCK = Set.of("clock-skew", "clock-jump", "clock-strobe");

    private FaultNemeses() {}

    /** Whether a run with these nemeses needs the fault filesystem under each data dir. */
    public static boolean needsFaultFs(List<String> nemeses) {
        return nemeses.stream().anyMatch(DISK::contains);
    }

    /** Whether a run with these nemeses needs the SUT under libfaketime. */
    public static boolean needsFakeClock(List<String> nemeses) {
        return nemeses.stream().anyMatch(CLOCK::contains);
    }
}
