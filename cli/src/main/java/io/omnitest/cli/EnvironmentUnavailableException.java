package io.omnitest.cli;

/**
 * The environment cannot run what was asked (host unreachable, not root for a local cluster,
 * a tool missing): exit 69. The message is one sentence naming the fix.
 */
public class EnvironmentUnavailableException extends RuntimeException {
    public EnvironmentUnavailableException(String sentence) {
        super(sentence);
    }

    public EnvironmentUnavailableException(String sentence, Throwable cause) {
        super(sentence, cause);
    }
}
