package io.omnitest.checker.elle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Words and report maps for txns, keys and values: the vocabulary every explanation shares. */
final class Describe {
    private final TxnTable txns;

    Describe(TxnTable txns) {
        this.txns = txns;
    }

    /** "the txn at index 12 (process 3)", with "info"/"failed" when it did not complete ok. */
    String txn(int t) {
        String st = switch (txns.status[t]) {
            case TxnTable.OK -> "";
            case TxnTable.FAIL -> "failed ";
            default -> "indeterminate (info) ";
        };
        return "the " + st + "txn at index " + txns.opIndex(t) + " (process " + txns.process[t] + ")";
    }

    /** "T1 (index 12, process 3)" */
    String named(String name, int t) {
        return name + " (index " + txns.opIndex(t) + ", process " + txns.process[t]
                + (txns.status[t] == TxnTable.INFO ? ", info" : "") + ")";
    }

    String key(int k) {
        return "key " + TxnTable.show(txns.key(k));
    }

    String value(int v) {
        return TxnTable.show(txns.value(v));
    }

    /** A read's result as the history shows it: "[1 2 3]" for a list, "3" or "nil" for a register. */
    String read(int mop) {
        if (!txns.registers) return list(txns.readValues(mop));
        return txns.readLen[mop] == 1 ? value(txns.readElems[txns.readStart[mop]]) : "nil";
    }

    /** "appended" or "wrote": what a txn does to a key in this workload. */
    String wrote() {
        return txns.registers ? "wrote" : "appended";
    }

    static String list(List<?> values) {
        StringJoiner j = new StringJoiner(" ", "[", "]");
        for (Object o : values) j.add(TxnTable.show(o));
        return j.toString();
    }

    /** The txn as a report shows it: {index, invoke-index, process, type, value}. */
    Map<String, Object> op(int t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", txns.opIndex(t));
        m.put("invoke-index", txns.invokeIndex(t));
        m.put("process", txns.process[t]);
        m.put(
                "type",
                switch (txns.status[t]) {
                    case TxnTable.OK -> "ok";
                    case TxnTable.FAIL -> "fail";
                    default -> "info";
                });
        m.put("value", new TxnTable.Mops(t)); // read again from the history by ElleRun
        return m;
    }

    Object keyObject(int k) {
        return txns.key(k);
    }

    Object valueObject(int v) {
        return v < 0 ? null : txns.value(v);
    }
}
