package io.omnitest.faultfs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/**
 * The fault filesystem's command line:
 *
 * <pre>
 *   java -jar omnitest-faultfs.jar mount BACKING_DIR MOUNT_DIR CONTROL_SOCKET
 *   java -jar omnitest-faultfs.jar ctl CONTROL_SOCKET COMMAND...
 * </pre>
 *
 * {@code mount} serves MOUNT_DIR as a pass-through of BACKING_DIR in the foreground until SIGTERM
 * or SIGINT, then unmounts. {@code ctl} sends one control command ({@link ControlCommand}) and
 * prints the reply; exit 0 when it starts with {@code ok}. Exit codes: 64 bad usage, 69 FUSE not
 * usable, 1 the command was refused.
 */
public final class FaultFsMain {
    static final int EXIT_USAGE = 64;
    static final int EXIT_UNAVAILABLE = 69;
    /** FUSE options: no kernel page cache or attribute cache, so a drop is seen at once. */
    static final String[] FUSE_OPTIONS = {
        "-o", "direct_io,attr_timeout=0,entry_timeout=0,negative_timeout=0,fsname=omnitest-faultfs"
    };

    private FaultFsMain() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length >= 3 && args[0].equals("ctl")) {
            try {
                String reply = ControlServer.request(
                        Path.of(args[1]), String.join(" ", Arrays.copyOfRange(args, 2, args.length)));
                out.println(reply);
                return reply.startsWith("ok") ? 0 : 1;
            } catch (IOException e) {
                err.println("faultfs: cannot reach the control socket " + args[1] + ": " + e.getMessage());
                return EXIT_UNAVAILABLE;
            }
        }
        if (args.length == 4 && args[0].equals("mount"))
            return mount(Path.of(args[1]), Path.of(args[2]), Path.of(args[3]), err);
        err.println(
                "usage: omnitest-faultfs mount BACKING_DIR MOUNT_DIR CONTROL_SOCKET | ctl CONTROL_SOCKET COMMAND...");
        return EXIT_USAGE;
    }

    private static int mount(Path backing, Path mountPoint, Path socket, PrintStream err) {
        Consumer<String> log = line -> err.println(Instant.now() + " " + line);
        if (!Files.isDirectory(backing) || !Files.isDirectory(mountPoint)) {
            err.println("faultfs: " + (Files.isDirectory(backing) ? mountPoint : backing) + " is not a directory");
            return EXIT_USAGE;
        }
        FaultFs fs = new FaultFs(backing, log);
        CountDownLatch stopped = new CountDownLatch(1);
        try (ControlServer control = ControlServer.start(socket, fs::control, log)) {
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                fs.umount();
                                stopped.countDown();
                            },
                            "faultfs-umount"));
            fs.mount(mountPoint, false, false, FUSE_OPTIONS);
            log.accept("faultfs: serving " + backing + " at " + mountPoint + ", control " + socket);
            stopped.await();
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("faultfs: " + e.getMessage());
            return EXIT_USAGE;
        } catch (IOException | RuntimeException | LinkageError e) {
            err.println("faultfs: cannot mount " + mountPoint + ": " + e);
            fs.umount();
            return EXIT_UNAVAILABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
