package io.omnitest.infra.faults;

/** Optional capability of a {@code Db}: its nodes run over a fault filesystem and/or a fake clock. */
public interface HasNodeFaults {
    NodeFaults nodeFaults();
}
