package io.omnitest.cli.faults;

import io.omnitest.infra.EnvironmentUnavailable;
import io.omnitest.infra.Remotes;
import io.omnitest.infra.faults.NodeFaults;
import io.omnitest.nuke.FaultNemeses;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a run deploys around each node for its nemeses: the fault filesystem when a disk nemesis
 * is in {@code --nemesis}, libfaketime when a clock nemesis is, nothing otherwise (so runs without
 * them are exactly as before). The fault FS jar is {@code faultfs/target/omnitest-faultfs.jar},
 * looked up like the node jar ({@code $OMNITEST_HOME}, the checkout of this CLI, the current dir).
 */
public final class FaultDeployment {
    public static final Path RELATIVE = Path.of("faultfs", "target", "omnitest-faultfs.jar");

    private FaultDeployment() {}

    /**
     * @param install apt-install the packages the faults need on hosts that lack them ({@code --install-java})
     * @throws EnvironmentUnavailable when a disk nemesis is asked for and the fault FS jar is not built
     */
    public static NodeFaults nodeFaults(List<String> nemeses, Remotes remotes, boolean install) {
        boolean fs = FaultNemeses.needsFaultFs(nemeses);
        boolean clock = FaultNemeses.needsFakeClock(nemeses);
        if (!fs && !clock) return NodeFaults.NONE;
        Path jar = null;
        if (fs) {
            jar = locate().orElseThrow(() -> new EnvironmentUnavailable("the disk nemeses need " + RELATIVE
                    + ", which is not built; build it with `mvn -pl faultfs package -DskipTests`."));
        }
        return new NodeFaults(jar, clock, remotes, install);
    }

    static List<Path> candidates(String omnitestHome, Path codeLocation, Path workingDir) {
        List<Path> out = new ArrayList<>();
        if (omnitestHome != null && !omnitestHome.isBlank())
            out.add(Path.of(omnitestHome).resolve(RELATIVE));
        // cli/target/classes or cli/target/omnitest.jar: the checkout is three levels up
        Path p = codeLocation;
        for (int i = 0; i < 3 && p != null; i++) p = p.getParent();
        if (p != null) out.add(p.resolve(RELATIVE));
        out.add(workingDir.resolve(RELATIVE));
        return out;
    }

    public static Optional<Path> locate() {
        Path code = null;
        try {
            code = Path.of(FaultDeployment.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toAbsolutePath();
        } catch (URISyntaxException | RuntimeException e) {
            // no code location: the other places remain
        }
        for (Path p :
                candidates(System.getenv("OMNITEST_HOME"), code, Path.of("").toAbsolutePath())) {
            if (Files.isRegularFile(p)) return Optional.of(p.normalize());
        }
        return Optional.empty();
    }
}
