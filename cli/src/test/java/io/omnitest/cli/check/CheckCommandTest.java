package io.omnitest.cli.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.omnitest.cli.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code omnitest check}: verdicts, evidence and exit codes, run in-process. */
class CheckCommandTest {
    /** The shared corpora; a test that reads them first calls {@code Cli.corpus(folder)}, which skips it if absent. */
    static final Path CORPUS = Cli.corpus();

    static final String GOOD =
            CORPUS.resolve("knossos/cas-register/good/cas-register-bug.edn").toString();
    static final String BAD =
            CORPUS.resolve("knossos/cas-register/bad/rethink-fail-minimal.edn").toString();

    @Test
    void goodFileIsValidAndSaysWhichModelItChose() {
        Cli.corpus("knossos");
        Cli r = Cli.run("check", GOOD);
        assertEquals(0, r.exit, r::toString);
        assertTrue(
                r.out.startsWith("== " + GOOD
                        + " (edn, 11 ops)\nmodel: cas-register (inferred from its read/write ops)\nVALID: "),
                r::toString);
        assertTrue(r.out.contains("\nstats: "), r::toString);
        assertEquals("", r.err);
    }

    @Test
    void badFileIsInvalidWithEvidence() {
        Cli.corpus("knossos");
        Cli r = Cli.run("check", BAD);
        assertEquals(1, r.exit, r::toString);
        assertTrue(r.out.contains("\nINVALID: "), r::toString);
        assertTrue(r.out.contains("\n  cannot linearize: process "), r::toString);
        assertTrue(r.out.contains("\n  possible states there: "), r::toString);
    }

    @Test
    void porcupineFilesGetTheirModels() {
        Cli.corpus("porcupine");
        Cli etcd =
                Cli.run("check", CORPUS.resolve("porcupine/etcd/etcd_002.log").toString());
        assertEquals(0, etcd.exit, etcd::toString);
        assertTrue(etcd.out.contains("\nmodel: etcd (inferred from the Jepsen etcd log format)\n"), etcd::toString);
        Cli kv = Cli.run("check", CORPUS.resolve("porcupine/kv/c10-bad.txt").toString());
        assertEquals(1, kv.exit, kv::toString);
        assertTrue(kv.out.contains("\nmodel: kv (inferred from the Porcupine kv log format)\n"), kv::toString);
    }

    @Test
    void listAppendGoesToElle() {
        Cli.corpus("elle");
        Cli r = Cli.run("check", CORPUS.resolve("elle/list-append-1000-bad.edn").toString());
        assertEquals(1, r.exit, r::toString);
        assertTrue(
                r.out.contains("\nmodel: list-append (inferred from its txns of append/r micro-ops)\n"), r::toString);
        assertTrue(r.out.contains("\n  incompatible-order (1):\n    - On key 17, "), r::toString);
        Cli ok = Cli.run(
                "check",
                "--workload",
                "list-append",
                CORPUS.resolve("elle/list-append-1000.jsonl").toString());
        assertEquals(0, ok.exit, ok::toString);
        assertTrue(ok.out.contains("\nmodel: list-append (given by --workload list-append)\n"), ok::toString);
    }

    /** A run's history of kv and list-append side by side: the model inferred, each part judged by its checker. */
    @Test
    void kvAndListAppendSideBySideAreEachJudgedByTheirOwnChecker(@TempDir Path dir) throws IOException {
        String put = "{\"type\":\"%s\",\"process\":0,\"f\":\"put\",\"value\":[\"k1\",\"a\"]}\n";
        String get = "{\"type\":\"%s\",\"process\":1,\"f\":\"get\",\"value\":[\"k1\",%s]}\n";
        String append = "{\"type\":\"%s\",\"process\":2,\"f\":\"txn\",\"value\":[[\"append\",\"l:k1\",1]]}\n";
        String read = "{\"type\":\"%s\",\"process\":3,\"f\":\"txn\",\"value\":[[\"r\",\"l:k1\",%s]]}\n";
        Path f = dir.resolve("mixed.jsonl");
        for (boolean lost : new boolean[] {false, true}) {
            Files.writeString(
                    f,
                    String.format(put, "invoke")
                            + String.format(put, "ok")
                            + String.format(append, "invoke")
                            + String.format(append, "ok")
                            + String.format(get, "invoke", "null")
                            + String.format(get, "ok", "\"a\"")
                            + String.format(read, "invoke", "null")
                            + String.format(read, "ok", lost ? "[]" : "[1]"));
            Cli r = Cli.run("check", f.toString());
            assertEquals(lost ? 1 : 0, r.exit, r::toString);
            assertTrue(
                    r.out.contains("\nmodel: kv,list-append (inferred from its get/put/txn ops: put/append/get"
                            + " and txns of append/r micro-ops side by side)\n"),
                    r::toString);
            if (lost) assertTrue(r.out.contains("\n  elle-list-append: INVALID: "), r::toString);
            Cli json = Cli.run("check", "--json", "--model", "kv,list-append", f.toString());
            assertEquals(lost ? 1 : 0, json.exit, json::toString);
            JsonNode checker =
                    new ObjectMapper().readTree(json.out).get("checkers").get("linearizable+elle-list-append");
            assertEquals(lost ? "false" : "true", checker.get("valid").asText(), json::toString);
            assertEquals(
                    "true",
                    checker.get("details")
                            .get("parts")
                            .get("linearizable")
                            .get("valid")
                            .asText());
        }
    }

