package io.omnitest.cli.sut;

import io.omnitest.sut.server.NodeMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code omnitest sut ARGS...}: runs one OmniPaxos KV node in the foreground, exactly as
 * {@code java -jar omnipaxos-kv.jar ARGS...} does (the node is part of this jar), so a node can
 * be started by hand next to a test without building or finding the node jar. Every argument,
 * {@code --help} included, goes to the node; its exit code is this command's.
 */
@Command(name = "sut", description = {
        "Run one OmniPaxos KV node in the foreground: the same as java -jar sut/target/omnipaxos-kv.jar ARGS.",
        "Every argument goes to the node; `omnitest sut --help` shows the node's own options, --bug switches included."})
public final class SutCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return NodeMain.run(args.toArray(String[]::new), System.out, System.err);
    }
}
