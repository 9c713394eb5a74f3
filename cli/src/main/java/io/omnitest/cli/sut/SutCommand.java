package io.omnitest.cli.sut;

import io.omnitest.sut.server.NodeMain;
import io.omnitest.sut.server.NodeOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code omnitest sut ARGS...}: runs one OmniPaxos KV node in the foreground, exactly as
 * {@code java -jar omnipaxos-kv.jar ARGS...} does (the node is part of this jar), so a node can
 * be started by hand next to a test without building or finding the node jar. Every argument
 * goes to the node; its exit code is this command's. {@code --help} shows this command's usage
 * followed by the node's own.
 */
@Command(
        name = "sut",
        customSynopsis =
                "omnitest sut --id N --peers ID=HOST:PORT,... --client-port P --data-dir DIR --cluster-secret-file FILE [NODE OPTIONS...]",
        description = {
            "Run one OmniPaxos KV node in the foreground: the same as java -jar sut/target/omnipaxos-kv.jar ARGS.",
            "Every argument goes to the node; the node's own options, --bug switches included, follow."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the node stopped",
            "64:bad arguments, or an unusable port, data dir or secret file",
            "65:corrupt data dir or lost write-ahead log",
            "70:internal error"
        })
public final class SutCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        if (args.contains("--help") || args.contains("-h")) {
            PrintWriter out = spec.commandLine().getOut();
            spec.commandLine().usage(out);
            out.println();
            out.println("The node's own help:");
            out.println(NodeOptions.USAGE);
            out.flush();
            return 0;
        }
        return NodeMain.run(args.toArray(String[]::new), System.out, System.err);
    }
}
