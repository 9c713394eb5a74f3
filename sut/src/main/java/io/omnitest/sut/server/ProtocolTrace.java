package io.omnitest.sut.server;

import io.omnitest.sut.core.Ballot;
import io.omnitest.sut.storage.FileStorage;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The node's protocol trace ({@code --trace FILE}): one JSON object per line for each event that
 * omnitest's {@code protocol-trace} checker needs to check Paxos' safety invariants on a real run,
 * where the history alone shows a broken invariant only if a later fault happens to expose it.
 * Every event has {@code "ev"} and {@code "t"}, the node's {@link System#nanoTime()}: on Linux the
 * monotonic clock, one clock for every process of one kernel, which {@code "boot"} (the kernel's
 * boot id) names, so events of nodes on one machine can be put in one order. Ballots are
 * {@code [n, priority, pid]}, compared in that order.
 *
 * <ul>
 *   <li>{@code start}: {@code node}, {@code nodes} (the cluster size), {@code boot}, and what the
 *       node recovered from its data dir: {@code promise}, {@code round} (accepted round),
 *       {@code len} (log length);
 *   <li>{@code durable}: an fsync returned; {@code promise}, {@code round}, {@code len} are now on
 *       disk (written before the node sends anything that vouches for them);
 *   <li>{@code decided}: as leader of {@code ballot}, the node raised its decided index to
 *       {@code idx};
 *   <li>{@code learned}: the node (leader or follower) raised its decided index to {@code idx}
 *       while its promise and accepted round in memory were {@code promise} and {@code round};
 *   <li>{@code read-ack}: the node confirmed a leader read of {@code ballot}; {@code promise} is
 *       its promise when the round of events that produced the confirmation began (a promise raised
 *       later in that round came after it);
 *   <li>{@code full}: the trace reached {@link #MAX_BYTES} and stops here.
 * </ul>
 *
 * <p>Written by the node's loop thread only; {@link #flush} runs before anything leaves the node
 * in a round, so a killed node never sent a message whose cause is missing from its trace.
 */
final class ProtocolTrace implements Closeable {
    /** The most a trace takes on disk (a run of some hours at the default rate stays well below). */
    static final long MAX_BYTES = 512L << 20;

    private final Writer out;
    private long bytes;
    private boolean full;
    private boolean dirty;

    private ProtocolTrace(Writer out, long bytes) {
        this.out = out;
        this.bytes = bytes;
    }

    /** Opens {@code file} for appending (a restarted node goes on in the same file), owner-only if created. */
    static ProtocolTrace open(Path file) throws IOException {
        FileAttribute<?>[] attrs =
                FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                        ? new FileAttribute<?>[] {
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
                        }
                        : new FileAttribute<?>[0];
        var channel = Files.newByteChannel(
                file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND), attrs);
        long size = channel.size();
        return new ProtocolTrace(
                new BufferedWriter(
                        new OutputStreamWriter(Channels.newOutputStream(channel), StandardCharsets.UTF_8), 1 << 16),
                size);
    }

    /** The kernel's boot id, which names the monotonic clock the timestamps come from; "unknown" if unreadable. */
    static String bootId() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    void start(int node, int nodes, FileStorage.OnDisk recovered) {
        write("{\"ev\":\"start\",\"t\":" + System.nanoTime() + ",\"node\":" + node + ",\"nodes\":" + nodes
                + ",\"boot\":\"" + bootId().replaceAll("[^0-9A-Za-z-]", "") + "\"" + state(recovered) + "}");
        flush();
    }

    void durable(FileStorage.OnDisk d) {
        write("{\"ev\":\"durable\",\"t\":" + System.nanoTime() + state(d) + "}");
    }

    void decided(Ballot ballot, long idx) {
        write("{\"ev\":\"decided\",\"t\":" + System.nanoTime() + ",\"ballot\":" + json(ballot) + ",\"idx\":" + idx
                + "}");
    }

    void learned(long idx, Ballot promise, Ballot round) {
        write("{\"ev\":\"learned\",\"t\":" + System.nanoTime() + ",\"idx\":" + idx + ",\"promise\":" + json(promise)
                + ",\"round\":" + json(round) + "}");
    }

    void readAck(Ballot ballot, Ballot promise) {
        write("{\"ev\":\"read-ack\",\"t\":" + System.nanoTime() + ",\"ballot\":" + json(ballot) + ",\"promise\":"
                + json(promise) + "}");
    }

    /** Hands what was written to the OS (a kill does not lose it); nothing to do if nothing was. */
    void flush() {
        if (!dirty) return;
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("protocol trace: " + e.getMessage(), e);
        }
        dirty = false;
    }

    @Override
    public void close() throws IOException {
        out.close();
    }

    private static String state(FileStorage.OnDisk d) {
        return ",\"promise\":" + json(d.promise()) + ",\"round\":" + json(d.acceptedRound()) + ",\"len\":" + d.length();
    }

    private static String json(Ballot b) {
        return "[" + b.n() + "," + b.priority() + "," + b.pid() + "]";
    }

    private void write(String line) {
        if (full) return;
        try {
            if (bytes + line.length() + 64 > MAX_BYTES) {
                full = true;
                line = "{\"ev\":\"full\",\"t\":" + System.nanoTime() + "}";
            }
            out.write(line);
            out.write('\n');
            bytes += line.length() + 1;
            dirty = true;
        } catch (IOException e) {
            throw new UncheckedIOException("protocol trace: " + e.getMessage(), e);
        }
    }
}
