package io.omnitest.cli.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.omnitest.cli.run.E2e;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "Test your own system", done by a test: a small system is compiled here, at test
 * time, from source text into a jar that omnitest's build never saw, and is found only through
 * {@code --plugin JAR} and {@link java.util.ServiceLoader}. It keeps registers in memory (one
 * copy, so linearizable); with {@code toy.lose-writes=true} it acknowledges every third write
 * without keeping it, which omnitest must call invalid.
 */
class PluginJarTest {
    static final String SOURCE = """
            package toy;

            import io.omnitest.cli.run.Completion;
            import io.omnitest.cli.run.WorkloadClient;
            import io.omnitest.cli.run.workload.Invocation;
            import io.omnitest.cli.run.workload.Workload;
            import io.omnitest.cli.system.SystemCluster;
            import io.omnitest.cli.system.SystemConfig;
            import io.omnitest.cli.system.SystemUnderTest;
            import io.omnitest.infra.Host;
            import io.omnitest.infra.Remotes;
            import io.omnitest.infra.db.Db;
            import java.time.Duration;
            import java.util.*;

            public final class ToySystem implements SystemUnderTest {
                public String name() { return "toy"; }
                public String description() { return "registers in one in-memory map"; }
                public Set<String> workloads() { return Set.of("register"); }
                public Map<String, String> options() { return Map.of("toy.lose-writes", "true: drop every third write"); }

                public SystemCluster cluster(List<Host> nodes, Remotes remotes, SystemConfig config) {
                    Map<String, Object> store = new HashMap<>();
                    boolean lose = config.flag("toy.lose-writes");
                    int[] writes = {0};
                    Db db = new Db() {
                        public void setup(Host node) {}
                        public void teardown(Host node) { synchronized (store) { store.clear(); } }
                    };
                    return new SystemCluster() {
                        public Db db() { return db; }
                        public Duration electionTimeout() { return Duration.ofMillis(100); }
                        public WorkloadClient.Factory clients(Workload workload) {
                            return (process, node) -> new WorkloadClient() {
                                public Completion invoke(Invocation inv) {
                                    List<?> v = (List<?>) inv.value();
                                    String k = (String) v.get(0);
                                    synchronized (store) {
                                        switch (inv.f()) {
                                            case "read": return Completion.ok(Arrays.asList(k, store.get(k)));
                                            case "write":
                                                if (!(lose && ++writes[0] % 3 == 0)) store.put(k, v.get(1));
                                                return Completion.ok(v);
                                            case "cas":
                                                List<?> fromTo = (List<?>) v.get(1);
                                                if (!Objects.equals(store.get(k), fromTo.get(0))) return Completion.fail(v, "mismatch");
                                                store.put(k, fromTo.get(1));
                                                return Completion.ok(v);
                                            default: return Completion.fail(v, "no such operation");
                                        }
                                    }
                                }
                                public void close() {}
                            };
                        }
                    };
                }
            }
            """;

    static Path jar;

    @BeforeAll
    static void buildThePlugin(@TempDir Path dir) throws IOException {
        jar = compile(dir);
    }

    /** Compiles {@link #SOURCE} against omnitest's classes and jars it with its ServiceLoader entry. */
    static Path compile(Path dir) throws IOException {
        Path src = dir.resolve("src/toy/ToySystem.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SOURCE);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(
                null,
                null,
                null,
                "-classpath",
                System.getProperty("java.class.path"),
                "-d",
                classes.toString(),
                src.toString());
        assertEquals(0, rc, "the toy system compiles");
        Path out = dir.resolve("toy-system.jar");
        try (OutputStream os = Files.newOutputStream(out);
                JarOutputStream jos = new JarOutputStream(os)) {
            jos.putNextEntry(new JarEntry("toy/"));
            try (var files = Files.list(classes.resolve("toy"))) {
                for (Path c : files.toList()) {
                    jos.putNextEntry(new JarEntry("toy/" + c.getFileName()));
                    jos.write(Files.readAllBytes(c));
                }
            }
            jos.putNextEntry(new JarEntry("META-INF/services/" + SystemUnderTest.class.getName()));
            jos.write("toy.ToySystem\n".getBytes());
        }
        return out;
    }

    @Test
    void thePluginIsFoundOnlyThroughItsJar() {
        assertFalse(Systems.load(List.of()).names().contains("toy"));
        assertEquals(
                List.of("omnipaxos", "etcd", "toy"), Systems.load(List.of(jar)).names());
        assertThrows(
                ClassNotFoundException.class, () -> Class.forName("toy.ToySystem"), "omnitest's build never saw it");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Systems.load(List.of()).named("toy"));
        assertEquals(
                "--system must be one of omnipaxos, etcd, not 'toy' (a plug-in system needs --plugin JAR).",
                e.getMessage());
    }

    /** Three "hosts" that are never contacted: the toy system's Db does nothing on them. */
    private static Path hosts(Path dir) throws IOException {
        return Files.writeString(dir.resolve("hosts.txt"), "127.0.0.1\n127.0.0.2\n127.0.0.3\n");
    }

    /**
     * A known_hosts file that lists the three hosts (with a made-up key: they are never
     * contacted), for run's check that every --hosts host has a known key.
     */
    private static Path knownHosts(Path dir) throws IOException {
        String key = " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMON2ANkV/ZBTNFd8onG3wt06tTmDvVSDDEEHOPRHg1E\n";
        return Files.writeString(dir.resolve("known_hosts"), "127.0.0.1" + key + "127.0.0.2" + key + "127.0.0.3" + key);
    }

    @Test
    void aRunOfThePluginSystemIsJudged(@TempDir Path dir) throws IOException {
        E2e.Ran ran = E2e.omnitest(
                "run",
                "--plugin",
                jar.toString(),
                "--system",
                "toy",
                "--hosts",
                hosts(dir).toString(),
                "--known-hosts",
                knownHosts(dir).toString(),
                "--nemesis",
                "none",
                "--time-limit",
                "2",
                "--rate",
                "200",
                "--seed",
                "7",
                "--store",
                dir.resolve("store").toString());
        // no --workload: the system's own (it has neither kv nor list-append)
        assertEquals(0, ran.code(), ran::both);
        assertTrue(ran.out().startsWith("toy-register-none: valid"), ran::both);
        assertTrue(ran.out().contains("linearizable   valid"), ran::both);
    }

    @Test
    void aPluginSystemThatLosesWritesIsCaught(@TempDir Path dir) throws IOException {
        E2e.Ran ran = E2e.omnitest(
                "run",
                "--plugin",
                jar.toString(),
                "--system",
                "toy",
                "--workload",
                "register",
                "--system-option",
                "toy.lose-writes=true",
                "--hosts",
                hosts(dir).toString(),
                "--known-hosts",
                knownHosts(dir).toString(),
                "--nemesis",
                "none",
                "--time-limit",
                "2",
                "--rate",
                "200",
                "--seed",
                "7",
                "--store",
                dir.resolve("store").toString());
        assertEquals(1, ran.code(), ran::both);
        assertTrue(ran.out().contains("linearizable   INVALID"), ran::both);
    }

    @Test
    void aWorkloadThePluginLacksIsBadUsage(@TempDir Path dir) throws IOException {
        E2e.Ran ran = E2e.omnitest(
                "run",
                "--plugin",
                jar.toString(),
                "--system",
                "toy",
                "--workload",
                "register,kv",
                "--hosts",
                hosts(dir).toString());
        assertEquals(64, ran.code(), ran::both);
        assertEquals("system toy does not support --workload kv; it supports register.\n", ran.err());
    }
}
