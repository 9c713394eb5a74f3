package io.omnitest.faultfs;

import java.io.Closeable;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The control channel: a Unix domain socket, one request line and one reply line per connection.
 * Nobody but this process's own user may use it: the socket must live in a directory that user
 * owns with no group or other access (checked at start), and each connecting peer's user, from
 * {@code SO_PEERCRED}, must be this process's user. Requests are bounded to
 * {@link ControlCommand#MAX_LINE} bytes before anything is allocated for them.
 */
public final class ControlServer implements Closeable {
    private final ServerSocketChannel server;
    private final Path socket;
    private final UnaryOperator<String> handler;
    private final Consumer<String> log;
    private final Thread thread;

    private ControlServer(
            ServerSocketChannel server, Path socket, UnaryOperator<String> handler, Consumer<String> log) {
        this.server = server;
        this.socket = socket;
        this.handler = handler;
        this.log = log;
        this.thread = new Thread(this::serve, "faultfs-control");
        this.thread.setDaemon(true);
    }

    /**
     * Binds {@code socket} (replacing a stale one) and starts answering.
     *
     * @throws IllegalArgumentException if the socket's directory is not private to this user
     */
    public static ControlServer start(Path socket, UnaryOperator<String> handler, Consumer<String> log)
            throws IOException {
        requirePrivateDir(socket.toAbsolutePath().getParent());
        Files.deleteIfExists(socket);
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        ControlServer c = new ControlServer(s, socket, handler, log);
        c.thread.start();
        return c;
    }

    static void requirePrivateDir(Path dir) throws IOException {
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir, LinkOption.NOFOLLOW_LINKS);
        Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        Object me = Files.getAttribute(Path.of("/proc/self/"), "unix:uid");
        boolean open = p.stream()
                .anyMatch(x -> x.name().startsWith("GROUP") || x.name().startsWith("OTHERS"));
        if (open || !owner.equals(me) || Files.isSymbolicLink(dir)) {
            throw new IllegalArgumentException("the control socket's directory " + dir + " must be owned by uid " + me
                    + " with mode 0700 (it is " + PosixFilePermissions.toString(p) + ", uid " + owner + ")");
        }
    }

    private void serve() {
        String me = System.getProperty("user.name");
        while (server.isOpen()) {
            try (SocketChannel c = server.accept()) {
                UnixDomainPrincipal peer = c.getOption(ExtendedSocketOptions.SO_PEERCRED);
                if (!peer.user().getName().equals(me)) {
                    log.accept("faultfs: refused a control connection from user "
                            + peer.user().getName());
                    continue;
                }
                String line = readLine(c);
                String reply = line == null
                        ? "error request longer than " + ControlCommand.MAX_LINE + " bytes or unterminated"
                        : handler.apply(line);
                c.write(ByteBuffer.wrap((reply + "\n").getBytes(StandardCharsets.UTF_8)));
            } catch (IOException | RuntimeException e) {
                if (server.isOpen()) log.accept("faultfs: control connection failed: " + e.getMessage());
            }
        }
    }

    /** One line of at most MAX_LINE bytes, or null. */
    static String readLine(SocketChannel c) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(ControlCommand.MAX_LINE);
        while (b.hasRemaining()) {
            if (c.read(b) < 0) break;
            for (int i = 0; i < b.position(); i++) {
                if (b.get(i) == '\n') return new String(b.array(), 0, i, StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** Sends one request line over {@code socket}; returns the reply line. */
    public static String request(Path socket, String line) throws IOException {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            c.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8)));
            c.shutdownOutput();
            ByteBuffer b = ByteBuffer.allocate(4096);
            while (b.hasRemaining() && c.read(b) >= 0) {
                // read until the server closes
            }
            return new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).strip();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        Files.deleteIfExists(socket);
    }
}
