package io.omnitest.sut.net;

import java.nio.channels.SelectionKey;

/**
 * What a key is attached to in a selector that several parts of one event loop share (the node's
 * client port and its peer links): the loop's thread calls {@link #ready} when the key is
 * selected. It must not block, and it handles its own failures (nothing it throws may end the
 * loop).
 */
public interface KeyHandler {
    void ready(SelectionKey key);
}
