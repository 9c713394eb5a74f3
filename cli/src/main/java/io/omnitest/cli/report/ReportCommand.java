package io.omnitest.cli.report;

import io.omnitest.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code omnitest report DIR}: rebuilds report.html and junit.xml of a stored run. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {"Rebuild report.html and junit.xml of an existing run directory (e.g. store/latest)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the report was written",
            "64:DIR is not a run directory",
            "66:DIR does not exist, or the directory of the --junit FILE does not",
            "70:internal error"
        })
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "The run directory: store/<test-name>/<time>, or store/latest.")
    Path dir;

    @Option(names = "--junit", paramLabel = "FILE", description = "Also write the JUnit XML to FILE.")
    Path junit;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.exists(dir)) {
            err.println(dir + " does not exist; pass a run directory such as store/latest.");
            return ExitCodes.NO_INPUT;
        }
        Path junitDir = junit == null ? null : junit.toAbsolutePath().getParent();
        if (junitDir != null && !Files.isDirectory(junitDir)) {
            err.println("cannot write " + junit + ": the directory " + junitDir + " does not exist.");
            return ExitCodes.NO_INPUT;
        }
        if (!Files.isDirectory(dir)
                || !(Files.exists(dir.resolve("history.jsonl"))
                        || Files.exists(dir.resolve("test.json"))
                        || Files.exists(dir.resolve("results.json")))) {
            err.println(dir + " is not a run directory: it has no test.json, history.jsonl or results.json.");
            return ExitCodes.USAGE;
        }
        try {
            Path html = ReportWriter.write(dir);
            Path xml = JUnitWriter.write(dir);
            out.println("wrote " + html);
            out.println("wrote " + xml);
            if (junit != null) out.println("wrote " + JUnitWriter.write(dir, junit));
            return ExitCodes.VALID;
        } catch (IOException | RuntimeException e) {
            err.println("cannot write the report of " + dir + ": " + e.getMessage());
            return ExitCodes.INTERNAL;
        }
    }
}
