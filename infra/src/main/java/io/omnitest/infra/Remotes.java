package io.omnitest.infra;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * One {@link Remote} per host, opened on first use and shared by everyone after that
 * (the Db, the nemeses, log collection). Thread-safe.
 */
public final class Remotes implements AutoCloseable {
    private final Function<Host, Remote> opener;
    private final Map<String, Remote> open = new ConcurrentHashMap<>();

    /** @param opener how a host is reached, e.g. {@code SshRemote::new} */
    public Remotes(Function<Host, Remote> opener) {
        this.opener = opener;
    }

    /** Remotes over real SSH. */
    public static Remotes ssh() {
        return new Remotes(SshRemote::new);
    }

    /** The remote for {@code host}, keyed by its name. */
    public Remote of(Host host) {
        return open.computeIfAbsent(host.name(), n -> opener.apply(host));
    }

    /** Closes every remote opened so far; they reopen on next use. */
    @Override
    public void close() {
        for (Remote r : open.values()) {
            r.close();
        }
        open.clear();
    }
}
