package io.omnitest.cli.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.cli.Cli;
import io.omnitest.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code omnitest check} through the start-up fast paths (Main's root with only {@code check},
 * and {@link CheckArgs} without picocli) answers exactly as through the full command line.
 */
class CheckFastPathTest {
    private static String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Main.checkOnly(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(args);
        return new String[] {String.valueOf(exit), out.toString(), err.toString()};
    }

    /** Through {@link CheckArgs}, or null where it leaves the line to picocli. */
    private static String[] direct(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        Integer exit = CheckArgs.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return exit == null ? null : new String[] {String.valueOf(exit), out.toString(), err.toString()};
    }

    private static void assertSame(Cli full, String[] fast, String[] args) {
        String what = String.join(" ", args);
        assertEquals(String.valueOf(full.exit), fast[0], what);
        assertEquals(full.out, fast[1], what);
        if ((List.of(args).contains("-v") || List.of(args).contains("--verbose"))
                && full.err.contains("\tat ")) { // stack traces: the same exception, frames may differ
            assertEquals(full.err.lines().findFirst(), fast[2].lines().findFirst(), what);
            assertTrue(fast[2].contains("\tat "), fast[2]);
        } else {
            assertEquals(full.err, fast[2], what);
        }
    }

    @Test
    void sameOutputExitCodesAndHelp() {
        String[][] cases = {
            {"check", CheckCommandTest.GOOD, CheckCommandTest.BAD},
            {"check", "-v", "/nonexistent/h.edn"},
            {"check", "--json", CheckCommandTest.GOOD},
            {"check", "--model", "nope", CheckCommandTest.GOOD},
            {"check", "--help"},
        };
        for (String[] args : cases) assertSame(Cli.run(args), run(args), args);
        assertTrue(run("check", "--help")[1].startsWith("Usage: omnitest check "));
    }

    @Test
    void directPathReadsPlainLinesAsPicocliDoes(@TempDir Path dir) throws IOException {
        Path jsonl = Files.writeString(dir.resolve("h.jsonl"), """
                {"index":0,"time":10,"type":"invoke","process":0,"f":"write","value":1}
                {"index":1,"time":20,"type":"ok","process":0,"f":"write","value":1}
                {"index":2,"time":30,"type":"invoke","process":1,"f":"read","value":null}
                {"index":3,"time":40,"type":"ok","process":1,"f":"read","value":2}
                """);
        Path log = Files.writeString(dir.resolve("etcd.log"), """
                INFO  jepsen.util - 0\t:invoke\t:write\t3
                INFO  jepsen.util - 0\t:ok\t:write\t3
                INFO  jepsen.util - 1\t:invoke\t:read\tnil
                INFO  jepsen.util - 1\t:ok\t:read\t3
                """);
        Path empty = Files.writeString(dir.resolve("empty.jsonl"), "");
        String h = jsonl.toString(), e = log.toString();
        String[][] plain = {
            {"check", h},
            {"check", e, h},
            {"check", "-v", h, "--json"},
            {"check", "--verbose", dir.resolve("missing.edn").toString()},
            {"check", "-v", dir.toString()},
            {"check", "--model", "register", h},
            {"check", "--model=cas-register", "--search-limit", "2.5", h},
            {"check", "--time-limit=7", "--search-memory", "64", e},
            {"check", "--workload", "kv", "--model", "kv", h},
            {"check", empty.toString(), "--json"},
        };
        for (String[] args : plain) {
            String[] fast = direct(args);
            assertNotNull(fast, "a plain line must take the fast path: " + String.join(" ", args));
            assertSame(Cli.run(args), fast, args);
        }
        // Everything else is picocli's: help, errors, odd spellings, values it might read otherwise.
        String[][] picocli = {
            {"check"},
            {"check", "--help"},
            {"check", "-h", h},
            {"check", "-V"},
            {"check", "--", h},
            {"check", "@" + h},
            {"check", "--model", "nope", h},
            {"check", "--workload", "kv", "--model", "register", h},
            {"check", "--workload", "bank", h},
            {"check", "--search-limit", "0", h},
            {"check", "--search-limit", "1e3", h},
            {"check", "--search-limit", "010", h},
            {"check", "--search-memory", "0", h},
            {"check", "--search-memory", "0x10", h},
            {"check", "--search-limit", "5", "--time-limit", "6", h},
            {"check", "--json", "--json", h},
            {"check", "--json=true", h},
            {"check", "-vx", h},
            {"check", "--model"},
            {"check", "--model", "--json", h},
            {"check", "--unknown", h},
            {"check", "-", h},
            {"check", ""},
            {"check", "bad\0path"},
        };
        List<String> failures = new ArrayList<>();
        for (String[] args : picocli) {
            if (direct(args) != null) failures.add(String.join(" ", args));
            else assertSame(Cli.run(args), run(args), args);
        }
        assertEquals(List.of(), failures, "lines the fast path must leave to picocli");
        assertNull(direct("report", h));
    }
}
