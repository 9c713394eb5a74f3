package io.omnitest.checker.history;

/**
 * One history event, mirroring a Jepsen op map (docs/ARCHITECTURE.md §3).
 *
 * <p>{@code value} is a plain JSON-like tree: {@code null}, {@link String}, {@link Long},
 * {@link Double}, {@link Boolean}, {@link java.util.List} or {@link java.util.Map} (keys are
 * strings). Codecs normalise every source format (JSONL, EDN, Porcupine logs) to that shape:
 * EDN keywords become strings without the colon, vectors become lists, integers become Long.
 *
 * @param index   position in the history, 0-based, unique and increasing
 * @param time    nanoseconds since the test started, or -1 when the source has no times
 * @param process the logical client process, or {@link #NEMESIS} for the nemesis
 * @param node    the SUT node the client talked to, or null
 * @param error   the error a failed/indeterminate op carried, or null
 */
public record Op(long index, long time, Type type, int process, String f, Object value, String node, String error) {
    public static final int NEMESIS = -1;

    public enum Type {
        INVOKE,
        OK,
        FAIL,
        INFO;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Type parse(String s) {
            return switch (s) {
                case "invoke" -> INVOKE;
                case "ok" -> OK;
                case "fail" -> FAIL;
                case "info" -> INFO;
                default -> throw new IllegalArgumentException("unknown op type '" + s + "'");
            };
        }
    }

    public boolean isInvoke() {
        return type == Type.INVOKE;
    }

    public boolean isNemesis() {
        return process == NEMESIS;
    }

    public Op withIndex(long i) {
        return new Op(i, time, type, process, f, value, node, error);
    }

    public Op withValue(Object v) {
        return new Op(index, time, type, process, f, v, node, error);
    }
}
