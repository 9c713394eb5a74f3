package io.omnitest.infra;

/**
 * This machine or a host lacks something omnitest needs (root, a tool, a reachable host).
 * The message is one sentence that names the fix; the CLI maps this to exit code 69.
 */
public class EnvironmentUnavailable extends RuntimeException {
    public EnvironmentUnavailable(String message) {
        super(message);
    }

    public EnvironmentUnavailable(String message, Throwable cause) {
        super(message, cause);
    }
}
