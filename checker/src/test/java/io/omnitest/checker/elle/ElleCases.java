package io.omnitest.checker.elle;

import static io.omnitest.checker.elle.Txns.append;
import static io.omnitest.checker.elle.Txns.r;

import io.omnitest.checker.Checker;
import io.omnitest.checker.history.History;
import io.omnitest.checker.history.Op;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Seeded list-append and rw-register histories, valid and invalid, with the checkers to run on
 * them: the set on which the in-memory and the streamed Elle paths must agree.
 */
final class ElleCases {
    private ElleCases() {}

    /** A named history and the checker it is meant for. */
    record Case(String name, History history, Checker checker) {}

    static List<Case> generated() {
        List<Case> out = new ArrayList<>();
        for (int seed = 1; seed <= 6; seed++) {
            ConsistencyModel model = ConsistencyModel.values()[seed % ConsistencyModel.values().length];
            Checker checker = new ListAppendChecker(model, Budget.UNLIMITED);
            out.add(new Case(
                    "list-append valid seed " + seed + " " + model.wire(),
                    new ListAppendGenerator(seed, 10, 6, 16).run(400),
                    checker));
            out.add(new Case(
                    "list-append stale seed " + seed + " " + model.wire(),
                    new ListAppendGenerator(seed, 10, 6, 16).staleReads(0.05).run(400),
                    checker));
        }
        Random random = new Random(20261203L);
        for (int i = 0; i < 60; i++) {
            long seed = random.nextLong();
            out.add(new Case(
                    "rw-register seed " + seed,
                    new RwRegisterCrossCheckTest.SmallRegisterHistory(new Random(seed)).build(),
                    new RwRegisterChecker(
                            ConsistencyModel.STRICT_SERIALIZABLE,
                            Budget.UNLIMITED,
                            i % 2 == 0
                                    ? RwRegisterChecker.Options.DEFAULTS
                                    : RwRegisterChecker.Options.ELLE_DEFAULTS)));
        }
        ListAppendChecker strict = new ListAppendChecker();
        // Unsupported histories: the first problem in invocation order is the one reported, even
        // when a later-invoked txn completes (and is parsed) first.
        out.add(new Case(
                "duplicate append after an earlier unsupported txn completes late",
                new Txns()
                        .invoke(1, append(1, 1))
                        .txn(2, append(1, 2), r(1, 2))
                        .txn(3, append(1, 2))
                        .add(Op.Type.OK, 1, List.of(Arrays.asList("w", 1, 1)))
                        .build(),
                strict));
        out.add(new Case(
                "duplicate append in a txn invoked before one of another f",
                new Txns()
                        .invoke(1, append(1, 5))
                        .raw(new Op(0, 0, Op.Type.INVOKE, 2, "read", null, null, null))
                        .raw(new Op(0, 0, Op.Type.OK, 2, "read", 3L, null, null))
                        .ok(1, append(1, 5), append(2, 7), append(2, 7))
                        .build(),
                strict));
        out.add(new Case(
                "string keys and values, info and open txns",
                new Txns()
                        .txn(1, append("a", "x"), r("b"))
                        .invoke(2, append("b", "y"))
                        .invoke(3, append("a", 2L), r("a"))
                        .ok(3, append("a", 2L), r("a", "x", 2L))
                        .info(2, append("b", "y"))
                        .txn(4, r("a", "x"), r("b", "y"))
                        .invoke(5, append("c", 1))
                        .build(),
                strict));
        return out;
    }
}
