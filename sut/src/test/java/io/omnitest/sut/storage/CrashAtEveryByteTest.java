package io.omnitest.sut.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.sut.core.Ballot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash can cut the log file at any byte. For every possible cut of a log written by a random
 * mix of mutations, reopening must yield exactly the state of the last sync that fits in the cut.
 */
class CrashAtEveryByteTest {
    @TempDir
    Path dir;

    private record State(Ballot promise, Ballot accepted, long decided, List<String> log) {
        static State of(FileStorage s) {
            return new State(s.promise(), s.acceptedRound(), s.decidedIdx(), s.entries(0, s.logLength()));
        }
    }

    @Test
    void everyCutReopensAtTheLastSyncBeforeIt() throws IOException {
        Random random = new Random(1234);
        Path live = dir.resolve("live");
        List<Long> sizes = new ArrayList<>();
        List<State> states = new ArrayList<>();
        try (FileStorage s = FileStorage.open(live, line -> {})) {
            sizes.add(0L);
            states.add(State.of(s));
            for (int batch = 0; batch < 40; batch++) {
                for (int op = random.nextInt(4); op >= 0; op--) mutate(s, random);
                s.sync();
                sizes.add(Files.size(live.resolve(FileStorage.WAL)));
                states.add(State.of(s));
            }
        }
        byte[] image = Files.readAllBytes(live.resolve(FileStorage.WAL));
        for (int cut = 0; cut <= image.length; cut++) {
            Path crashed = dir.resolve("cut" + cut);
            Files.createDirectories(crashed);
            Files.write(crashed.resolve(FileStorage.WAL), Arrays.copyOf(image, cut));
            int expected = 0;
            while (expected + 1 < sizes.size() && sizes.get(expected + 1) <= cut) expected++;
            try (FileStorage s = FileStorage.open(crashed, line -> {})) {
                assertEquals(states.get(expected), State.of(s), "cut at byte " + cut);
            }
        }
    }

    private static void mutate(FileStorage s, Random random) {
        switch (random.nextInt(5)) {
            case 0 -> s.setPromise(new Ballot(random.nextInt(100), 0, 1 + random.nextInt(3)));
            case 1 -> s.setAcceptedRound(new Ballot(random.nextInt(100), 0, 1 + random.nextInt(3)));
            case 2 -> s.setDecidedIdx(random.nextInt((int) s.logLength() + 1));
            case 3 -> s.truncate(random.nextInt((int) s.logLength() + 1));
            default -> {
                List<String> entries = new ArrayList<>();
                for (int i = random.nextInt(3); i >= 0; i--) entries.add("entry-" + random.nextInt(1000) + "-ü");
                s.append(entries);
            }
        }
    }
}
