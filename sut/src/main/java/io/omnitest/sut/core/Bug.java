package io.omnitest.sut.core;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Deliberate bugs the node can be started with ({@code --bug NAME}), so that omnitest can prove
 * it catches real mistakes. Each is one realistic mistake; all are off by default, and a node
 * with none of them behaves exactly as the correct implementation.
 */
public enum Bug {
    STALE_READ(
            "stale-read",
            "any node answers get (and read-only txns) at once from its local state, without going through the log"),
    NO_DEDUP("no-dedup", "execute a retried command again instead of answering from the client's session"),
    NO_FSYNC(
            "no-fsync",
            "acknowledge state before it is durable: the log is buffered in memory (written about once a second, never fsynced), so kill -9 loses its tail"),
    EARLY_ACK(
            "early-ack", "the leader answers the client once it accepted an entry itself, before the entry is decided"),
    FORGET_PROMISE(
            "forget-promise",
            "do not persist the promise, so after a restart the node promises and accepts an older leader's proposals"),
    BLE_NO_QUORUM_CHECK(
            "ble-no-quorum-check", "Ballot Leader Election lets a server take over without being quorum-connected"),
    SKIP_ACCEPT_SYNC(
            "skip-accept-sync",
            "a new leader does not synchronise follower logs: its AcceptSync only appends what a follower lacks, so a divergent suffix stays");

    private final String cliName;
    private final String description;

    Bug(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    /** The name used on command lines and in test.json, e.g. {@code stale-read}. */
    public String cliName() {
        return cliName;
    }

    /** One line saying what the mistake is. */
    public String description() {
        return description;
    }

    /** Every bug's name, comma-separated, for error messages. */
    public static String names() {
        return Arrays.stream(values()).map(Bug::cliName).collect(Collectors.joining(", "));
    }

    /** @throws IllegalArgumentException naming the valid bugs when {@code name} is none of them */
    public static Bug parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Bug b : values()) if (b.cliName.equals(n)) return b;
        throw new IllegalArgumentException("unknown bug '" + name.trim() + "'; known bugs: " + names());
    }

    /** Parses names given as repeated options and/or comma-separated lists; empty items are ignored. */
    public static Set<Bug> parseAll(List<String> lists) {
        Set<Bug> bugs = EnumSet.noneOf(Bug.class);
        for (String list : lists) {
            for (String item : list.split(",")) if (!item.isBlank()) bugs.add(parse(item));
        }
        return bugs;
    }
}
