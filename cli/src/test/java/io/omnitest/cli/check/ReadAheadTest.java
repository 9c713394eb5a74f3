package io.omnitest.cli.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.omnitest.checker.history.HistoryReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a file read ahead gives is what reading it then would have given: its history or its error. */
class ReadAheadTest {
    private static String history(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append("{\"index\":")
                    .append(2 * i)
                    .append(",\"type\":\"invoke\",\"process\":0,\"f\":\"write\",\"value\":")
                    .append(i)
                    .append("}\n");
            b.append("{\"index\":")
                    .append(2 * i + 1)
                    .append(",\"type\":\"ok\",\"process\":0,\"f\":\"write\",\"value\":")
                    .append(i)
                    .append("}\n");
        }
        return b.toString();
    }

    @Test
    void everyFileReadsAsItWouldAloneWhicheverWereReadAhead(@TempDir Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Path f = dir.resolve("h" + i + ".jsonl");
            Files.writeString(f, history(i + 1));
            files.add(f);
        }
        Path big = dir.resolve("big.jsonl"); // above the read-ahead bound: read when asked for
        Files.writeString(big, history(200));
        files.add(2, big);
        try (ReadAhead ahead = new ReadAhead(files, 4096)) {
            for (int i = 0; i < files.size(); i++) {
                HistoryReader.Read read = ahead.read(i);
                HistoryReader.Read alone = HistoryReader.read(files.get(i));
                assertEquals(
                        alone.history().ops(),
                        read.history().ops(),
                        files.get(i).toString());
                assertEquals(alone.format(), read.format());
            }
        }
    }

    @Test
    void aFileThatCannotBeReadFailsWhenAskedForWithTheReadersError(@TempDir Path dir) throws IOException {
        Path good = dir.resolve("good.jsonl");
        Files.writeString(good, history(2));
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"index\":0,\"type\":\"done\",\"process\":0,\"f\":\"write\",\"value\":1}\n");
        Path missing = dir.resolve("missing.jsonl");
        List<Path> files = List.of(good, bad, missing, good);
        Exception badAlone = assertThrows(Exception.class, () -> HistoryReader.read(bad));
        Exception missingAlone = assertThrows(Exception.class, () -> HistoryReader.read(missing));
        try (ReadAhead ahead = new ReadAhead(files, 1 << 20)) {
            assertEquals(2, ahead.read(0).history().ops().size() / 2);
            Exception badAhead = assertThrows(Exception.class, () -> ahead.read(1)); // read ahead: a regular file
            assertEquals(badAlone.getClass(), badAhead.getClass());
            assertEquals(badAlone.getMessage(), badAhead.getMessage());
            Exception missingAhead = assertThrows(Exception.class, () -> ahead.read(2)); // not read ahead
            assertEquals(missingAlone.getClass(), missingAhead.getClass());
            assertEquals(missingAlone.getMessage(), missingAhead.getMessage());
            assertEquals(4, ahead.read(3).history().ops().size());
            // asked for out of order: read then
            assertEquals(4, ahead.read(0).history().ops().size());
        }
    }
}
