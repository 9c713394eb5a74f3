package io.omnitest.infra.db;

import io.omnitest.infra.Host;
import java.util.List;
import java.util.Optional;

/** A {@link Db} that can tell which node leads right now, by asking the live nodes. */
public interface HasLeader {
    /**
     * Asks the nodes for their status and returns the node they agree leads, or empty when
     * no node answers as leader (during an election, or when every node is down).
     */
    Optional<Host> leader(List<Host> nodes);
}
