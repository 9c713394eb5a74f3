package io.omnitest.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLayoutTest {
    private static final Instant START = Instant.parse("2026-11-22T03:04:05.067Z");

    @Test
    void namesFollowTheDesign() {
        assertEquals("omnipaxos-kv-none", StoreLayout.testName("kv", List.of()));
        assertEquals(
                "omnipaxos-list-append-kill+partition-chain",
                StoreLayout.testName("list-append", List.of("kill", "partition-chain")));
        assertEquals("20261122T030405.067", StoreLayout.timestamp(START, ZoneOffset.UTC));
        assertEquals("20261122T040405.067", StoreLayout.timestamp(START, ZoneId.of("Europe/Stockholm")));
        assertEquals(
                Path.of("store/omnipaxos-kv-none/20261122T030405.067"),
                StoreLayout.runDir(Path.of("store"), "omnipaxos-kv-none", START, ZoneOffset.UTC));
        assertEquals(Path.of("r/nodes/n3"), StoreLayout.nodeDir(Path.of("r"), "n3"));
    }

    @Test
    void sameMillisecondRunsGetDistinctDirectoriesAndLatestFollowsTheNewest(@TempDir Path store) throws Exception {
        Path first = StoreLayout.create(store, "t", START, ZoneOffset.UTC);
        Path second = StoreLayout.create(store, "t", START, ZoneOffset.UTC);
        assertEquals(store.resolve("t/20261122T030405.067"), first);
        assertEquals(store.resolve("t/20261122T030405.067.1"), second);

        StoreLayout.linkLatest(store, first);
        assertEquals(Path.of("t/20261122T030405.067"), Files.readSymbolicLink(store.resolve("latest")));
        StoreLayout.linkLatest(store, second);
        assertEquals(Path.of("t/20261122T030405.067.1"), Files.readSymbolicLink(store.resolve("latest")));
        assertEquals(Path.of("20261122T030405.067.1"), Files.readSymbolicLink(store.resolve("t/latest")));
        Files.writeString(second.resolve("x"), "y");
        assertEquals("y", Files.readString(store.resolve("latest/x")));
    }
}
