package io.omnitest.checker.linear;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Searches the partitions of one check on at most {@code parallelism} threads. Partitions
 * take turns: each search runs a slice of {@link #SLICE_STEPS} steps and then goes to the
 * back of the queue, smallest partitions first. So a partition whose search explodes cannot
 * keep a failing sibling from being reached, and the first partition found not linearizable
 * cancels the rest through the shared {@link SearchBudget}. The calling thread is one of the
 * workers; the pool for the others lives only for one check and its threads are daemons.
 */
final class PartitionRunner {
    static final long SLICE_STEPS = 1 << 16;

    private final DeterministicModel model;
    private final SearchBudget budget;
    private final int parallelism;

    private record Task(int partition, LinearSearch search) {}

    PartitionRunner(DeterministicModel model, SearchBudget budget, int parallelism) {
        this.model = model;
        this.budget = budget;
        this.parallelism = Math.max(1, parallelism);
    }

    /** Outcomes by partition position; null for a partition left unfinished because another failed. */
    List<SearchOutcome> run(List<Partition> partitions) {
        SearchOutcome[] outcomes = new SearchOutcome[partitions.size()];
        Queue<Task> queue = new ConcurrentLinkedQueue<>();
        for (int i : Linearizability.schedule(partitions))
            queue.add(new Task(i, new LinearSearch(model, partitions.get(i).ops(), budget)));
        int threads = Math.min(parallelism, partitions.size());
        if (threads <= 1) {
            work(queue, outcomes);
            return Arrays.asList(outcomes);
        }
        // The calling thread is one of the workers.
        ExecutorService pool = Executors.newFixedThreadPool(threads - 1, r -> {
            Thread t = new Thread(r, "linearizable-search");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 1; w < threads; w++) workers.add(pool.submit(() -> work(queue, outcomes)));
            work(queue, outcomes);
            for (Future<?> f : workers) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            budget.cancel();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            budget.cancel();
            throw new IllegalStateException(e.getCause());
        } catch (RuntimeException e) {
            budget.cancel(); // stop the pool's workers before the exception leaves
            throw e;
        } finally {
            pool.shutdownNow();
        }
        return Arrays.asList(outcomes);
    }

    /** One worker: takes a partition, runs one slice, records the outcome or requeues it. */
    private void work(Queue<Task> queue, SearchOutcome[] outcomes) {
        for (Task t = queue.poll(); t != null; t = queue.poll()) {
            SearchOutcome o = t.search().run(SLICE_STEPS);
            if (o == null) {
                queue.add(t);
                continue;
            }
            outcomes[t.partition()] = o;
            // Only a failure settles the verdict; after a timeout or a spent memory budget the
            // other partitions stop by themselves at their next poll or memo chunk.
            if (o.status() == SearchOutcome.Status.NOT_LINEARIZABLE) {
                budget.cancel();
                return;
            }
            if (o.status() == SearchOutcome.Status.CANCELLED) return;
        }
    }
}
