package io.omnitest.cli.system.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.cli.run.workload.Invocation;
import io.omnitest.cli.system.SystemConfig;
import io.omnitest.infra.Host;
import io.omnitest.infra.Remotes;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** etcd's deployment command line and its client's pure parts; the real cluster runs are in the README's sweep. */
class EtcdSystemTest {
    static final Host N1 = new Host("n1", "10.77.0.11", 22, "root", null, null, false, "/var/tmp/omnitest/n1");
    static final Host N2 = new Host("n2", "10.77.0.12", 22, "root", null, null, false, "/var/tmp/omnitest/n2");

    @Test
    void everyMemberKnowsTheWholeClusterByItsNodesAddresses() {
        EtcdDb db = new EtcdDb(
                List.of(N1, N2),
                new Remotes(h -> {
                    throw new AssertionError("no host is contacted");
                }),
                new EtcdHttp(),
                false);
        assertEquals(
                List.of(
                        "etcd",
                        "--name",
                        "n2",
                        "--data-dir",
                        "/var/tmp/omnitest/n2/etcd-data",
                        "--listen-peer-urls",
                        "http://10.77.0.12:2380",
                        "--initial-advertise-peer-urls",
                        "http://10.77.0.12:2380",
                        "--listen-client-urls",
                        "http://10.77.0.12:2379",
                        "--advertise-client-urls",
                        "http://10.77.0.12:2379",
                        "--initial-cluster",
                        "n1=http://10.77.0.11:2380,n2=http://10.77.0.12:2380",
                        "--initial-cluster-state",
                        "new",
                        "--initial-cluster-token",
                        "omnitest"),
                db.argv(N2));
    }

    @Test
    void readsAreTheOpsWhoseLostAnswerChangesNothing() {
        assertTrue(EtcdClient.readOnly(new Invocation("read", Arrays.asList("r1", null))));
        assertTrue(EtcdClient.readOnly(new Invocation("get", Arrays.asList("k1", null))));
        assertTrue(EtcdClient.readOnly(new Invocation("txn", List.of(Arrays.asList("r", "k1", null)))));
        assertFalse(EtcdClient.readOnly(
                new Invocation("txn", List.of(Arrays.asList("r", "k1", null), List.of("append", "k1", 3L)))));
        assertFalse(EtcdClient.readOnly(new Invocation("cas", List.of("r1", List.of(1L, 2L)))));
    }

    @Test
    void listsAreStoredAsCommaSeparatedNumbers() {
        assertEquals("1,2,30", EtcdClient.formatList(List.of(1L, 2L, 30L)));
        assertEquals(List.of(1L, 2L, 30L), EtcdClient.parseList("1,2,30"));
        assertEquals(List.of(), EtcdClient.parseList(null));
        assertEquals(List.of(), EtcdClient.parseList(""));
        assertEquals(3L, EtcdClient.number("3"));
        assertEquals(null, EtcdClient.number(null));
    }

    @Test
    void serializableReadsIsAFlagAndNothingElse() {
        EtcdSystem etcd = new EtcdSystem();
        assertEquals(
                List.of("etcd.serializable-reads"), List.copyOf(etcd.options().keySet()));
        SystemConfig bad =
                new SystemConfig(Map.of("etcd.serializable-reads", "yes"), false, false, List.of(), null, List.of());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> etcd.prepareLocal(bad));
        assertEquals("--system-option etcd.serializable-reads must be true or false, not 'yes'.", e.getMessage());
    }
}
