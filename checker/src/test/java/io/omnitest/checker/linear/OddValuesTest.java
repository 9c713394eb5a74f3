package io.omnitest.checker.linear;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.omnitest.checker.Result;
import io.omnitest.checker.Validity;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Values at the edges of what readers produce: nil writes, integers past a long, numbers vs strings. */
class OddValuesTest {
    static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);

    static Result check(Model model, H h) {
        return LinearizabilityTest.check(model, h);
    }

    static List<Object> txn(Object... mops) {
        return Arrays.asList(mops);
    }

    static List<Object> mop(String f, String k, Object v) {
        return Arrays.asList(f, k, v);
    }

    /** As in Knossos' multi-register (assoc k nil): the register then holds nil, and reads of nil observe nothing. */
    @Test
    void multiRegisterWriteOfNilHoldsNil() {
        Model m = Models.multiRegister(0L, Map.of());
        H nilThenNil = new H()
                .call(0, "txn", txn(mop("write", "x", null)), txn(mop("write", "x", null)))
                .call(1, "txn", txn(mop("read", "x", null)), txn(mop("read", "x", null)));
        assertEquals(
                Validity.TRUE,
                check(m, nilThenNil).valid(),
                check(m, nilThenNil).summary());

        H nilThenZero = new H()
                .call(0, "txn", txn(mop("write", "x", null)), txn(mop("write", "x", null)))
                .call(1, "txn", txn(mop("read", "x", null)), txn(mop("read", "x", 0L)));
        Result r = check(m, nilThenZero);
        assertEquals(Validity.FALSE, r.valid(), r.summary());
        assertEquals(
                "no order of the operations explains txn [read x → 0] by process 1 (index 2); after the longest"
                        + " linearizable prefix (1 ops) the state is {x=null} (others 0)",
                r.summary());
    }

    @Test
    void twoToThe64IsNotTheStringOfItsDigits() {
        H h = new H().call(0, "write", TWO_TO_64, TWO_TO_64).call(1, "read", null, TWO_TO_64.toString());
        Result r = check(Models.casRegister(0L), h);
        assertEquals(Validity.FALSE, r.valid(), r.summary());
        H same = new H()
                .call(0, "write", TWO_TO_64, TWO_TO_64)
                .call(1, "read", null, new BigInteger(TWO_TO_64.toString()));
        assertEquals(Validity.TRUE, check(Models.casRegister(0L), same).valid());
    }

    /** A reader may give a small integer as Integer, Long or BigInteger: all are the same value. */
    @Test
    void integersOfEveryWidthAreOneValue() {
        H h = new H()
                .call(0, "write", BigInteger.valueOf(5), BigInteger.valueOf(5))
                .call(1, "read", null, 5)
                .call(0, "cas", List.of(5L, BigInteger.valueOf(6)), List.of(5L, BigInteger.valueOf(6)))
                .call(1, "read", null, 6L);
        Result r = check(Models.casRegister(0L), h);
        assertEquals(Validity.TRUE, r.valid(), r.summary());
        Result asString =
                check(Models.casRegister(0L), new H().call(0, "write", 5L, 5L).call(1, "read", null, "5"));
        assertEquals(Validity.FALSE, asString.valid(), asString.summary());
    }

    @Test
    void multiRegisterTellsTwoToThe64FromItsDigits() {
        Model m = Models.multiRegister(0L, Map.of());
        H h = new H()
                .call(0, "txn", txn(mop("write", "x", TWO_TO_64)), txn(mop("write", "x", TWO_TO_64)))
                .call(1, "txn", txn(mop("read", "x", null)), txn(mop("read", "x", TWO_TO_64.toString())));
        assertEquals(Validity.FALSE, check(m, h).valid());
    }
}
