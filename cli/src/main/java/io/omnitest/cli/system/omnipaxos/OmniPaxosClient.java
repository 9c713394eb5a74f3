package io.omnitest.cli.system.omnipaxos;

import io.omnitest.cli.run.Completion;
import io.omnitest.cli.run.WorkloadClient;
import io.omnitest.cli.run.workload.Invocation;
import io.omnitest.sut.client.KvClient;
import io.omnitest.sut.client.Outcome;
import io.omnitest.sut.kv.KvCommand;
import io.omnitest.sut.kv.KvStateMachine;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link WorkloadClient} on the SUT's {@link KvClient}: one connection set per logical
 * process, client id {@code p<process>-<random>}, one sequence number per operation. The random
 * part (64 bits, fresh for every client) keeps ids unique across runs: a data dir that survives a
 * run must never take a new run's {@code (client, seq)} for a retry of an old command.
 *
 * <p>Each operation goes to the process's own node first. If that node answers
 * {@code not-leader}, or cannot be reached at all, the command certainly did not execute, so it
 * is resent (same {@code (client, seq)}, which the nodes de-duplicate) to the leader it names or
 * the last known leader ({@link #redirect}), at most {@link #REDIRECTS} times; the history's
 * {@code node} stays the process's own node. A hint naming a node that just timed out
 * ({@link KvClient#isSuspect}) is not followed; the library's {@link KvClient#call} looks for
 * the leader instead.
 *
 * <p>When an attempt's outcome is unknown (no answer in time, the connection lost, the server's
 * own {@code timeout}), the command is retried once more with the same {@code (client, seq)}
 * through {@link KvClient#call}, which follows leader hints for the rest of {@link #RETRY_PATIENCE}:
 * a real client does this, and the SUT promises exactly-once execution of such retries
 * (docs/ARCHITECTURE.md §8), which omnitest must therefore exercise. Before the retry the client
 * backs off for a random time of up to {@link #RETRY_BACKOFF_MAX_MS} ms, as real clients do: at the
 * run's default rate that lets a retry land up to about a thousand commands after its first attempt executed,
 * with the client's session idle all that time, so the promise is tested over a span of the log
 * and not only right after the first attempt. The completion is ok when some attempt answered ok,
 * fail only when every attempt certainly failed, and info otherwise.
 *
 * <p>Duplicate delivery: a fraction ({@link #DUPLICATE_FRACTION}) of the commands that write is
 * also sent, at the same time and with the same {@code (client, seq)}, over a second connection
 * to the node last seen leading, as a client that retries early or a network that duplicates
 * a request would. Both copies may reach the log; the SUT promises to execute such a command
 * once (its sessions, docs/ARCHITECTURE.md §8), and without duplicates in flight together that
 * promise is hardly ever put to the test. The operation completes only when both copies are
 * answered ({@link #withDuplicate}).
 */
final class OmniPaxosClient implements WorkloadClient {
    static final int REDIRECTS = 2;
    /** Longer than the node's own request timeout (2 s), so the node's {@code timeout} answer usually arrives first. */
    static final int TIMEOUT_S = 3;

    static final Duration TIMEOUT = Duration.ofSeconds(TIMEOUT_S);
    /** How long the retry of a command with an unknown outcome may take, leader hints and all. */
    static final int RETRY_PATIENCE_S = 5;

    static final Duration RETRY_PATIENCE = Duration.ofSeconds(RETRY_PATIENCE_S);
    /** Longest back-off before the retry of an unknown outcome; taken out of {@link #RETRY_PATIENCE}. */
    static final int RETRY_BACKOFF_MAX_MS = 1500;
    /**
     * How long one operation may take to come back ok when the node it was waiting on failed
     * just after it was sent: the attempt's {@link #TIMEOUT}, then the retry's {@link #RETRY_PATIENCE}.
     */
    static final int SLOWEST_RECOVERED_OP_S = TIMEOUT_S + RETRY_PATIENCE_S;

    /** Share of writing commands sent twice at once (see the class comment). */
    static final double DUPLICATE_FRACTION = 0.1;

    private static final SecureRandom ID_RANDOM = new SecureRandom();

    private final KvClient client;
    private final String clientId;
    private final int nodeId;
    private final Map<Integer, InetSocketAddress> nodes;
    private final SplittableRandom random = new SplittableRandom(ID_RANDOM.nextLong());
    private KvClient duplicates;
    private ExecutorService duplicateSender;
    private long seq;

    /**
     * @param nodes  every node's client address by node id (1-based)
     * @param nodeId the process's own node
     */
    OmniPaxosClient(Map<Integer, InetSocketAddress> nodes, int process, int nodeId) {
        this.client = new KvClient(nodes);
        this.clientId = "p" + process + "-" + Long.toHexString(ID_RANDOM.nextLong());
        this.nodeId = nodeId;
        this.nodes = Map.copyOf(nodes);
    }

    /** This client's id on the wire (for tests). */
    String clientId() {
        return clientId;
    }

    @Override
    public Completion invoke(Invocation invocation) {
        KvCommand command = SutOps.command(invocation, clientId, ++seq);
        if (KvStateMachine.isReadOnly(command) || random.nextDouble() >= DUPLICATE_FRACTION) {
            return SutOps.completion(invocation, attempt(command));
        }
        if (duplicates == null) {
            duplicates = new KvClient(nodes);
            duplicateSender = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, clientId + "-duplicate");
                t.setDaemon(true);
                return t;
            });
        }
        int target = client.leaderGuess();
        CompletableFuture<Outcome> copy =
                CompletableFuture.supplyAsync(() -> duplicates.invoke(target, command, TIMEOUT), duplicateSender);
        Outcome outcome = attempt(command);
        Outcome second;
        try {
            second = copy.get(TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            second = new Outcome.Unknown("duplicate to node " + target + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            second = new Outcome.Unknown("duplicate to node " + target + " interrupted");
        }
        return SutOps.completion(invocation, withDuplicate(outcome, second));
    }

    /**
     * The outcome of a command sent twice: ok if either copy answered ok (the first's result when
     * both did: a correct SUT executes the command once and answers both with its result); fail
     * only when both certainly did not execute; else unknown.
     */
    static Outcome withDuplicate(Outcome first, Outcome duplicate) {
        if (first instanceof Outcome.Ok) return first;
        if (duplicate instanceof Outcome.Ok) return duplicate;
        if (first instanceof Outcome.Fail && duplicate instanceof Outcome.Fail) return first;
        String why = first instanceof Outcome.Fail f ? f.error() : ((Outcome.Unknown) first).reason();
        String dup = duplicate instanceof Outcome.Fail f ? f.error() : ((Outcome.Unknown) duplicate).reason();
        return new Outcome.Unknown(why + "; duplicate: " + dup);
    }

    /** One command through the process's node, redirects and the retry of an unknown outcome (see the class comment). */
    private Outcome attempt(KvCommand command) {
        int node = nodeId;
        Outcome outcome = client.invoke(node, command, TIMEOUT);
        for (int i = 0; i < REDIRECTS && outcome instanceof Outcome.Fail f; i++) {
            int next = redirect(f, node, client.leaderGuess());
            if (next == 0 || client.isSuspect(next)) break;
            node = next;
            outcome = client.invoke(node, command, TIMEOUT);
        }
        if (outcome instanceof Outcome.Unknown first) {
            long backoff = random.nextLong(RETRY_BACKOFF_MAX_MS + 1L);
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return first;
            }
            outcome = afterRetry(first, client.call(command, RETRY_PATIENCE.minusMillis(backoff)));
        } else if (outcome instanceof Outcome.Fail f
                && f.error().equals("not-leader")
                && client.isSuspect(f.leader())) {
            // the hint names a node that just timed out (a leader cut off from the majority still
            // believes it leads): nothing has executed yet, so let the library look for the real one
            outcome = client.call(command, RETRY_PATIENCE);
        }
        return outcome;
    }

    /**
     * The outcome of a command whose first attempt was unknown, given its retry's: ok if the retry
     * answered ok (the command executed, once), else still unknown (the first attempt may have
     * executed, even if the retry certainly did not).
     */
    static Outcome afterRetry(Outcome.Unknown first, Outcome retry) {
        if (retry instanceof Outcome.Ok) return retry;
        String why = retry instanceof Outcome.Fail f ? f.error() : ((Outcome.Unknown) retry).reason();
        return new Outcome.Unknown(first.reason() + "; retry: " + why);
    }

    /**
     * Where to resend a command that certainly did not execute, or 0 for nowhere: the leader a
     * {@code not-leader} answer names, or, when the node could not even be reached (killed,
     * paused before accepting), the node that last answered as leader.
     */
    static int redirect(Outcome.Fail f, int node, int leaderGuess) {
        int target = switch (f.error()) {
            case "not-leader" -> f.leader();
            case "unavailable" -> leaderGuess;
            default -> 0;
        };
        return target > 0 && target != node ? target : 0;
    }

    @Override
    public void close() {
        client.close();
        if (duplicates != null) {
            duplicateSender.shutdownNow();
            duplicates.close();
        }
    }
}
