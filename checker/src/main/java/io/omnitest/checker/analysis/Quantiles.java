package io.omnitest.checker.analysis;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Nearest-rank quantiles: the q-quantile of n sorted samples is the sample at rank
 * ⌈q·n⌉ (1-based), so every reported figure is a latency that actually happened.
 */
final class Quantiles {
    private Quantiles() {}

    static long of(long[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    /** {@code {"count", "p50-ns", "p95-ns", "p99-ns", "max-ns"}} of unsorted samples (n ≥ 1). */
    static Map<String, Object> summary(long[] samples, int n) {
        long[] s = Arrays.copyOf(samples, n);
        Arrays.sort(s);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", (long) n);
        m.put("p50-ns", of(s, 0.50));
        m.put("p95-ns", of(s, 0.95));
        m.put("p99-ns", of(s, 0.99));
        m.put("max-ns", s[n - 1]);
        return m;
    }

    /** Nanoseconds as milliseconds with up to 3 decimals, for sentences. */
    static String ms(long nanos) {
        return new java.math.BigDecimal(nanos).movePointLeft(6).setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString() + " ms";
    }
}
