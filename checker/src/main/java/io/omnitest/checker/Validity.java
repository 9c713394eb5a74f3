package io.omnitest.checker;

/** A checker's verdict. UNKNOWN is a first-class answer: a checker that cannot decide says so. */
public enum Validity {
    TRUE, FALSE, UNKNOWN;

    /** Combines verdicts: any FALSE wins, then any UNKNOWN, else TRUE. */
    public Validity and(Validity o) {
        if (this == FALSE || o == FALSE) return FALSE;
        if (this == UNKNOWN || o == UNKNOWN) return UNKNOWN;
        return TRUE;
    }

    /** The JSON form used in results.json: true, false or "unknown". */
    public Object json() { return this == TRUE ? Boolean.TRUE : this == FALSE ? Boolean.FALSE : "unknown"; }
}
