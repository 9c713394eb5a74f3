package io.omnitest.checker.elle;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each key's version order, inferred as Elle does from the longest ok read of that key: since
 * appends only ever extend a list, every other read must be a prefix of it. Reads that are not
 * are reported as incompatible-order; reads holding an element twice as duplicate-elements.
 */
final class VersionOrders {
    private final TxnTable txns;
    /** The longest ok read of each key (a micro-op id), -1 if the key was never read non-empty. */
    final int[] longest;

    private final int[] orderStart; // distinct elements of key k: order[orderStart[k] .. orderStart[k+1]-1]
    private final int[] order;
    /** Position of each value in its key's version order, -1 if no ok read ever showed it. */
    final int[] position;

    VersionOrders(TxnTable txns, Anomalies out, Describe words, Budget budget) {
        this.txns = txns;
        int keys = txns.keyCount();
        longest = new int[keys];
        Arrays.fill(longest, -1);
        for (int m = 0; m < txns.mopKind.length; m++) {
            int len = txns.readLen[m];
            if (txns.mopKind[m] != TxnTable.READ || len <= 0) continue;
            int k = txns.mopKey[m];
            if (longest[k] < 0 || len > txns.readLen[longest[k]]) longest[k] = m;
        }
        position = new int[txns.valueCount()];
        Arrays.fill(position, -1);
        orderStart = new int[keys + 1];
        IntList ord = new IntList(txns.valueCount() + 1);
        for (int k = 0; k < keys; k++) {
            orderStart[k] = ord.size();
            int m = longest[k];
            if (m < 0) continue;
            int base = ord.size();
            for (int i = 0; i < txns.readLen[m]; i++) {
                int v = txns.readElems[txns.readStart[m] + i];
                if (position[v] < 0) {
                    position[v] = ord.size() - base;
                    ord.add(v);
                }
            }
        }
        orderStart[keys] = ord.size();
        order = ord.toArray();
        if (budget.exhausted()) throw new Budget.Exhausted("version order inference");
        checkReads(out, words, budget);
    }

    /** Number of distinct elements in key k's version order. */
    int length(int k) {
        return orderStart[k + 1] - orderStart[k];
    }

    /** The element at position p of key k's version order. */
    int at(int k, int p) {
        return order[orderStart[k] + p];
    }

    /**
     * The element appended just before value v on key k, or -1 for the initial empty list. An
     * element no read showed can only be placed after everything that was observed.
     */
    int previous(int k, int v) {
        int p = position[v];
        if (p < 0) return length(k) == 0 ? -1 : at(k, length(k) - 1);
        return p == 0 ? -1 : at(k, p - 1);
    }

    private void checkReads(Anomalies out, Describe words, Budget budget) {
        int[] seenIn = new int[txns.valueCount()];
        boolean[] keyReported = new boolean[txns.keyCount()];
        int[] incompatibleReads = new int[txns.keyCount()];
        int[] firstIncompatible = new int[txns.keyCount()];
        for (int m = 0; m < txns.mopKind.length; m++) {
            if ((m & 0xFFFF) == 0 && budget.exhausted()) throw new Budget.Exhausted("read checks");
            int len = txns.readLen[m];
            if (txns.mopKind[m] != TxnTable.READ || len <= 0) continue;
            int k = txns.mopKey[m];
            int base = txns.readStart[m];
            int lbase = txns.readStart[longest[k]];
            int dupAt = -1;
            int diff = -1;
            for (int i = 0; i < len; i++) {
                int v = txns.readElems[base + i];
                if (seenIn[v] == m + 1 && dupAt < 0) dupAt = v;
                seenIn[v] = m + 1;
                if (diff < 0 && txns.readElems[lbase + i] != v) diff = i;
            }
            if (dupAt >= 0) duplicate(out, words, m, dupAt);
            if (diff >= 0) {
                if (incompatibleReads[k]++ == 0) firstIncompatible[k] = m;
                keyReported[k] = true;
            }
        }
        for (int k = 0; k < keyReported.length; k++) {
            if (keyReported[k]) incompatible(out, words, k, firstIncompatible[k], incompatibleReads[k]);
        }
    }

    private void duplicate(Anomalies out, Describe words, int m, int v) {
        int t = txns.txnOfMop(m);
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("ops", List.of(words.op(t)));
        ev.put("key", words.keyObject(txns.mopKey[m]));
        ev.put("value", words.valueObject(v));
        ev.put("read", txns.readValues(m));
        out.add(
                "duplicate-elements",
                capital(words.txn(t)) + " read " + words.key(txns.mopKey[m]) + " = " + words.read(m) + ", which holds "
                        + words.value(v) + " more than once, yet every value is appended only once.",
                ev);
    }

    private void incompatible(Anomalies out, Describe words, int k, int m, int count) {
        int lm = longest[k];
        int t = txns.txnOfMop(m), lt = txns.txnOfMop(lm);
        int i = 0;
        while (txns.readElems[txns.readStart[m] + i] == txns.readElems[txns.readStart[lm] + i]) i++;
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("ops", List.of(words.op(t), words.op(lt)));
        ev.put("key", words.keyObject(k));
        ev.put("values", List.of(txns.readValues(m), txns.readValues(lm)));
        ev.put("incompatible-reads", count);
        out.add(
                "incompatible-order",
                "On " + words.key(k) + ", " + words.txn(t) + " read " + words.read(m) + " but "
                        + words.txn(lt) + " read " + words.read(lm) + ": they differ at position " + i + " ("
                        + words.value(txns.readElems[txns.readStart[m] + i]) + " vs "
                        + words.value(txns.readElems[txns.readStart[lm] + i])
                        + "), so no single order of appends explains both"
                        + (count > 1 ? " (" + count + " reads of this key disagree with its longest read)." : "."),
                ev);
    }

    static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
