package io.omnitest.faultfs;

import java.util.Locale;

/**
 * The control language, one line per request (pure: {@link #apply} maps the current faults and
 * a line to the next faults, an action and a reply):
 *
 * <pre>
 *   status                      the faults now, and how many unsynced bytes are held
 *   lazy on|off                 hold writes until fsync (off writes them through, without fsync)
 *   cut                         the power fails (with lazy on): from now on no write, truncation,
 *                               creation, removal or fsync completes, those already under way
 *                               included; they wait for the drop and then fail with EIO
 *   drop                        lose every write not yet fsynced (call it after killing the node);
 *                               ends a cut
 *   error write|fsync|all|off   EIO on writes, on fsyncs, on both, or none
 *   full on|off                 ENOSPC on writes, creations and fsyncs
 *   slow-fsync MS               add MS milliseconds to every fsync (0 = none)
 *   clear                       error off, full off, slow-fsync 0, no cut (lazy stays as it is)
 * </pre>
 *
 * <p>A cut is state of the filesystem, not one of the {@link Faults}: the filesystem keeps it
 * ({@link Action#CUT}) and ends it on {@code drop}, {@code clear} and {@code lazy off}.
 */
public final class ControlCommand {
    /** The longest request line read, in bytes. */
    public static final int MAX_LINE = 256;

    /** What the filesystem must do besides taking the new faults. */
    public enum Action {
        NONE,
        DROP,
        CUT,
        /** {@code clear}: besides the faults, ends a cut. */
        CLEAR,
        FLUSH,
        STATUS
    }

    /** @param reply the line sent back: {@code ok ...} or {@code error ...} */
    public record Result(Faults next, Action action, String reply) {
        public boolean ok() {
            return reply.startsWith("ok");
        }
    }

    private ControlCommand() {}

    public static Result apply(Faults now, String line) {
        String[] w = line.strip().toLowerCase(Locale.ROOT).split("\\s+");
        String arg = w.length > 1 ? w[1] : "";
        if (w.length > 2) return refuse(now, "too many words in '" + line.strip() + "'");
        switch (w[0]) {
            case "status":
                return new Result(now, Action.STATUS, "ok " + now.describe());
            case "drop":
                return new Result(now, Action.DROP, "ok dropped");
            case "cut":
                if (!now.lazy()) return new Result(now, Action.NONE, "ok nothing to cut: lazy is off");
                return new Result(now, Action.CUT, "ok cut");
            case "clear":
                return done(new Faults(now.lazy(), Faults.Errors.OFF, false, 0), Action.CLEAR);
            case "lazy":
                if (!isOnOff(arg)) return refuse(now, "lazy takes on or off");
                boolean lazy = arg.equals("on");
                return done(
                        new Faults(lazy, now.error(), now.full(), now.fsyncDelayMs()),
                        now.lazy() && !lazy ? Action.FLUSH : Action.NONE);
            case "full":
                if (!isOnOff(arg)) return refuse(now, "full takes on or off");
                return done(new Faults(now.lazy(), now.error(), arg.equals("on"), now.fsyncDelayMs()), Action.NONE);
            case "error":
                Faults.Errors e;
                switch (arg) {
                    case "write" -> e = Faults.Errors.WRITE;
                    case "fsync" -> e = Faults.Errors.FSYNC;
                    case "all" -> e = Faults.Errors.ALL;
                    case "off" -> e = Faults.Errors.OFF;
                    default -> {
                        return refuse(now, "error takes write, fsync, all or off");
                    }
                }
                return done(new Faults(now.lazy(), e, now.full(), now.fsyncDelayMs()), Action.NONE);
            case "slow-fsync":
                int ms;
                try {
                    ms = Integer.parseInt(arg);
                } catch (NumberFormatException x) {
                    return refuse(now, "slow-fsync takes a number of milliseconds");
                }
                if (ms < 0 || ms > Faults.MAX_DELAY_MS)
                    return refuse(now, "slow-fsync takes 0.." + Faults.MAX_DELAY_MS + " ms");
                return done(new Faults(now.lazy(), now.error(), now.full(), ms), Action.NONE);
            default:
                return refuse(
                        now,
                        "unknown command '" + w[0] + "' (status, lazy, cut, drop, error, full, slow-fsync, clear)");
        }
    }

    private static boolean isOnOff(String s) {
        return s.equals("on") || s.equals("off");
    }

    private static Result done(Faults next, Action action) {
        return new Result(next, action, "ok " + next.describe());
    }

    private static Result refuse(Faults now, String why) {
        return new Result(now, Action.NONE, "error " + why);
    }
}
