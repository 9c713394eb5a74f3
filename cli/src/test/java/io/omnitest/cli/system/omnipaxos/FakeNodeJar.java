package io.omnitest.cli.system.omnipaxos;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a stand-in for the OmniPaxos node jar: same command line, answers {@code status} in
 * the SUT's shape (node 1 claims to lead), counts its starts in {@code DATA/starts} and logs them (with
 * its bind address and the mode of its secret file), so that
 * daemon control can be tested without the real SUT.
 */
public final class FakeNodeJar {
    private static final String SOURCE = """
            import java.io.*;
            import java.net.*;
            import java.nio.file.*;
            public class FakeNode {
                public static void main(String[] a) throws Exception {
                    int id = 0, port = 0; String data = null, peers = "", bind = null, secret = null;
                    for (int i = 0; i < a.length; i++) {
                        switch (a[i]) {
                            case "--id": id = Integer.parseInt(a[++i]); break;
                            case "--client-port": port = Integer.parseInt(a[++i]); break;
                            case "--data-dir": data = a[++i]; break;
                            case "--peers": peers = a[++i]; break;
                            case "--bind": bind = a[++i]; break;
                            case "--cluster-secret-file": secret = a[++i]; break;
                            case "--trace": i++; break; // a fake node has no protocol to trace
                            default: throw new IllegalArgumentException("unknown argument " + a[i]);
                        }
                    }
                    Path starts = Paths.get(data, "starts");
                    Files.createDirectories(starts.getParent());
                    long n = Files.exists(starts) ? Long.parseLong(Files.readString(starts).trim()) + 1 : 1;
                    Files.writeString(starts, Long.toString(n));
                    String mode = secret == null ? "none" : java.nio.file.attribute.PosixFilePermissions.toString(
                            Files.getPosixFilePermissions(Paths.get(secret)));
                    System.out.println("fake node " + id + " start " + n + " peers " + peers + " bind " + bind + " secret-mode " + mode);
                    System.out.flush();
                    String role = id == 1 ? "leader" : "follower";
                    try (ServerSocket server = bind == null ? new ServerSocket(port) : new ServerSocket(port, 50, InetAddress.getByName(bind))) {
                        while (true) {
                            try (Socket s = server.accept()) {
                                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream()));
                                String req = in.readLine();
                                String rid = req == null ? "1" : req.replaceAll(".*\\"id\\":(\\\\d+).*", "$1");
                                Writer out = new OutputStreamWriter(s.getOutputStream());
                                out.write("{\\"id\\":" + rid + ",\\"ok\\":true,\\"node\\":" + id + ",\\"role\\":\\"" + role
                                        + "\\",\\"leader\\":1,\\"ballot\\":{\\"n\\":1,\\"priority\\":0,\\"pid\\":1},"
                                        + "\\"decidedIdx\\":" + n + "}\\n");
                                out.flush();
                            } catch (IOException e) {
                                // a client that went away; serve the next
                            }
                        }
                    }
                }
            }
            """;

    private FakeNodeJar() {}

    /** Compiles the fake node and writes {@code dir/omnipaxos-kv.jar}. */
    public static Path build(Path dir) throws IOException {
        Path src = dir.resolve("src/FakeNode.java");
        Path classes = dir.resolve("classes");
        Files.createDirectories(src.getParent());
        Files.createDirectories(classes);
        Files.writeString(src, SOURCE);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "--release", "17", "-d", classes.toString(), src.toString());
        if (rc != 0) {
            throw new IOException("cannot compile the fake node");
        }
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "FakeNode");
        Path jar = dir.resolve("omnipaxos-kv.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), mf)) {
            out.putNextEntry(new JarEntry("FakeNode.class"));
            try (OutputStream o = new java.io.FilterOutputStream(out) {
                @Override
                public void close() {
                    // keep the jar stream open
                }
            }) {
                Files.copy(classes.resolve("FakeNode.class"), o);
            }
            out.closeEntry();
        }
        return jar;
    }
}