    @Test
    void historyThatDoesNotFitTheModelIsUnknownExit2() {
        Cli.corpus("porcupine");
        Cli r = Cli.run(
                "check",
                "--model",
                "mutex",
                CORPUS.resolve("porcupine/kv/c01-ok.txt").toString());
        assertEquals(2, r.exit, r::toString);
        assertTrue(r.out.contains("\nmodel: mutex (given with --model)\nUNKNOWN: "), r::toString);
    }

    @Test
    void malformedFileIsExit65WithFileAndLine(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("history.jsonl");
        Files.writeString(
                f,
                "{\"index\":0,\"type\":\"invoke\",\"process\":0,\"f\":\"put\",\"value\":[\"k\",\"1\"]}\n"
                        + "{\"index\":1,\"type\":\"done\",\"process\":0,\"f\":\"put\",\"value\":[\"k\",\"1\"]}\n");
        Cli r = Cli.run("check", f.toString());
        assertEquals(65, r.exit, r::toString);
        assertEquals(f + ", line 2: unknown op type 'done' (expected invoke, ok, fail or info).\n", r.err);
        assertEquals("", r.out);
        Cli v = Cli.run("check", "-v", f.toString());
        assertTrue(v.err.contains("\tat io.omnitest.checker.history."), v::toString);
    }

    @Test
    void missingFileIsExit66() {
        Cli r = Cli.run("check", "/nonexistent/history.jsonl");
        assertEquals(66, r.exit, r::toString);
        assertEquals("/nonexistent/history.jsonl: no such file.\n", r.err);
    }

    @Test
    void severalFilesReportTheWorstProblem() {
        Cli.corpus("knossos");
        assertEquals(1, Cli.run("check", GOOD, BAD).exit);
        assertEquals(66, Cli.run("check", BAD, "/nonexistent/h.edn", GOOD).exit);
        Cli both = Cli.run("check", GOOD, BAD);
        assertTrue(both.out.indexOf("VALID") < both.out.indexOf("INVALID"), both::toString);
    }

    @Test
    void badOptionsAreExit64() {
        Cli model = Cli.run("check", "--model", "linear", GOOD);
        assertEquals(64, model.exit);
        assertEquals(
                "unknown model 'linear'; known models: register, cas-register, multi-register, mutex, kv, etcd, list-append, rw-register,"
                        + " or several joined with commas whose operations differ (kv,list-append).\n"
                        + "Try 'omnitest check --help' for usage.\n",
                model.err);
        Cli conflict = Cli.run("check", "--model", "kv", "--workload", "list-append", GOOD);
        assertEquals(64, conflict.exit);
        assertEquals(64, Cli.run("check", "--workload", "bank", GOOD).exit);
        assertEquals(64, Cli.run("check", "--model", "kv,linear", GOOD).exit);
        assertEquals(64, Cli.run("check", "--model", "list-append,multi-register", GOOD).exit); // both judge txns
        assertEquals(64, Cli.run("check", "--workload", "kv,bank", GOOD).exit);
        assertEquals(64, Cli.run("check", "--time-limit", "0", GOOD).exit);
        assertEquals(64, Cli.run("check").exit);
    }

    @Test
    void historyWithoutAKnownModelIsExit64(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("h.jsonl");
        Files.writeString(f, "{\"type\":\"invoke\",\"process\":0,\"f\":\"transfer\",\"value\":5}\n");
        Cli r = Cli.run("check", f.toString());
        assertEquals(64, r.exit, r::toString);
        assertEquals(f + ": cannot infer a model from its operations (transfer); name one with --model.\n", r.err);
    }

    @Test
    void jsonOutputIsOneObjectPerFile() throws IOException {
        Cli.corpus("knossos");
        Cli r = Cli.run("check", "--json", GOOD, BAD, "/nonexistent/h.edn");
        assertEquals(66, r.exit, r::toString);
        String[] lines = r.out.split("\n");
        assertEquals(3, lines.length, r::toString);
        ObjectMapper json = new ObjectMapper();
        JsonNode good = json.readTree(lines[0]);
        assertEquals(true, good.get("valid").asBoolean());
        assertEquals(0, good.get("exit").asInt());
        assertEquals("cas-register", good.get("model").asText());
        assertEquals("edn", good.get("format").asText());
        assertTrue(good.get("checkers").has("linearizable"));
        assertTrue(good.get("checkers").has("stats"));
        JsonNode bad = json.readTree(lines[1]);
        assertEquals(false, bad.get("valid").asBoolean());
        assertEquals(false, bad.get("checkers").get("linearizable").get("valid").asBoolean());
        JsonNode missing = json.readTree(lines[2]);
        assertEquals(66, missing.get("exit").asInt());
        assertEquals("/nonexistent/h.edn: no such file.", missing.get("error").asText());
    }
}
