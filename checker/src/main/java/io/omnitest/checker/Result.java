package io.omnitest.checker;

import java.util.Map;

/**
 * What a checker found.
 *
 * @param valid   the verdict
 * @param summary one or two sentences a person reads first ("key k3: no order of 7 ops explains
 *                the read of 5 at index 812")
 * @param details a JSON-serialisable tree (maps, lists, strings, numbers, booleans) with the
 *                evidence, in a shape the report can draw; documented by each checker
 */
public record Result(Validity valid, String summary, Map<String, Object> details) {
    public static Result unknown(String cause) {
        return new Result(Validity.UNKNOWN, cause, Map.of("cause", cause));
    }
}
