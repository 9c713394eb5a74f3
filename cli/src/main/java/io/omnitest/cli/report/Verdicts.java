package io.omnitest.cli.report;

import io.omnitest.checker.Validity;

/** Reads the verdicts of results.json: {@code true}, {@code false} or {@code "unknown"}. */
final class Verdicts {
    private Verdicts() {}

    static Validity of(Object json) {
        if (Boolean.TRUE.equals(json) || "true".equals(json)) return Validity.TRUE;
        if (Boolean.FALSE.equals(json) || "false".equals(json)) return Validity.FALSE;
        return Validity.UNKNOWN;
    }

    static String word(Validity v) {
        return switch (v) {
            case TRUE -> "valid";
            case FALSE -> "invalid";
            case UNKNOWN -> "unknown";
        };
    }
}
