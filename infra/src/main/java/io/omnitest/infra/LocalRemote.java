package io.omnitest.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Remote} that runs commands on this machine through {@code sh -c}, exactly as
 * {@link SshRemote} builds its line, optionally inside a network namespace
 * ({@code ip netns exec}). Files are copied, since namespaces share the file system.
 * Used by tests and to set up the local cluster.
 */
public final class LocalRemote implements Remote {
    private static final long GRACE_MS = 10_000;

    private final Host host;
    private final String netns;

    /**
     * @param host the host this stands for (its name appears in results and messages)
     * @param netns the network namespace to run commands in; null for this machine's own
     */
    public LocalRemote(Host host, String netns) {
        this.host = host;
        this.netns = netns;
    }

    /** A remote for this machine itself, as root or the current user. */
    public static LocalRemote here() {
        String user = System.getProperty("user.name");
        return new LocalRemote(
                new Host("localhost", "127.0.0.1", 22, user, null, null, true, "/tmp/omnitest-local"), null);
    }

    @Override
    public Host host() {
        return host;
    }

    @Override
    public ExecResult exec(Command command) {
        boolean root = "root".equals(System.getProperty("user.name"));
        String line = SshRemote.remoteLine(command, root);
        List<String> argv = new ArrayList<>();
        if (netns != null) {
            argv.addAll(List.of("ip", "netns", "exec", netns));
        }
        argv.addAll(List.of("sh", "-c", line));
        Process p;
        try {
            p = new ProcessBuilder(argv).start();
        } catch (IOException e) {
            throw new RemoteException("cannot start `" + line + "` on " + host.name() + ": " + e.getMessage() + ".", e);
        }
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            if (command.stdin() != null) {
                in.write(command.stdin());
            }
        } catch (IOException e) {
            // the command exited without reading all its input; its exit status tells the rest
        }
        try {
            int exit;
            if (command.timeout() == null) {
                exit = p.waitFor();
            } else if (p.waitFor(command.timeout().toMillis() + GRACE_MS, TimeUnit.MILLISECONDS)) {
                exit = p.exitValue();
            } else {
                p.destroyForcibly();
                exit = ExecResult.TIMED_OUT;
            }
            return new ExecResult(
                    host.name(),
                    line,
                    exit,
                    new String(out.join(), StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new RemoteException("interrupted while running `" + line + "` on " + host.name() + ".", e);
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try (stream) {
                        ByteArrayOutputStream buf = new ByteArrayOutputStream();
                        stream.transferTo(buf);
                        return buf.toByteArray();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                r -> {
                    Thread t = new Thread(r, "local-remote-drain");
                    t.setDaemon(true);
                    t.start();
                });
    }

    @Override
    public void upload(Path local, String remotePath) {
        copy(local, Path.of(remotePath));
    }

    @Override
    public void download(String remotePath, Path local) {
        copy(Path.of(remotePath), local);
    }

    private void copy(Path from, Path to) {
        try {
            Path parent = to.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new RemoteException(
                    "cannot copy " + from + " to " + to + " on " + host.name() + ": " + e.getMessage() + ".", e);
        }
    }

    @Override
    public void close() {
        // nothing is held open between commands
    }
}
