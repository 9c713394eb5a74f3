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
        return sorted[index(sorted.length, q)];
    }

    /** The 0-based position of the q-quantile among n ≥ 1 sorted samples. */
    private static int index(int n, double q) {
        int rank = (int) Math.ceil(q * n);
        return Math.max(0, Math.min(n, rank) - 1);
    }

    /**
     * {@code {"count", "p50-ns", "p95-ns", "p99-ns", "max-ns"}} of the samples of several runs
     * together (at least one sample in all): run r is the first {@code sizes[r]} of {@code runs[r]},
     * unsorted, which this sorts in place. The ranks are picked by walking the sorted runs merged,
     * so no array of all samples is made.
     */
    static Map<String, Object> summary(long[][] runs, int[] sizes) {
        int n = 0;
        long max = Long.MIN_VALUE;
        for (int r = 0; r < runs.length; r++) {
            if (sizes[r] == 0) continue;
            Arrays.sort(runs[r], 0, sizes[r]);
            n += sizes[r];
            max = Math.max(max, runs[r][sizes[r] - 1]);
        }
        int[] wanted = {index(n, 0.50), index(n, 0.95), index(n, 0.99)};
        long[] found = new long[wanted.length];
        int[] next = new int[runs.length];
        int w = 0;
        for (int k = 0; w < wanted.length; k++) {
            int min = -1;
            for (int r = 0; r < runs.length; r++) {
                if (next[r] < sizes[r] && (min < 0 || runs[r][next[r]] < runs[min][next[min]])) min = r;
            }
            long v = runs[min][next[min]++];
            while (w < wanted.length && wanted[w] == k) found[w++] = v;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", (long) n);
        m.put("p50-ns", found[0]);
        m.put("p95-ns", found[1]);
        m.put("p99-ns", found[2]);
        m.put("max-ns", max);
        return m;
    }

    /** Nanoseconds as milliseconds with up to 3 decimals, for sentences. */
    static String ms(long nanos) {
        return new java.math.BigDecimal(nanos)
                        .movePointLeft(6)
                        .setScale(3, java.math.RoundingMode.HALF_UP)
                        .stripTrailingZeros()
                        .toPlainString()
                + " ms";
    }
}
