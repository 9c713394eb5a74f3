package io.omnitest.infra;

import com.jcraft.jsch.ChannelExec;
import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.HostKey;
import com.jcraft.jsch.HostKeyRepository;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * A {@link Remote} over SSH (JSch): public-key authentication, host keys checked against a
 * known_hosts file, several channels at once over one session, and one reconnect when the
 * session turns out broken before a command starts.
 *
 * <p>A command whose connection breaks after it started is not retried (it may have run);
 * that is a {@link RemoteException}. Private keys are read by JSch from their file and
 * never appear in logs or messages, only their path.
 */
public final class SshRemote implements Remote {
    private static final System.Logger LOG = System.getLogger(SshRemote.class.getName());
    /** Parallel channels per host; OpenSSH's default MaxSessions is 10. */
    private static final int CHANNELS = 8;

    private static final int CONNECT_TIMEOUT_MS = 10_000;
    /** Grace after a command's own timeout before the channel is abandoned. */
    private static final long GRACE_MS = 10_000;

    private final Host host;
    private final Semaphore channels = new Semaphore(CHANNELS);
    private Session session;
    /** Whether a session was ever established: failing the first connect is the environment's fault. */
    private boolean everConnected;

    public SshRemote(Host host) {
        this.host = host;
    }

    @Override
    public Host host() {
        return host;
    }

    @Override
    public ExecResult exec(Command command) {
        String line = remoteLine(command);
        byte[] stdin = command.stdin() != null ? command.stdin() : new byte[0];
        ByteArrayOutputStream[] out = new ByteArrayOutputStream[2];
        channels.acquireUninterruptibly();
        try {
            ChannelExec ch = withRetry(
                    s -> {
                        ChannelExec c = (ChannelExec) s.openChannel("exec");
                        c.setCommand(line);
                        c.setInputStream(new ByteArrayInputStream(stdin));
                        out[0] = new ByteArrayOutputStream();
                        out[1] = new ByteArrayOutputStream();
                        c.setOutputStream(out[0], true);
                        c.setErrStream(out[1], true);
                        try {
                            c.connect(CONNECT_TIMEOUT_MS);
                        } catch (JSchException e) {
                            c.disconnect();
                            throw e;
                        }
                        return c;
                    },
                    host + ": " + line);
            return await(ch, command, line, out[0], out[1]);
        } finally {
            channels.release();
        }
    }

    /** The shell line sent to the host: optional sudo and timeout, then the quoted argv. */
    static String remoteLine(Command command, boolean asRoot) {
        List<String> argv = new ArrayList<>();
        if (command.sudo() && !asRoot) {
            argv.addAll(List.of("sudo", "-n", "--"));
        }
        if (command.timeout() != null) {
            long secs = Math.max(1, (command.timeout().toMillis() + 999) / 1000);
            argv.addAll(List.of("timeout", "-k", "2", secs + "s"));
        }
        argv.addAll(command.argv());
        return Shell.join(argv);
    }

    private String remoteLine(Command command) {
        return remoteLine(command, host.user().equals("root"));
    }

    private interface ChannelOpener<C extends com.jcraft.jsch.Channel> {
        C open(Session s) throws JSchException;
    }

