package io.omnitest.cli.nemesis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.cli.Main;
import io.omnitest.nuke.Nemeses;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

class NemesisCommandTest {
    @Test
    void listShowsOneLinePerNemesis() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertEquals(0, Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "nemesis", "list"));
        List<String> lines = out.toString().lines().toList();
        assertEquals(Nemeses.all().size() + 2, lines.size());
        assertTrue(lines.get(lines.size() - 2).startsWith("all "), lines::toString);
        assertTrue(lines.get(lines.size() - 1).startsWith("general "), lines::toString);
        lines = lines.subList(0, Nemeses.all().size());
        // one line per registered nemesis, in their order (nuke's NemesesTest pins the list itself)
        assertEquals(
                Nemeses.all().stream().map(Nemeses.Spec::name).toList(),
                lines.stream().map(l -> l.split(" +")[0]).toList());
        assertEquals(
                "kill                            SIGKILL the SUT on a random minority of nodes, restart them on heal",
                lines.get(10));
        assertEquals("", err.toString());
    }

    @Test
    void bareNemesisShowsUsage() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        assertEquals(64, Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "nemesis"));
        assertTrue(err.toString().contains("list"), err.toString());
    }
}
