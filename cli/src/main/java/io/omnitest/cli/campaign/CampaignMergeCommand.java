package io.omnitest.cli.campaign;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.omnitest.cli.ExitCodes;
import io.omnitest.cli.run.StoreLayout;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code omnitest campaign merge DIR...}: joins the slices of a campaign run with
 * {@code --shard I/N} on several machines into the campaign.md, campaign.json and campaign.html
 * the unsharded campaign would have written, and its exit code ({@link CampaignMerge}).
 */
@Command(
        name = "merge",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Merge the slices of a campaign run with --shard I/N (each DIR holds one slice's campaign.json) into one "
                    + "campaign.md, campaign.json and campaign.html under <store>/campaigns/<timestamp>/, with the table and exit code "
                    + "of the unsharded campaign with the same seeds. Runs nothing.",
            "Plan runs that no slice made are listed on stderr and count as unknown."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every bug met its target and the correct SUT was valid in every run",
            "1:some bug missed its target, or the correct SUT had a false alarm",
            "2:unknown or missing runs keep some target undecided",
            "64:bad usage: a DIR that is not a slice, slices of different plans, or the same run in two slices",
            "65:a campaign.json is malformed",
            "66:no campaign.json in a DIR",
            "70:internal error"
        })
public final class CampaignMergeCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** A campaign.json is a few hundred bytes a run; this bounds what is read before parsing (over a hundred thousand runs fit). */
    static final long MAX_JSON_BYTES = 64L << 20;

    @Spec
    CommandSpec spec;

    @Parameters(
            paramLabel = "DIR",
            arity = "1..*",
            description = "Campaign directories of the slices, e.g. store/campaigns/<timestamp>.")
    List<Path> dirs = new ArrayList<>();

    @Option(
            names = "--store",
            paramLabel = "DIR",
            defaultValue = "store",
            description = "Where the merged campaign is written [${DEFAULT-VALUE}].")
    Path store;

    @Override
    @SuppressWarnings("unchecked")
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<CampaignMerge.Input> inputs = new ArrayList<>();
        for (Path dir : dirs) {
            Path json = dir.resolve("campaign.json");
            if (!Files.isRegularFile(json)) {
                err.println(json + " does not exist; campaign merge takes the campaign directories of the slices.");
                return ExitCodes.NO_INPUT;
            }
            if (Files.size(json) > MAX_JSON_BYTES) {
                err.println(
                        json + " is larger than " + (MAX_JSON_BYTES >> 20) + " MiB, too large for a campaign's table.");
                return ExitCodes.MALFORMED;
            }
            try {
                inputs.add(new CampaignMerge.Input(dir, JSON.readValue(json.toFile(), Map.class)));
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                err.println(json + " is not a campaign's table: " + e.getOriginalMessage() + ".");
                return ExitCodes.MALFORMED;
            }
        }
        CampaignMerge.Merged merged;
        try {
            merged = CampaignMerge.merge(inputs);
        } catch (CampaignMerge.Refused e) {
            err.println(e.getMessage());
            return e.exitCode();
        }
        Path dir = StoreLayout.create(store, Campaign.CAMPAIGNS, Instant.now(), ZoneId.systemDefault());
        double wall = 0;
        for (CampaignMerge.Input in : inputs) {
            if (in.json().get("wall-min") instanceof Number n) wall = Math.max(wall, n.doubleValue());
        }
        write(dir, merged, inputs, wall);
        if (!merged.missing().isEmpty()) {
            err.println("omnitest: " + merged.missing().size() + " runs of the plan are in no slice given: "
                    + String.join("; ", merged.missing()) + ".");
        }
        out.print(merged.report().markdown(dir));
        out.println();
        out.println("Merged " + inputs.size() + " of " + merged.slices() + " slices; table in "
                + dir.resolve("campaign.md"));
        out.flush();
        err.flush();
        return merged.exitCode();
    }

    /** Writes the three files; returns the Markdown. */
    static String write(Path dir, CampaignMerge.Merged merged, List<CampaignMerge.Input> inputs, double wallMinutes)
            throws IOException {
        String md = "# omnitest campaign " + dir.getFileName() + "\n\n"
                + merged.report().markdown(dir)
                + String.format(
                        java.util.Locale.ROOT,
                        "%nMerged from %d of %d slices of plan %s; longest slice wall time %.1f min%s.%n",
                        inputs.size(),
                        merged.slices(),
                        merged.plan(),
                        wallMinutes,
                        merged.missing().isEmpty()
                                ? ""
                                : "; " + merged.missing().size() + " runs missing");
        Files.writeString(dir.resolve("campaign.md"), md);
        Files.writeString(
                dir.resolve("campaign.html"), CampaignHtml.page("omnitest campaign " + dir.getFileName(), md));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("campaign", dir.getFileName().toString());
        json.put("finished", true);
        json.put(
                "interrupted",
                inputs.stream().anyMatch(i -> Boolean.TRUE.equals(i.json().get("interrupted"))));
        json.put("wall-min", wallMinutes);
        json.put(
                "merged-from",
                inputs.stream().map(i -> CampaignReport.link(dir, i.dir())).toList());
        json.put("plan", merged.plan());
        json.put("missing-runs", merged.missing());
        json.putAll(merged.report().toJson(dir));
        json.put("exit-code", merged.exitCode());
        JSON.writeValue(dir.resolve("campaign.json").toFile(), json);
        return md;
    }
}
