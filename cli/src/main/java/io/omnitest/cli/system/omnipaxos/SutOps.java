package io.omnitest.cli.system.omnipaxos;

import io.omnitest.cli.run.Completion;
import io.omnitest.cli.run.workload.Invocation;
import io.omnitest.sut.client.Outcome;
import io.omnitest.sut.kv.KvCommand;
import io.omnitest.sut.kv.KvResult;
import io.omnitest.sut.kv.MicroOp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Pure translation between history ops and the OmniPaxos KV's commands and outcomes.
 *
 * <ul>
 *   <li>kv: {@code put}/{@code append}/{@code get} with value {@code [key, value]}; an ok get
 *       completes as {@code [key, read]}.</li>
 *   <li>list-append: {@code txn} of {@code ["append", k, 5]} / {@code ["r", k, null]}. The node
 *       stores strings, so appended numbers travel as decimal strings and read lists come back
 *       as numbers again (Elle's shape).</li>
 *   <li>rw-register ({@link Invocation#registers()}): {@code txn} of {@code ["w", k, 5]} /
 *       {@code ["r", k, null]}. The node keeps a register as a list of at most one element, so
 *       a read of {@code []} completes as nil and of {@code ["5"]} as 5 (a longer list, which a
 *       correct node never returns, is left as it is for the checker to report).</li>
 *   <li>Outcomes map one to one: {@code Ok} → ok, {@code Fail} (certainly not executed) → fail,
 *       {@code Unknown} → info; fail and info completions repeat the invoke value.</li>
 * </ul>
 */
public final class SutOps {
    private SutOps() {}

    /** The command for {@code invocation}, as {@code (client, seq)}. */
    public static KvCommand command(Invocation invocation, String client, long seq) {
        List<?> v = (List<?>) invocation.value();
        return switch (invocation.f()) {
            case "put" -> KvCommand.put(client, seq, (String) v.get(0), (String) v.get(1));
            case "append" -> KvCommand.append(client, seq, (String) v.get(0), (String) v.get(1));
            case "get" -> KvCommand.get(client, seq, (String) v.get(0));
            case "txn" -> {
                List<MicroOp> ops = new ArrayList<>(v.size());
                for (Object o : v) {
                    List<?> m = (List<?>) o;
                    String f = (String) m.get(0);
                    ops.add(new MicroOp(
                            f, (String) m.get(1), MicroOp.READ.equals(f) ? null : String.valueOf(m.get(2))));
                }
                yield KvCommand.txn(client, seq, ops);
            }
            default -> throw new IllegalArgumentException("no command for f " + invocation.f());
        };
    }

    /** The completion of {@code invocation} given the node's outcome. */
    public static Completion completion(Invocation invocation, Outcome outcome) {
        if (outcome instanceof Outcome.Ok ok) return Completion.ok(okValue(invocation, ok.result()));
        if (outcome instanceof Outcome.Fail f) return Completion.fail(invocation.value(), f.error());
        return Completion.info(invocation.value(), ((Outcome.Unknown) outcome).reason());
    }

    static Object okValue(Invocation invocation, KvResult result) {
        List<?> v = (List<?>) invocation.value();
        return switch (invocation.f()) {
            case "get" -> Arrays.asList(v.get(0), result.value() == null ? "" : result.value());
            case "txn" -> txnValue(result.txn(), invocation.registers());
            default -> v;
        };
    }

    private static List<Object> txnValue(List<MicroOp> done, boolean registers) {
        List<Object> out = new ArrayList<>(done.size());
        for (MicroOp m : done) {
            Object value = m.value();
            if (registers && MicroOp.READ.equals(m.f()) && value instanceof List<?> l && l.size() <= 1) {
                value = l.isEmpty()
                        ? null
                        : number(l.get(0)); // a register: the list of at most one element it is stored as
            } else if (MicroOp.READ.equals(m.f())) {
                List<Object> read = new ArrayList<>();
                if (value instanceof List<?> l) for (Object x : l) read.add(number(x));
                value = read;
            } else {
                value = number(value);
            }
            out.add(Arrays.asList(m.f(), m.key(), value));
        }
        return out;
    }

    /** A decimal string back as a Long; anything else stays as it is (the checker will say it is odd). */
    static Object number(Object x) {
        if (x instanceof String s) {
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                return s;
            }
        }
        return x;
    }
}
