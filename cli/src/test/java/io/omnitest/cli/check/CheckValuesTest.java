package io.omnitest.cli.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.cli.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From file to verdict: a number past a long is not the string of its digits; nil writes in multi-register. */
class CheckValuesTest {
    static String op(int index, String type, int process, String f, String value) {
        return "{\"index\":" + index + ",\"type\":\"" + type + "\",\"process\":" + process + ",\"f\":\"" + f
                + "\",\"value\":" + value + "}\n";
    }

    @Test
    void twoToThe64IsNotItsDigits(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("h.jsonl");
        Files.writeString(
                f,
                op(0, "invoke", 0, "write", "18446744073709551616")
                        + op(1, "ok", 0, "write", "18446744073709551616")
                        + op(2, "invoke", 1, "read", "null")
                        + op(3, "ok", 1, "read", "\"18446744073709551616\""));
        Cli r = Cli.run("check", "--model", "cas-register", f.toString());
        assertEquals(1, r.exit, r::toString);
        Files.writeString(
                f,
                op(0, "invoke", 0, "write", "18446744073709551616")
                        + op(1, "ok", 0, "write", "18446744073709551616")
                        + op(2, "invoke", 1, "read", "null")
                        + op(3, "ok", 1, "read", "18446744073709551616"));
        assertEquals(0, Cli.run("check", "--model", "cas-register", f.toString()).exit);
    }

    @Test
    void multiRegisterWriteOfNilIsChecked(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("h.edn");
        Files.writeString(
                f,
                "{:type :invoke, :process 0, :f :txn, :value [[:write :x nil]]}\n"
                        + "{:type :ok, :process 0, :f :txn, :value [[:write :x nil]]}\n"
                        + "{:type :invoke, :process 1, :f :txn, :value [[:read :x nil]]}\n"
                        + "{:type :ok, :process 1, :f :txn, :value [[:read :x 0]]}\n");
        Cli r = Cli.run("check", "--model", "multi-register", f.toString());
        assertEquals(1, r.exit, r::toString);
        assertTrue(r.out.contains("\nINVALID: "), r::toString);
    }
}
