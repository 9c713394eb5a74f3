package io.omnitest.sut.server;

import io.omnitest.sut.core.Bug;
import io.omnitest.sut.multipaxos.MultiPaxosBug;
import io.omnitest.sut.raft.RaftBug;
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
 * @param protocol        {@code omnipaxos}, {@code raft} or {@code multipaxos}
 * @param raftPreVote     Raft's pre-vote ({@code --raft-prevote})
 * @param raftCheckQuorum Raft's check-quorum ({@code --raft-check-quorum})
 * @param raftBugs        the Raft bugs among the {@code --bug} names
 * @param multiPaxosBugs  the Multi-Paxos bugs among the {@code --bug} names
 * @param logReads        OmniPaxos: gets and read-only txns go through the log instead of being leader reads
 * @param trace           OmniPaxos: where to append the protocol trace ({@code --trace}); null for none
 */
public record NodeOptions(
        int id,
        Map<Integer, InetSocketAddress> peers,
        int clientPort,
        Path dataDir,
        int tickMs,
        int electionTicks,
        int requestTimeoutMs,
        String bind,
        String peerBind,
        Path clusterSecretFile,
        boolean reset,
        Set<Bug> bugs,
        String protocol,
        boolean raftPreVote,
        boolean raftCheckQuorum,
        Set<RaftBug> raftBugs,
        Set<MultiPaxosBug> multiPaxosBugs,
        boolean logReads,
        Path trace) {
    public static final List<String> PROTOCOLS = List.of("omnipaxos", "raft", "multipaxos");

    public static final String USAGE =
            """
            Usage: java -jar omnipaxos-kv.jar --id N --peers ID=HOST:PORT,... --client-port P --data-dir DIR
                                              --cluster-secret-file FILE [--bind ADDR] [--peer-bind ADDR]
                                              [--tick-ms MS] [--election-ticks N] [--request-timeout-ms MS]
                                              [--protocol omnipaxos|raft|multipaxos] [--raft-prevote] [--raft-check-quorum]
                                              [--log-reads] [--reset] [--trace FILE] [--bug NAME[,NAME...]]...
            Runs one replicated key-value node (OmniPaxos, Raft or Multi-Paxos).
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
              --election-ticks N      ticks per Ballot Leader Election heartbeat round (the election timeout) [20];
                                      Raft draws its election timeouts from [N, 2N] ticks and sends heartbeats every
                                      N/4; Multi-Paxos sends heartbeats every N/4 and a follower takes over after
                                      two checks (each N/2) without hearing its leader
              --protocol NAME         the replication protocol: omnipaxos, raft or multipaxos [omnipaxos]; every node
                                      of a cluster must run the same one, and a data dir is tied to the protocol
                                      that created it
              --raft-prevote          Raft: campaign only after a majority would vote (pre-vote) [off]
              --raft-check-quorum     Raft: a leader steps down after an election timeout without hearing a
                                      majority, and followers that hear a leader ignore vote requests [off]
              --log-reads             OmniPaxos: gets and read-only txns are decided through the log like writes
                                      (an fsync on a majority each) instead of leader reads, which the leader answers
                                      from its state once a majority confirmed, after the read arrived, that it still
                                      leads (a round trip, no fsync) [off]
              --request-timeout-ms MS how long a client request may wait for its command to be decided [2000]
              --bind ADDR             listen on ADDR for the client port, and the peer port unless --peer-bind
                                      [client port: all interfaces]
              --peer-bind ADDR        listen on ADDR for the peer port [--bind, else this node's host in --peers]
              --reset                 start with an empty log and no promise when the data dir was initialised but its
                                      write-ahead log is missing (refused otherwise, exit 65: a node that forgot its
                                      promises can break consensus); only to rebuild a node whose data is known lost
              --trace FILE            OmniPaxos: append a protocol trace to FILE (created owner-only): what the node
                                      recovered, every fsync and what it made durable, every decision as leader and
                                      every leader read it confirmed, one JSON line each, with monotonic timestamps;
                                      omnitest checks Paxos' invariants on it [none]
              --bug NAME[,NAME...]    switch on a deliberate bug, for testing the tester (repeatable) [none]
              --help                  show this help
            Deliberate bugs, all off by default (a node without --bug is the correct implementation):
            %s
            With --protocol raft:
            %s
            With --protocol multipaxos:
            %s
            Client protocol: {"id":1,"client":"c1","seq":1,"op":"put","key":"k","value":"v"}, ops put|append|get|txn,
            and {"id":2,"op":"status"}; one JSON object per line, answered with the same id. The client port keeps at
            most 1024 connections, 256 from one source address (past a cap the longest idle one makes room), and
            closes a connection idle for 60 s.
            Exit codes: 0 stopped, 64 bad arguments, unusable port, data dir or secret file, 65 corrupt data dir or lost
            write-ahead log, 70 internal error, 74 the disk refused a write or an fsync (the node stops rather than
            acknowledge what it could not persist).""".formatted(bugList(), protocolBugList(RaftBug.values()), protocolBugList(MultiPaxosBug.values()));

    private static String protocolBugList(Enum<?>[] bugs) {
        StringBuilder sb = new StringBuilder();
        for (Enum<?> b : bugs)
            sb.append(sb.length() > 0 ? "\n" : "").append("  ").append(protocolBugName(b));
        return sb.toString();
    }

    private static String protocolBugName(Enum<?> b) {
        return b instanceof RaftBug r ? r.cliName() : ((MultiPaxosBug) b).cliName();
    }

    private static String bugList() {
        int width = 0;
        for (Bug b : Bug.values()) width = Math.max(width, b.cliName().length());
        StringBuilder sb = new StringBuilder();
        for (Bug b : Bug.values()) {
            if (sb.length() > 0) sb.append("\n");
            sb.append("  ")
                    .append(b.cliName())
                    .append(" ".repeat(width + 2 - b.cliName().length()))
                    .append(b.description());
        }
        return sb.toString();
    }

    /** Thrown for any bad argument; the message is one sentence for the operator. */
    public static final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }

    /** @return null if {@code --help} was asked for */
    public static NodeOptions parse(String[] args) throws UsageException {
        Map<String, String> values = new LinkedHashMap<>();
        List<String> bugNames = new ArrayList<>();
        boolean reset = false;
        boolean preVote = false;
        boolean checkQuorum = false;
        boolean logReads = false;
        List<String> known = List.of(
                "--protocol",
                "--id",
                "--peers",
                "--client-port",
                "--data-dir",
                "--tick-ms",
                "--election-ticks",
                "--request-timeout-ms",
                "--bind",
                "--peer-bind",
                "--cluster-secret-file",
                "--trace",
                "--bug");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) return null;
            if (a.equals("--reset")) {
                reset = true;
                continue;
            }
            if (a.equals("--log-reads")) {
                logReads = true;
                continue;
            }
            if (a.equals("--raft-prevote")) {
                preVote = true;
                continue;
            }
            if (a.equals("--raft-check-quorum")) {
                checkQuorum = true;
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
        String protocol = values.getOrDefault("--protocol", "omnipaxos");
        if (!PROTOCOLS.contains(protocol)) {
            throw new UsageException(
                    "--protocol must be one of " + String.join(", ", PROTOCOLS) + ", not \"" + protocol + "\"");
        }
        if ((preVote || checkQuorum) && !protocol.equals("raft")) {
            throw new UsageException((preVote ? "--raft-prevote" : "--raft-check-quorum") + " needs --protocol raft");
        }
        Set<RaftBug> raftBugs = java.util.EnumSet.noneOf(RaftBug.class);
        Set<MultiPaxosBug> paxosBugs = java.util.EnumSet.noneOf(MultiPaxosBug.class);
        List<String> coreBugNames = new ArrayList<>();
        for (String list : bugNames) {
            for (String item : list.split(",")) {
                String n = item.trim().toLowerCase(java.util.Locale.ROOT);
                if (n.isEmpty()) continue;
                RaftBug rb = java.util.Arrays.stream(RaftBug.values())
                        .filter(b -> b.cliName().equals(n))
                        .findFirst()
                        .orElse(null);
                MultiPaxosBug pb = java.util.Arrays.stream(MultiPaxosBug.values())
                        .filter(b -> b.cliName().equals(n))
                        .findFirst()
                        .orElse(null);
                if (rb != null) raftBugs.add(rb);
                else if (pb != null) paxosBugs.add(pb);
                else coreBugNames.add(n);
            }
        }
        Set<Bug> bugs;
        try {
            io.omnitest.sut.log.ProtocolBugs.canonical(coreBugNames); // names every protocol's bugs when one is unknown
            bugs = Bug.parseAll(coreBugNames);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        if (!bugs.isEmpty() && !protocol.equals("omnipaxos")) {
            throw new UsageException("bug " + bugs.iterator().next().cliName()
                    + " is a bug of the OmniPaxos node, not of --protocol " + protocol);
        }
        if (!raftBugs.isEmpty() && !protocol.equals("raft")) {
            throw new UsageException("bug " + raftBugs.iterator().next().cliName() + " needs --protocol raft");
        }
        if (!paxosBugs.isEmpty() && !protocol.equals("multipaxos")) {
            throw new UsageException("bug " + paxosBugs.iterator().next().cliName() + " needs --protocol multipaxos");
        }
        int id = integer(values, "--id", 1, Integer.MAX_VALUE, 0);
        Map<Integer, InetSocketAddress> peers = parsePeers(values.get("--peers"));
        if (!peers.containsKey(id))
            throw new UsageException("--id " + id + " is not one of the ids in --peers " + peers.keySet());
        int clientPort = integer(values, "--client-port", 0, 65535, 0);
        int tickMs = integer(values, "--tick-ms", 1, 10_000, 10);
        int electionTicks = integer(values, "--election-ticks", 2, 100_000, 20);
        int requestTimeoutMs = integer(values, "--request-timeout-ms", 1, 3_600_000, 2000);
        String secret = values.get("--cluster-secret-file");
        if (secret == null || secret.isBlank()) {
            throw new UsageException("--cluster-secret-file is required: peers authenticate with it");
        }
        return new NodeOptions(
                id,
                peers,
                clientPort,
                Path.of(values.get("--data-dir")),
                tickMs,
                electionTicks,
                requestTimeoutMs,
                values.get("--bind"),
                values.get("--peer-bind"),
                Path.of(secret),
                reset,
                Collections.unmodifiableSet(bugs),
                protocol,
                preVote,
                checkQuorum,
                Collections.unmodifiableSet(raftBugs),
                Collections.unmodifiableSet(paxosBugs),
                logReads,
                values.containsKey("--trace") ? Path.of(values.get("--trace")) : null);
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
            if (port < 1 || port > 65535)
                throw new UsageException("bad peer \"" + s + "\" in --peers: port out of range");
            String host = s.substring(eq + 1, colon);
            if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
            if (peers.put(pid, InetSocketAddress.createUnresolved(host, port)) != null) {
                throw new UsageException("peer id " + pid + " appears twice in --peers");
            }
        }
        return peers;
    }

    private static int integer(Map<String, String> values, String name, int min, int max, int dflt)
            throws UsageException {
        String v = values.get(name);
        if (v == null) return dflt;
        try {
            int n = Integer.parseInt(v.trim());
            if (n < min || n > max)
                throw new UsageException(name + " must be between " + min + " and " + max + ", not " + v);
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

    /** Every deliberate bug's name, whatever the protocol, for the node's status and warnings. */
    public List<String> bugNames() {
        List<String> names = new ArrayList<>();
        for (Bug b : Bug.values()) if (bugs.contains(b)) names.add(b.cliName());
        for (RaftBug b : RaftBug.values()) if (raftBugs.contains(b)) names.add(b.cliName());
        for (MultiPaxosBug b : MultiPaxosBug.values()) if (multiPaxosBugs.contains(b)) names.add(b.cliName());
        return names;
    }

    /** Peer ids in ascending order. */
    public List<Integer> nodeIds() {
        List<Integer> ids = new ArrayList<>(peers.keySet());
        ids.sort(null);
        return ids;
    }
}
