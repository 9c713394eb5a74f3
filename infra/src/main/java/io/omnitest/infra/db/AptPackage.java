package io.omnitest.infra.db;

import io.omnitest.infra.Command;
import io.omnitest.infra.EnvironmentUnavailable;
import io.omnitest.infra.Remote;
import io.omnitest.infra.Shell;
import java.time.Duration;

/**
 * A program a system needs on its nodes, and the Debian package that brings it: checked on a
 * node, and installed with apt when the user allowed it ({@code --install-deps}).
 *
 * @param program the command that must be on the PATH, e.g. {@code etcd}
 * @param debianPackage the package that provides it, e.g. {@code etcd-server}
 */
public record AptPackage(String program, String debianPackage) {
    private static final Duration QUICK = Duration.ofSeconds(20);
    private static final Duration SLOW = Duration.ofMinutes(10);

    public boolean present(Remote r) {
        return r.exec(Command.of("sh", "-c", "command -v " + Shell.quote(program))
                        .withTimeout(QUICK))
                .ok();
    }

    /**
     * Makes sure {@link #program} is on the node.
     *
     * @param install install {@link #debianPackage} with apt where it is missing
     * @throws EnvironmentUnavailable when it is missing and may not or cannot be installed
     */
    public void require(Remote r, boolean install) {
        if (present(r)) {
            return;
        }
        String host = r.host().name();
        if (!install) {
            throw new EnvironmentUnavailable(program + " is not installed on " + host + "; install the Debian package "
                    + debianPackage + " there or pass --install-deps.");
        }
        if (!r.exec(Command.of("test", "-f", "/etc/debian_version").withTimeout(QUICK))
                .ok()) {
            throw new EnvironmentUnavailable(program + " is missing on " + host
                    + " and --install-deps only knows Debian's apt; " + "install " + debianPackage + " there by hand.");
        }
        r.exec(Command.of("apt-get", "update", "-q").withSudo().withTimeout(SLOW))
                .check();
        r.exec(Command.of(
                                "env",
                                "DEBIAN_FRONTEND=noninteractive",
                                "apt-get",
                                "install",
                                "-y",
                                "-q",
                                "--no-install-recommends",
                                debianPackage)
                        .withSudo()
                        .withTimeout(SLOW))
                .check();
    }
}
