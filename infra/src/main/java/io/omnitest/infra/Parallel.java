package io.omnitest.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Runs one action per host at the same time (hosts are slow, CPUs here are few, so the
 * common fork-join pool is not used). The first failure is rethrown after all finished.
 */
public final class Parallel {
    private Parallel() {}

    /** Applies {@code action} to every item concurrently; results in input order. */
    public static <T, R> List<R> map(List<T> items, Function<T, R> action) {
        if (items.size() <= 1) {
            return items.stream().map(action).toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(items.size(), r -> {
            Thread t = new Thread(r, "omnitest-parallel");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            for (T item : items) {
                futures.add(pool.submit(() -> action.apply(item)));
            }
            List<R> results = new ArrayList<>();
            RuntimeException failure = null;
            for (Future<R> f : futures) {
                try {
                    results.add(f.get());
                } catch (ExecutionException e) {
                    RuntimeException cause = e.getCause() instanceof RuntimeException re
                            ? re
                            : new RemoteException(String.valueOf(e.getCause().getMessage()), e.getCause());
                    if (failure == null) {
                        failure = cause;
                    } else if (failure != cause) {
                        failure.addSuppressed(cause);
                    }
                    results.add(null);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new RemoteException("interrupted while waiting for hosts.", e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs {@code action} on every item concurrently. */
    public static <T> void forEach(List<T> items, java.util.function.Consumer<T> action) {
        map(items, t -> {
            action.accept(t);
            return Boolean.TRUE;
        });
    }
}
