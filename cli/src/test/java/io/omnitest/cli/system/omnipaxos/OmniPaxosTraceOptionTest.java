package io.omnitest.cli.system.omnipaxos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.cli.system.SystemConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --system-option omnipaxos.trace}: the OmniPaxos nodes keep a protocol trace unless told
 * {@code false}; the Raft and Multi-Paxos nodes keep none (the trace is the OmniPaxos node's).
 */
class OmniPaxosTraceOptionTest {
    private static SystemConfig config(Map<String, String> options) {
        return new SystemConfig(options, false, true, List.of(), Path.of("node.jar"), List.of());
    }

    @Test
    void theOmniPaxosNodesKeepATraceUnlessToldFalse() {
        assertTrue(OmniPaxosSystem.dbOptions(config(Map.of())).trace());
        assertTrue(OmniPaxosSystem.dbOptions(config(Map.of("omnipaxos.trace", "true")))
                .trace());
        assertFalse(OmniPaxosSystem.dbOptions(config(Map.of("omnipaxos.trace", "false")))
                .trace());
        assertFalse(OmniPaxosSystem.dbOptions(config(Map.of("omnipaxos.protocol", "raft")))
                .trace());
        assertFalse(OmniPaxosSystem.dbOptions(config(Map.of("omnipaxos.protocol", "multipaxos")))
                .trace());
    }

    @Test
    void aValueOtherThanTrueOrFalseIsOneSentence() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> OmniPaxosSystem.protocol(config(Map.of("omnipaxos.trace", "yes"))));
        assertEquals("--system-option omnipaxos.trace must be true or false, not 'yes'.", e.getMessage());
    }
}
