package io.omnitest.sut.server;

import io.omnitest.sut.core.Bug;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The node's command line, parsed and checked (pure: no sockets or files touched here).
 *
 * @param peers  every node's peer address by id, this node's included
 * @param bind   address the client port listens on (and the peer port, unless {@code peerBind}); null = all interfaces
 * @param peerBind address the peer port listens on; null = {@code bind}, or else this node's own host in {@code peers}
 * @param clusterSecretFile the per-cluster secret peers prove to each other (required)
 * @param reset  start empty if the data dir was initialised but its write-ahead log is missing
 * @param bugs   deliberate mistakes switched on with {@code --bug}; empty for the correct node
 */
public record NodeOptions(int id, Map<Integer, InetSocketAddress> peers, int clientPort, Path dataDir, int tickMs,
                          int electionTicks, int requestTimeoutMs, String bind, String peerBind, Path clusterSecretFile,
                          boolean reset, Set<Bug> bugs) {

    public static final String USAGE = """
            Usage: java -jar omnipaxos-kv.jar --id N --peers ID=HOST:PORT,... --client-port P --data-dir DIR
                                              --cluster-secret-file FILE [--bind ADDR] [--peer-bind ADDR]
                                              [--tick-ms MS] [--election-ticks N] [--request-timeout-ms MS]
                                              [--reset] [--bug NAME[,NAME...]]...
            Runs one OmniPaxos key-value node.
              --id N                  this node's id; must be one of the ids in --peers
              --peers LIST            every node's peer (node-to-node) address, e.g. 1=10.77.0.11:7001,2=10.77.0.12:7001,3=10.77.0.13:7001
              --client-port P         TCP port for clients (newline-delimited JSON)
              --data-dir DIR          where the write-ahead log lives (created if missing)
              --cluster-secret-file FILE
                                      the cluster's shared secret (at least 16 bytes, mode 600: a file group or others
                                      can access is refused); every peer connection proves it both ways (HMAC-SHA256
                                      challenge-response), so strangers cannot join. Required, also for a cluster on
                                      one machine; make one with: (umask 077; head -c 32 /dev/urandom | base64 >FILE)
              --tick-ms MS            logical clock period [10]
              --election-ticks N      ticks per Ballot Leader Election heartbeat round (the election timeout) [20]
              --request-timeout-ms MS how long a client request may wait for its command to be decided [2000]
              --bind ADDR             listen on ADDR for the client port, and the peer port unless --peer-bind
                                      [client port: all interfaces]
              --peer-bind ADDR        listen on ADDR for the peer port [--bind, else this node's host in --peers]
              --reset                 start with an empty log and no promise when the data dir was initialised but its
                                      write-ahead log is missing (refused otherwise, exit 65: a node that forgot its
                                      promises can break consensus); only to rebuild a node whose data is known lost
              --bug NAME[,NAME...]    switch on a deliberate bug, for testing the tester (repeatable) [none]
              --help                  show this help
            Deliberate bugs, all off by default (a node without --bug is the correct implementation):
            %s
            Client protocol: {"id":1,"client":"c1","seq":1,"op":"put","key":"k","value":"v"}, ops put|append|get|txn,
            and {"id":2,"op":"status"}; one JSON object per line, answered with the same id. The client port keeps at
            most 1024 connections, 256 from one source address, and closes a connection idle for 60 s.
            Exit codes: 0 stopped, 64 bad arguments, unusable port, data dir or secret file, 65 corrupt data dir or lost
            write-ahead log, 70 internal error."""
            .formatted(bugList());

    private static String bugList() {
        int width = 0;
        for (Bug b : Bug.values()) width = Math.max(width, b.cliName().length());
        StringBuilder sb = new StringBuilder();
        for (Bug b : Bug.values()) {
            if (sb.length() > 0) sb.append("\n");
            sb.append("  ").append(b.cliName()).append(" ".repeat(width + 2 - b.cliName().length())).append(b.description());
        }
        return sb.toString();
    }

    /** Thrown for any bad argument; the message is one sentence for the operator. */
    public static final class UsageException extends Exception {
        public UsageException(String message) { super(message); }
    }

    /** @return null if {@code --help} was asked for */
    public static NodeOptions parse(String[] args) throws UsageException {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> bugNames = new ArrayList<>();
        boolean reset = false;
        List<String> known = List.of("--id", "--peers", "--client-port", "--data-dir", "--tick-ms", "--election-ticks",
                "--request-timeout-ms", "--bind", "--peer-bind", "--cluster-secret-file", "--bug");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) return null;
            if (a.equals("--reset")) {
                reset = true;
                continue;
            }
            String name = a;
            String value;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(0, eq);
                value = a.substring(eq + 1);
            } else {
                if (!known.contains(name)) throw new UsageException("unknown argument " + a);
                if (i + 1 >= args.length) throw new UsageException(name + " needs a value");
                value = args[++i];
            }
            if (!known.contains(name)) throw new UsageException("unknown option " + name);
            if (name.equals("--bug")) {
                bugNames.add(value);
                continue;
            }
            if (values.put(name, value) != null) throw new UsageException(name + " is given twice");
        }
        for (String required : List.of("--id", "--peers", "--client-port", "--data-dir")) {
            if (!values.containsKey(required)) throw new UsageException(required + " is required");
        }
        Set<Bug> bugs;
        try {
            bugs = Bug.parseAll(bugNames);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        int id = integer(values, "--id", 1, Integer.MAX_VALUE, 0);
        Map<Integer, InetSocketAddress> peers = parsePeers(values.get("--peers"));
        if (!peers.containsKey(id)) throw new UsageException("--id " + id + " is not one of the ids in --peers " + peers.keySet());
        int clientPort = integer(values, "--client-port", 0, 65535, 0);
        int tickMs = integer(values, "--tick-ms", 1, 10_000, 10);
        int electionTicks = integer(values, "--election-ticks", 2, 100_000, 20);
        int requestTimeoutMs = integer(values, "--request-timeout-ms", 1, 3_600_000, 2000);
        String secret = values.get("--cluster-secret-file");
        if (secret == null || secret.isBlank()) {
            throw new UsageException("--cluster-secret-file is required: peers authenticate with it");
        }
        return new NodeOptions(id, peers, clientPort, Path.of(values.get("--data-dir")), tickMs, electionTicks, requestTimeoutMs,
                values.get("--bind"), values.get("--peer-bind"), Path.of(secret), reset, Collections.unmodifiableSet(bugs));
    }

    static Map<Integer, InetSocketAddress> parsePeers(String list) throws UsageException {
        Map<Integer, InetSocketAddress> peers = new LinkedHashMap<>();
        for (String item : list.split(",", -1)) {
            String s = item.trim();
            int eq = s.indexOf('=');
            int colon = s.lastIndexOf(':');
            if (eq <= 0 || colon <= eq + 1 || colon == s.length() - 1) {
                throw new UsageException("bad peer \"" + s + "\" in --peers: expected ID=HOST:PORT");
            }
            int pid;
            int port;
            try {
                pid = Integer.parseInt(s.substring(0, eq));
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new UsageException("bad peer \"" + s + "\" in --peers: id and port must be numbers");
            }
            if (pid < 1) throw new UsageException("bad peer \"" + s + "\" in --peers: ids start at 1");
            if (port < 1 || port > 65535) throw new UsageException("bad peer \"" + s + "\" in --peers: port out of range");
            String host = s.substring(eq + 1, colon);
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            if (peers.put(pid, InetSocketAddress.createUnresolved(host, port)) != null) {
                throw new UsageException("peer id " + pid + " appears twice in --peers");
            }
        }
        return peers;
    }

    private static int integer(Map<String, String> values, String name, int min, int max, int dflt) throws UsageException {
        String v = values.get(name);
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max) throw new UsageException(name + " must be between " + min + " and " + max + ", not " + v);
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a number, not \"" + v + "\"");
        }
    }

    /** The host the peer port listens on: {@code --peer-bind}, else {@code --bind}, else this node's host in {@code --peers}. */
    public String peerBindHost() {
        if (peerBind != null) return peerBind;
        if (bind != null) return bind;
        return peers.get(id).getHostString();
    }

    /** Peer ids in ascending order. */
    public List<Integer> nodeIds() {
        List<Integer> ids = new ArrayList<>(peers.keySet());
        ids.sort(null);
        return ids;
    }
}
