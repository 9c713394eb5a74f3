package io.omnitest.cli.serve;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code omnitest serve}: browse every run's report and files in a browser. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Serve the store over HTTP: every run newest first with its verdict, report and raw files.",
            "Stop with Ctrl-C. Paths outside the store are never served."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped",
            "64:bad usage (no such store, a port outside 0-65535)",
            "69:cannot listen on the address"
        })
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--store",
            paramLabel = "DIR",
            defaultValue = "store",
            description = "The store directory (default: ${DEFAULT-VALUE}).")
    Path store;

    @Option(
            names = "--port",
            paramLabel = "P",
            defaultValue = "8080",
            description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(
            names = "--bind",
            paramLabel = "ADDR",
            defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
    String bind;

    @Override
    public Integer call() throws InterruptedException {
        if (port < 0 || port > 65535) {
            spec.commandLine()
                    .getErr()
                    .println("--port must be between 0 and 65535 (0 picks a free one), not " + port + ".");
            return 64;
        }
        if (!Files.isDirectory(store)) {
            spec.commandLine()
                    .getErr()
                    .println("The store " + store + " does not exist; run a test first or pass --store DIR.");
            return 64;
        }
        StoreServer server;
        try {
            server = StoreServer.start(store, bind, port);
        } catch (IOException e) {
            spec.commandLine().getErr().println("Cannot listen on " + bind + ":" + port + ": " + e.getMessage() + ".");
            return 69;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "omnitest-serve-stop"));
        spec.commandLine()
                .getOut()
                .println("Serving " + store.toAbsolutePath().normalize() + " at " + server.url() + " (Ctrl-C stops)");
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
