package io.omnitest.cli;

/** Bad usage found after parsing (conflicting options, unknown model name): exit 64. */
public class UsageException extends RuntimeException {
    public UsageException(String sentence) {
        super(sentence);
    }
}