    /**
     * Opens and connects a channel; if that fails, reconnects the session once and tries
     * again. Nothing has run on the host before the channel is connected, so this retry
     * never runs a command twice.
     */
    private <C extends com.jcraft.jsch.Channel> C withRetry(ChannelOpener<C> opener, String what) {
        JSchException first = null;
        Session s = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            s = session(s);
            try {
                return opener.open(s);
            } catch (JSchException e) {
                first = first == null ? e : first;
                LOG.log(System.Logger.Level.INFO, "SSH session to {0} is broken ({1}); reconnecting", host, clean(e));
            }
        }
        throw new RemoteException("cannot open an SSH channel to " + host + ": " + clean(first) + ".", first);
    }

    private ExecResult await(
            ChannelExec ch, Command command, String line, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        long limit = command.timeout() == null
                ? Long.MAX_VALUE
                : System.currentTimeMillis() + command.timeout().toMillis() + GRACE_MS;
        try {
            while (!ch.isClosed()) {
                if (System.currentTimeMillis() > limit) {
                    return result(line, ExecResult.TIMED_OUT, out, err);
                }
                Thread.sleep(2);
            }
            int exit = ch.getExitStatus();
            if (exit < 0) {
                invalidate();
                throw new RemoteException(
                        "the SSH connection to " + host + " broke while running `" + abbreviate(line) + "`.");
            }
            return result(line, exit, out, err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteException("interrupted while running `" + abbreviate(line) + "` on " + host + ".", e);
        } finally {
            ch.disconnect();
        }
    }

    private ExecResult result(String line, int exit, ByteArrayOutputStream out, ByteArrayOutputStream err) {
        return new ExecResult(
                host.name(), line, exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void upload(Path local, String remotePath) {
        sftp("upload " + local + " to " + remotePath, c -> c.put(local.toString(), remotePath));
    }

    @Override
    public void download(String remotePath, Path local) {
        try {
            Path parent = local.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (java.io.IOException e) {
            throw new RemoteException("cannot create " + local.getParent() + ": " + e.getMessage() + ".", e);
        }
        sftp("download " + remotePath + " to " + local, c -> c.get(remotePath, local.toString()));
    }

    private interface SftpAction {
        void run(ChannelSftp c) throws SftpException;
    }

    private void sftp(String what, SftpAction action) {
        channels.acquireUninterruptibly();
        ChannelSftp c = null;
        try {
            c = withRetry(
                    s -> {
                        ChannelSftp ch = (ChannelSftp) s.openChannel("sftp");
                        try {
                            ch.connect(CONNECT_TIMEOUT_MS);
                        } catch (JSchException e) {
                            ch.disconnect();
                            throw e;
                        }
                        return ch;
                    },
                    what);
            action.run(c);
        } catch (SftpException e) {
            String why = e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE ? "no such file or directory" : e.getMessage();
            throw new RemoteException("cannot " + what + " on " + host + ": " + why + ".", e);
        } finally {
            if (c != null) {
                c.disconnect();
            }
            channels.release();
        }
    }

    /**
     * The current session, connecting one if there is none. {@code broken} is a session a
     * caller saw fail: it is replaced unless another thread already did, so parallel
     * callers that meet the same broken session reconnect once, not once each.
     */
    private synchronized Session session(Session broken) {
        if (session == null || !session.isConnected() || session == broken) {
            invalidate();
            session = connect();
        }
        return session;
    }

    private synchronized void invalidate() {
        if (session != null) {
            session.disconnect();
            session = null;
        }
    }

    private Session connect() {
        JSch jsch = new JSch();
        Path key = identity();
        try {
            jsch.addIdentity(key.toString());
        } catch (JSchException e) {
            throw new EnvironmentUnavailable(
                    "cannot use SSH key " + key + " for " + host + " (is it an unencrypted OpenSSH private key?).",
                    null);
        }
        boolean verify = configureHostKeys(jsch);
        try {
            Session s = jsch.getSession(host.user(), host.address(), host.port());
            s.setConfig("StrictHostKeyChecking", verify ? "yes" : "no");
            s.setConfig("PreferredAuthentications", "publickey");
            preferKnownKeyTypes(jsch, s);
            s.setServerAliveInterval(5_000);
            s.setServerAliveCountMax(3);
            s.connect(CONNECT_TIMEOUT_MS);
            everConnected = true;
            return s;
        } catch (JSchException e) {
            throw connectFailure(e, key);
        }
    }

    /**
     * What a failed connect means. A refused key or a host key that does not match cannot
     * heal by itself, and neither can a host that was never reachable: those are the
     * environment's ({@link EnvironmentUnavailable}, exit 69) with the fix. A host that
     * answered before and fails now is a {@link RemoteException} of the run.
     */
    private RuntimeException connectFailure(JSchException e, Path key) {
        Path known = KnownHosts.fileOf(host);
        String name = KnownHosts.entryName(host);
        boolean keyRefused = e instanceof com.jcraft.jsch.JSchHostKeyException
                || String.valueOf(e.getMessage()).contains("HostKey");
        // with StrictHostKeyChecking=yes JSch says "reject HostKey" for a changed key and an
        // unknown one alike; a known_hosts entry for the host tells them apart
        if (e instanceof com.jcraft.jsch.JSchChangedHostKeyException || keyRefused && KnownHosts.known(host)) {
            return new EnvironmentUnavailable(
                    "the host key of " + host + " is not the one recorded in " + known
                            + " (the host was reinstalled, or someone is in the middle); if you trust its new key, replace the "
                            + "old one with `ssh-keygen -f " + Shell.quote(known.toString()) + " -R "
                            + Shell.quote(name) + " && "
                            + KnownHosts.fix(known, List.of(host)) + "`.",
                    e);
        }
        if (keyRefused) {
            return new EnvironmentUnavailable(
                    "the host key of " + host + " is not in " + known + "; after checking "
                            + "its fingerprint, add it with `" + KnownHosts.fix(known, List.of(host)) + "`.",
                    e);
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("Auth fail") || m.contains("Auth cancel")) {
            return new EnvironmentUnavailable(
                    host + " refused SSH key " + key + " for user " + host.user()
                            + "; pass the right key with --ssh-key and user with --ssh-user, or add " + key
                            + ".pub to ~" + host.user() + "/.ssh/authorized_keys there.",
                    e);
        }
        if (!everConnected) {
            return new EnvironmentUnavailable(
                    "cannot connect to " + host + " over SSH: " + clean(e) + "; check that "
                            + "the host is up and its sshd listens on port " + host.port() + ".",
                    e);
        }
        return new RemoteException("cannot connect to " + host + " over SSH: " + clean(e) + ".", e);
    }

    /** Loads known_hosts; returns whether host keys are checked. */
    private boolean configureHostKeys(JSch jsch) {
        Path known = KnownHosts.fileOf(host);
        if (Files.isReadable(known)) {
            try {
                jsch.setKnownHosts(known.toString());
            } catch (JSchException e) {
                throw new EnvironmentUnavailable("cannot read known_hosts file " + known + ": " + clean(e) + ".");
            }
            if (host.omnitestCreated()) {
                LOG.log(
                        System.Logger.Level.DEBUG,
                        "checking the host key of {0} against {1}, which omnitest " + "wrote when it created the host",
                        host,
                        known);
            }
            return true;
        }
        if (host.omnitestCreated()) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "not checking the host key of {0}: omnitest created this host "
                            + "itself and has no known_hosts file for it",
                    host);
            return false;
        }
        throw new EnvironmentUnavailable("cannot check the host key of " + host + ": known_hosts file " + known
                + " is missing; after checking the fingerprint, create it with `" + KnownHosts.fix(known, List.of(host))
                + "`.");
    }

    /** Offers first the host-key types known_hosts holds for this host, as OpenSSH does. */
    private void preferKnownKeyTypes(JSch jsch, Session s) {
        HostKeyRepository repo = jsch.getHostKeyRepository();
        String name = KnownHosts.entryName(host);
        HostKey[] keys = repo.getHostKey(name, null);
        if (keys == null || keys.length == 0) {
            return;
        }
        Set<String> types = new LinkedHashSet<>();
        for (HostKey k : keys) {
            types.add(k.getType());
        }
        String all = s.getConfig("server_host_key");
        for (String t : all.split(",")) {
            types.add(t);
        }
        s.setConfig("server_host_key", String.join(",", types));
    }

    private Path identity() {
        if (host.identity() != null) {
            if (!Files.isReadable(host.identity())) {
                throw new EnvironmentUnavailable("SSH key " + host.identity() + " for " + host
                        + " is not readable; pass an existing private key with --ssh-key.");
            }
            return host.identity();
        }
        Path ssh = Path.of(System.getProperty("user.home"), ".ssh");
        for (String name : List.of("id_ed25519", "id_ecdsa", "id_rsa")) {
            if (Files.isReadable(ssh.resolve(name))) {
                return ssh.resolve(name);
            }
        }
        throw new EnvironmentUnavailable("no SSH key found in " + ssh + " for " + host + "; pass one with --ssh-key.");
    }

    /** A JSch message without anything that could come from key material. */
    private static String clean(Exception e) {
        if (e == null) {
            return "unknown error";
        }
        String m = String.valueOf(e.getMessage());
        if (m.toLowerCase().contains("privatekey") || m.toLowerCase().contains("private key")) {
            return "the private key could not be used";
        }
        return m.length() > 200 ? m.substring(0, 200) : m;
    }

    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "...";
    }

    @Override
    public void close() {
        invalidate();
    }
}
