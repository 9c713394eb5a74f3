package io.omnitest.checker;

/** A checker's verdict. UNKNOWN is a first-class answer: a checker that cannot decide says so. */
public enum Validity {
    TRUE,
    FALSE,
    UNKNOWN;

    /** Combines verdicts: any FALSE wins, then any UNKNOWN, else TRUE. */
    public Validity and(Validity o) {
        if (this == FALSE || o == FALSE) return FALSE;
        if (this == UNKNOWN || o == UNKNOWN) return UNKNOWN;
        return TRUE;
    }

    /** The JSON form used in results.json: true, false or "unknown". */
    public Object json() {
        return this == TRUE ? Boolean.TRUE : this == FALSE ? Boolean.FALSE : "unknown";
    }

    /** The word a verdict line prints: {@code valid}, {@code INVALID} or {@code unknown}. */
    public String word() {
        return this == TRUE ? "valid" : this == FALSE ? "INVALID" : "unknown";
    }

    /** The process exit code of a run or check with this verdict: 0 valid, 1 anomaly found, 2 unknown. */
    public int exitCode() {
        return this == TRUE ? 0 : this == FALSE ? 1 : 2;
    }
}
