package io.omnitest.checker.linear;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Searches the partitions of one check, smallest first, on at most {@code parallelism}
 * threads. The first partition found not linearizable cancels the rest through the shared
 * {@link SearchBudget}. The pool lives only for one check and its threads are daemons.
 */
final class PartitionRunner {
    private final DeterministicModel model;
    private final SearchBudget budget;
    private final int parallelism;

    PartitionRunner(DeterministicModel model, SearchBudget budget, int parallelism) {
        this.model = model;
        this.budget = budget;
        this.parallelism = Math.max(1, parallelism);
    }

    /** Outcomes by partition position; null for a partition never started because another failed. */
    List<SearchOutcome> run(List<Partition> partitions) {
        SearchOutcome[] outcomes = new SearchOutcome[partitions.size()];
        List<Integer> order = Linearizability.schedule(partitions);
        int threads = Math.min(parallelism, partitions.size());
        if (threads <= 1) {
            for (int i : order) {
                outcomes[i] = search(partitions.get(i));
                if (outcomes[i].status() == SearchOutcome.Status.NOT_LINEARIZABLE) break;
            }
            return Arrays.asList(outcomes);
        }
        AtomicInteger nextTask = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "linearizable-search");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < threads; w++) {
                workers.add(pool.submit(() -> {
                    for (int k = nextTask.getAndIncrement(); k < order.size(); k = nextTask.getAndIncrement()) {
                        int i = order.get(k);
                        SearchOutcome o = search(partitions.get(i));
                        outcomes[i] = o;
                        // Only a failure settles the verdict; after a timeout or a spent memory budget the
                        // other partitions stop by themselves at their next poll or memo chunk.
                        if (o.status() == SearchOutcome.Status.NOT_LINEARIZABLE) budget.cancel();
                        if (o.status() == SearchOutcome.Status.NOT_LINEARIZABLE || o.status() == SearchOutcome.Status.CANCELLED) return;
                    }
                }));
            }
            for (Future<?> f : workers) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            budget.cancel();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            budget.cancel();
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return Arrays.asList(outcomes);
    }

    private SearchOutcome search(Partition p) {
        SearchBudget.Stop stop = budget.poll();
        if (stop == SearchBudget.Stop.CANCELLED) return SearchOutcome.stopped(SearchOutcome.Status.CANCELLED, 0);
        if (stop == SearchBudget.Stop.TIMEOUT) return SearchOutcome.stopped(SearchOutcome.Status.TIMEOUT, 0);
        return new LinearSearch(model, p.ops(), budget).run();
    }
}
