package io.omnitest.infra.db;

import io.omnitest.infra.Host;

/** A {@link Db} whose process can be frozen and thawed (SIGSTOP / SIGCONT). */
public interface Pausable {
    void pause(Host node);

    void resume(Host node);
}
