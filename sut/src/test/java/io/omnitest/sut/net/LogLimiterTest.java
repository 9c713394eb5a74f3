package io.omnitest.sut.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogLimiterTest {
    @Test
    void oneLinePerIntervalAndTheNextSaysHowManyWereSuppressed() {
        List<String> out = new ArrayList<>();
        long[] now = {5_000_000_000L};
        LogLimiter limiter = new LogLimiter(out::add, 1000, () -> now[0]);
        limiter.accept("a");
        limiter.accept("b");
        limiter.accept("c");
        now[0] += 999_999_999L;
        limiter.accept("d");
        now[0] += 1;
        limiter.accept("e");
        limiter.accept("f");
        now[0] += 1_000_000_000L;
        limiter.accept("g");
        assertEquals(List.of("a", "e (and 3 similar lines suppressed)", "g (and 1 similar lines suppressed)"), out);
    }
}
