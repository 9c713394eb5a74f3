package io.omnitest.checker.history;

import java.math.BigInteger;

/**
 * The fields of one op map as a reader finds them, before they become an {@link Op}: the
 * JSONL and EDN readers fill it field by field (no map per op) and {@link #toOp} applies the
 * rules both formats share:
 *
 * <ul>
 *   <li>{@code type} (required): invoke, ok, fail or info;</li>
 *   <li>{@code process} (required), by Jepsen's rule: a client is an integer (0 to
 *       2<sup>31</sup>−1 here); the nemesis is the keyword {@code :nemesis} in EDN, the string
 *       {@code "nemesis"} in JSON Lines. Anything else (another string, a symbol, an integer out
 *       of range) makes the history malformed: taking it for the nemesis would drop client
 *       operations and could turn an invalid history into a valid one;</li>
 *   <li>{@code f} (required): a name;</li>
 *   <li>{@code value}, {@code node}, {@code error} (optional); {@code index} (optional, the
 *       position in the file when absent); {@code time} (optional, -1 when absent);</li>
 *   <li>{@code key} (Porcupine kv logs only): folded into the value as {@code [key, value]}.</li>
 * </ul>
 * Other fields are ignored, as Jepsen's tools do. Problems throw {@link MalformedHistoryException}
 * with the op's position; the reader adds file and line.
 */
final class OpFields {
    /** The EDN reader's value for {@code :process :nemesis}. */
    static final Object NEMESIS = new Object() {
        @Override
        public String toString() {
            return ":nemesis";
        }
    };

    private final boolean foldKey;
    private Object index, time, type, process, f, value, node, error, key;
    private boolean hasProcess, hasKey;

    OpFields() {
        this(false);
    }

    /** @param foldKey true for Porcupine kv logs: a {@code key} field moves into the value */
    OpFields(boolean foldKey) {
        this.foldKey = foldKey;
    }

    void clear() {
        index = time = type = process = f = value = node = error = key = null;
        hasProcess = hasKey = false;
    }

    void process(Object p) {
        process = p;
        hasProcess = true;
    }

    /** Sets a field by name; unknown fields are ignored. */
    void set(String name, Object v) {
        // by length, then equals: cheaper per op than a switch on the name's hash
        switch (name.length()) {
            case 1 -> {
                if (name.equals("f")) f = v;
            }
            case 3 -> {
                if (name.equals("key")) {
                    key = v;
                    hasKey = true;
                }
            }
            case 4 -> {
                if (name.equals("time")) time = v;
                else if (name.equals("type")) type = v;
                else if (name.equals("node")) node = v;
            }
            case 5 -> {
                if (name.equals("index")) index = v;
                else if (name.equals("value")) value = v;
                else if (name.equals("error")) error = v;
            }
            case 7 -> {
                if (name.equals("process")) process(v);
            }
            default -> {}
        }
    }

    private static Op.Type type(Object type) {
        if (type instanceof String s) {
            switch (s.length()) {
                case 2:
                    if (s.equals("ok")) return Op.Type.OK;
                    break;
                case 4:
                    if (s.equals("fail")) return Op.Type.FAIL;
                    if (s.equals("info")) return Op.Type.INFO;
                    break;
                case 6:
                    if (s.equals("invoke")) return Op.Type.INVOKE;
                    break;
                default:
                    break;
            }
        }
        return null;
    }

    /** The op at {@code position}; {@code json} selects JSON Lines' nemesis spelling. */
    Op toOp(int position, boolean json) {
        if (type == null) throw bad(position, "the op has no type");
        Op.Type t = type(type);
        if (t == null) throw bad(position, "unknown op type '" + type + "' (expected invoke, ok, fail or info)");
        if (!hasProcess) throw bad(position, "the op has no process");
        int p = process(position, json);
        if (!(f instanceof String fs) || fs.isEmpty()) {
            throw bad(position, f == null ? "the op has no f" : "the op's f is " + Values.describe(f) + ", not a name");
        }
        long i = optionalLong(index, "index", position, position);
        long tm = optionalLong(time, "time", -1, position);
        Object v = foldKey && hasKey ? ValueList.wrap(key, value) : value;
        return new Op(
                i,
                tm,
                t,
                p,
                fs,
                v,
                node == null ? null : Values.render(node),
                error == null ? null : Values.render(error));
    }

    private int process(int position, boolean json) {
        Object pr = process;
        if (pr instanceof Long l) {
            if (l < 0 || l > Integer.MAX_VALUE)
                throw bad(position, "process " + l + " is out of range (0.." + Integer.MAX_VALUE + ")");
            return (int) (long) l;
        }
        if (pr instanceof BigInteger b)
            throw bad(position, "process " + b + " is out of range (0.." + Integer.MAX_VALUE + ")");
        if (pr == NEMESIS || (json && "nemesis".equals(pr))) return Op.NEMESIS;
        if (json) throw bad(position, "the op's process is " + Values.describe(pr) + ", not an integer or \"nemesis\"");
        throw bad(position, "the op's process is " + Values.describe(pr) + ", not an integer or :nemesis");
    }

    private static long optionalLong(Object v, String key, long absent, int position) {
        if (v == null) return absent;
        if (v instanceof Long l) return l;
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p62) return d.longValue();
        throw bad(position, "the op's " + key + " is " + Values.describe(v) + ", not an integer");
    }

    private static MalformedHistoryException bad(int position, String sentence) {
        return new MalformedHistoryException(position, sentence);
    }
}
