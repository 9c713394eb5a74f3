package io.omnitest.cli.system.omnipaxos;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Finds the node jar when {@code --sut-jar} is not given: {@code sut/target/omnipaxos-kv.jar}
 * under the repository, which is {@code $OMNITEST_HOME} when the launcher sets it, else the
 * checkout this CLI was built in (found from where its classes were loaded), else the current
 * directory.
 */
public final class SutJar {
    public static final Path RELATIVE = Path.of("sut", "target", "omnipaxos-kv.jar");

    private SutJar() {}

    /** The places looked at, in order. */
    public static List<Path> candidates(String omnitestHome, Path codeLocation, Path workingDir) {
        List<Path> out = new ArrayList<>();
        if (omnitestHome != null && !omnitestHome.isBlank())
            out.add(Path.of(omnitestHome).resolve(RELATIVE));
        // cli/target/classes or cli/target/omnitest-cli.jar: the checkout is three levels up
        if (codeLocation != null
                && codeLocation.getParent() != null
                && codeLocation.getParent().getParent() != null
                && codeLocation.getParent().getParent().getParent() != null) {
            out.add(codeLocation.getParent().getParent().getParent().resolve(RELATIVE));
        }
        out.add(workingDir.resolve(RELATIVE));
        return out;
    }

    /** The first candidate that exists. */
    public static Optional<Path> locate() {
        Path code = null;
        try {
            code = Path.of(SutJar.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toAbsolutePath();
        } catch (URISyntaxException | RuntimeException e) {
            // no code location (unusual class loader): fall back to the other places
        }
        for (Path p :
                candidates(System.getenv("OMNITEST_HOME"), code, Path.of("").toAbsolutePath())) {
            if (Files.isRegularFile(p)) return Optional.of(p.normalize());
        }
        return Optional.empty();
    }
}
