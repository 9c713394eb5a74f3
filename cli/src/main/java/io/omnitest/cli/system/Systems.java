package io.omnitest.cli.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Finds the systems omnitest can test with {@link ServiceLoader}: the built-in ones (listed in
 * this jar's {@code META-INF/services}) and those in {@code --plugin} jars, which are loaded
 * in a class loader whose parent is omnitest's own, so plug-ins see omnitest's API classes.
 */
public final class Systems {
    /** The system a run tests without {@code --system}. */
    public static final String DEFAULT = "omnipaxos";

    private final Map<String, SystemUnderTest> byName;

    private Systems(Map<String, SystemUnderTest> byName) {
        this.byName = byName;
    }

    /**
     * Every system on the class path and in {@code plugins}.
     *
     * @throws IllegalArgumentException a plug-in jar that does not exist, is unreadable, or
     *         whose listed class cannot be loaded; or two systems with one name
     */
    public static Systems load(List<Path> plugins) {
        ClassLoader loader = Systems.class.getClassLoader();
        if (!plugins.isEmpty()) {
            List<URL> urls = new ArrayList<>();
            for (Path p : plugins) {
                if (!Files.isRegularFile(p)) throw new IllegalArgumentException("--plugin " + p + " is not a file.");
                try {
                    urls.add(p.toUri().toURL());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            // never closed: the plug-in's classes are used until the process exits
            loader = new URLClassLoader("omnitest-plugins", urls.toArray(URL[]::new), loader);
        }
        Map<String, SystemUnderTest> found = new LinkedHashMap<>();
        try {
            for (SystemUnderTest s : ServiceLoader.load(SystemUnderTest.class, loader)) {
                SystemUnderTest twin = found.putIfAbsent(s.name(), s);
                if (twin != null && twin.getClass() != s.getClass()) {
                    throw new IllegalArgumentException("two systems are named '" + s.name() + "': "
                            + twin.getClass().getName() + " and " + s.getClass().getName() + ".");
                }
            }
        } catch (ServiceConfigurationError e) {
            throw new IllegalArgumentException(
                    "a --plugin jar lists a system omnitest cannot load: " + e.getMessage() + ".", e);
        }
        return new Systems(found);
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    public List<SystemUnderTest> all() {
        return List.copyOf(byName.values());
    }

    /**
     * The system named {@code name}.
     *
     * @throws IllegalArgumentException one sentence listing the known names
     */
    public SystemUnderTest named(String name) {
        SystemUnderTest s = byName.get(name);
        if (s == null) {
            throw new IllegalArgumentException("--system must be one of " + String.join(", ", names()) + ", not '"
                    + name + "' (a plug-in system needs --plugin JAR).");
        }
        return s;
    }
}
