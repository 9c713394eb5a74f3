package io.omnitest.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

public class ShellTest {
    /** Strings that break naive quoting: quotes, expansions, separators, newlines, non-ASCII. */
    public static final List<String> NASTY = List.of(
            "",
            " ",
            "plain",
            "two words",
            "it's",
            "'",
            "''",
            "\"",
            "\\",
            "$HOME",
            "${PATH}",
            "$(id -u)",
            "`id`",
            "a;b",
            "a && b",
            "a|b",
            "*",
            "?",
            "[ab]",
            "~",
            "-n",
            "--",
            "line1\nline2",
            "tab\there",
            "!bang",
            "#hash",
            "x=1",
            "ünïcødé ✓",
            "'\"'\"'",
            "\\'",
            "%s");

    @Test
    void safeWordsStayBare() {
        assertEquals("abc-1.2_3/x:y,z@w%+=", Shell.quote("abc-1.2_3/x:y,z@w%+="));
    }

    @Test
    void everythingElseIsSingleQuoted() {
        assertEquals("''", Shell.quote(""));
        assertEquals("'two words'", Shell.quote("two words"));
        assertEquals("'it'\\''s'", Shell.quote("it's"));
        assertEquals("'$(id -u)'", Shell.quote("$(id -u)"));
        assertEquals("ls -l 'a b'", Shell.join(List.of("ls", "-l", "a b")));
    }

    @Test
    void nulCannotBeQuoted() {
        assertThrows(IllegalArgumentException.class, () -> Shell.quote("a\0b"));
    }

    @Test
    void nastyStringsSurviveARealShell() {
        List<String> argv = new ArrayList<>(List.of("printf", "%s\\0"));
        argv.addAll(NASTY);
        ExecResult r = LocalRemote.here().exec(Command.of(argv)).check();
        assertEquals(String.join("\0", NASTY) + "\0", r.stdout());
    }

    @Test
    void stdinAndExitStatusAndTimeout() {
        LocalRemote here = LocalRemote.here();
        assertEquals(
                "hello\n", here.exec(Command.of("cat").withStdin("hello\n")).stdout());
        assertEquals(3, here.exec(Command.sh("exit \"$1\"", "3")).exit());
        ExecResult slow = here.exec(Command.of("sleep", "30").withTimeout(java.time.Duration.ofSeconds(1)));
        assertEquals(ExecResult.TIMED_OUT, slow.exit());
    }
}
