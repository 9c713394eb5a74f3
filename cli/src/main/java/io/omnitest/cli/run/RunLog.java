package io.omnitest.cli.run;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The runner's log, {@code omnitest.log} in the run directory: everything logged through
 * {@link System.Logger} / java.util.logging while it is open (the runner, infra, nuke) goes there.
 * {@link #quietConsole} keeps log lines off the terminal meanwhile, so they do not tear the
 * progress line; {@code -v} shows them.
 */
public final class RunLog implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("io.omnitest.cli.run");
    private final Logger root = Logger.getLogger("");
    private final FileHandler file;
    private final Level rootLevel;

    public RunLog(Path logFile) throws IOException {
        file = new FileHandler(logFile.toString(), true);
        file.setFormatter(new LineFormatter());
        file.setLevel(Level.ALL);
        rootLevel = root.getLevel();
        if (rootLevel == null || rootLevel.intValue() > Level.INFO.intValue()) root.setLevel(Level.INFO);
        root.addHandler(file);
    }

    public static void info(String format, Object... args) {
        LOG.log(System.Logger.Level.INFO, format, args);
    }

    public static void warn(String format, Object... args) {
        LOG.log(System.Logger.Level.WARNING, format, args);
    }

    public static void warn(String message, Throwable t) {
        LOG.log(System.Logger.Level.WARNING, message, t);
    }

    @Override
    public void close() {
        root.removeHandler(file);
        file.close();
        root.setLevel(rootLevel);
    }

    /**
     * Shows only severe log records on the console until closed (unless {@code verbose}); the run's
     * own messages go through the command's writers, the details into omnitest.log.
     */
    public static AutoCloseable quietConsole(boolean verbose) {
        List<Handler> quieted = new ArrayList<>();
        List<Level> levels = new ArrayList<>();
        if (!verbose) {
            for (Handler h : Logger.getLogger("").getHandlers()) {
                if (h instanceof ConsoleHandler) {
                    quieted.add(h);
                    levels.add(h.getLevel());
                    h.setLevel(Level.SEVERE);
                }
            }
        }
        return () -> {
            for (int i = 0; i < quieted.size(); i++) quieted.get(i).setLevel(levels.get(i));
        };
    }

    /** {@code 2026-11-22T03:04:05.067Z INFO    logger: message}, then the stack trace if any. */
    static final class LineFormatter extends Formatter {
        @Override
        public String format(LogRecord r) {
            StringBuilder b = new StringBuilder();
            b.append(Instant.ofEpochMilli(r.getMillis()))
                    .append(' ')
                    .append(String.format("%-7s", r.getLevel().getName()))
                    .append(' ')
                    .append(shortName(r.getLoggerName()))
                    .append(": ")
                    .append(formatMessage(r))
                    .append('\n');
            if (r.getThrown() != null) {
                java.io.StringWriter w = new java.io.StringWriter();
                r.getThrown().printStackTrace(new java.io.PrintWriter(w));
                b.append(w);
            }
            return b.toString();
        }

        private static String shortName(String name) {
            if (name == null) return "";
            int dot = name.lastIndexOf('.');
            return dot < 0 ? name : name.substring(dot + 1);
        }
    }
}
