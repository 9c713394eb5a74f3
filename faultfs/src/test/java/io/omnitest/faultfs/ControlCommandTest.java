package io.omnitest.faultfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ControlCommandTest {
    @Test
    void commandsChangeExactlyTheirFault() {
        Faults f = Faults.NONE;
        f = ok(f, "lazy on", ControlCommand.Action.NONE);
        f = ok(f, "error fsync", ControlCommand.Action.NONE);
        f = ok(f, "slow-fsync 250", ControlCommand.Action.NONE);
        assertEquals(new Faults(true, Faults.Errors.FSYNC, false, 250), f);
        assertEquals("lazy=on error=fsync full=off slow-fsync=250ms", f.describe());
        f = ok(f, "clear", ControlCommand.Action.CLEAR);
        assertEquals(new Faults(true, Faults.Errors.OFF, false, 0), f);
        assertEquals(ControlCommand.Action.DROP, ControlCommand.apply(f, "drop").action());
        assertEquals(ControlCommand.Action.CUT, ControlCommand.apply(f, "cut").action());
        ControlCommand.Result notLazy = ControlCommand.apply(Faults.NONE, "cut");
        assertEquals(ControlCommand.Action.NONE, notLazy.action(), "nothing is held, so nothing to cut");
        assertEquals("ok nothing to cut: lazy is off", notLazy.reply());
        assertEquals(
                ControlCommand.Action.FLUSH, ControlCommand.apply(f, "lazy off").action());
        assertEquals(
                ControlCommand.Action.NONE,
                ControlCommand.apply(Faults.NONE, "lazy off").action());
    }

    private static Faults ok(Faults now, String line, ControlCommand.Action action) {
        ControlCommand.Result r = ControlCommand.apply(now, line);
        assertEquals(action, r.action(), line);
        assertEquals("ok " + r.next().describe(), r.reply(), line);
        return r.next();
    }

    @Test
    void badRequestsChangeNothingAndSayWhy() {
        Faults f = new Faults(true, Faults.Errors.OFF, true, 0);
        for (String[] c : new String[][] {
            {"lazy maybe", "error lazy takes on or off"},
            {"error disk", "error error takes write, fsync, all or off"},
            {"slow-fsync -1", "error slow-fsync takes 0..60000 ms"},
            {"slow-fsync soon", "error slow-fsync takes a number of milliseconds"},
            {"full on now", "error too many words in 'full on now'"},
            {"format", "error unknown command 'format' (status, lazy, cut, drop, error, full, slow-fsync, clear)"}
        }) {
            ControlCommand.Result r = ControlCommand.apply(f, c[0]);
            assertEquals(c[1], r.reply());
            assertEquals(f, r.next());
            assertFalse(r.ok());
        }
    }

    @Test
    void whichOperationsFailWithWhat() {
        assertEquals(Optional.empty(), Faults.NONE.onWrite());
        assertEquals(Optional.empty(), Faults.NONE.onFsync());
        Faults fsync = new Faults(false, Faults.Errors.FSYNC, false, 0);
        assertEquals(Optional.empty(), fsync.onWrite());
        assertEquals(Optional.of(Faults.Errno.EIO), fsync.onFsync());
        Faults write = new Faults(false, Faults.Errors.WRITE, false, 0);
        assertEquals(Optional.of(Faults.Errno.EIO), write.onWrite());
        assertEquals(Optional.empty(), write.onFsync());
        Faults full = new Faults(false, Faults.Errors.OFF, true, 0);
        assertEquals(Optional.of(Faults.Errno.ENOSPC), full.onWrite());
        assertEquals(Optional.of(Faults.Errno.ENOSPC), full.onFsync());
        assertEquals(Optional.of(Faults.Errno.EIO), new Faults(false, Faults.Errors.ALL, true, 0).onWrite());
    }
}
