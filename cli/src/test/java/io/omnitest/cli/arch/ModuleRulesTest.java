package io.omnitest.cli.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The module rules (README "Modules", DEVELOPMENT.md) over the compiled main classes of every
 * module: {@code sut} and {@code checker} use nothing of ours, {@code infra} nothing of ours,
 * {@code nuke} only {@code infra}; only {@code cli} wires modules together. The pure cores (the
 * consensus core, the linearizability and Elle searches' models and graphs, the grudge maths)
 * touch no sockets, files, threads or clocks: time, randomness and IO come in through interfaces.
 */
class ModuleRulesTest {
    static JavaClasses classes;

    @BeforeAll
    static void importAll() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.omnitest");
    }

    @Test
    void everyModuleIsImported() {
        for (String p : new String[] {
            "io.omnitest.sut.core",
            "io.omnitest.checker.linear",
            "io.omnitest.infra",
            "io.omnitest.nuke",
            "io.omnitest.cli"
        }) {
            assertTrue(classes.containPackage(p), p + " was imported");
        }
    }

    private static ArchRule uses(String module, String... others) {
        String[] packages = new String[others.length];
        for (int i = 0; i < others.length; i++) packages[i] = "io.omnitest." + others[i] + "..";
        return noClasses()
                .that()
                .resideInAPackage("io.omnitest." + module + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(packages)
                .because(module + " may not use " + String.join(", ", others));
    }

    @Test
    void sutUsesNothingOfOurs() {
        uses("sut", "checker", "infra", "nuke", "cli").check(classes);
    }

    @Test
    void checkerUsesNothingOfOurs() {
        uses("checker", "sut", "infra", "nuke", "cli").check(classes);
    }

    @Test
    void infraUsesNothingOfOurs() {
        uses("infra", "sut", "checker", "nuke", "cli").check(classes);
    }

    @Test
    void nukeUsesInfraOnly() {
        uses("nuke", "sut", "checker", "cli").check(classes);
    }

    /** The pure cores: the consensus core, the checkers' models and searches, the grudges. */
    static final String[] PURE = {
        "io.omnitest.sut.core..",
        "io.omnitest.sut.raft..",
        "io.omnitest.sut.multipaxos..",
        "io.omnitest.sut.log..",
        "io.omnitest.sut.kv..",
        "io.omnitest.checker.elle..",
        "io.omnitest.checker.analysis..",
        "io.omnitest.cli.run.workload.."
    };

    @Test
    void pureCoresTouchNoSocketsFilesOrThreads() {
        noClasses()
                .that()
                .resideInAnyPackage(PURE)
                .or()
                .haveNameMatching("io\\.omnitest\\.nuke\\.(Grudge|Grudges|Roles)(\\$.*)?")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("java.net..", "java.nio.file..", "java.nio.channels..")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.io.File")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.lang.Thread")
                .orShould()
                .dependOnClassesThat()
                .resideInAPackage("java.util.concurrent..")
                .because("pure cores take IO and concurrency from their callers")
                .check(classes);
    }

    @Test
    void pureCoresReadNoClock() {
        noClasses()
                .that()
                .resideInAnyPackage(PURE)
                .or()
                .haveNameMatching("io\\.omnitest\\.nuke\\.(Grudge|Grudges|Roles)(\\$.*)?")
                .should()
                .callMethod(System.class, "nanoTime")
                .orShould()
                .callMethod(System.class, "currentTimeMillis")
                .orShould()
                .callMethod(Thread.class, "sleep", long.class)
                .because("time comes in through an interface, so tests drive it")
                .check(classes);
    }
}
