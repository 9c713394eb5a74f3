package io.omnitest.sut.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * One random fault schedule for the fuzz tier ({@link FuzzSimTest}): the cluster size, how hostile
 * the network is, and the faults at given ticks. Generated from a seed, printed and parsed as one
 * line, so a shrunk schedule can be replayed with {@code -Dsim.schedule="..."}.
 *
 * <p>Format: {@code n=5 drop=0.10 dup=0.05 delay=4 ticks=400 | 12 crash 3; 40 restart 3; ...}
 *
 * @param n        servers (3 or 5)
 * @param drop     fraction of server messages lost
 * @param dup      fraction of server messages delivered twice
 * @param maxDelay most ticks a message is delayed (at least 1; more reorders more)
 * @param ticks    length of the faulty part of the run; the faults then heal
 * @param events   faults, by tick
 */
record FuzzPlan(int n, double drop, double dup, int maxDelay, int ticks, List<FuzzPlan.Event> events) {
    /** Ops: cut, cut1 (one way a to b), heal, heal-all, isolate, crash, crash-unsynced, restart. */
    record Event(int at, String op, int a, int b) {
        @Override
        public String toString() {
            return switch (op) {
                case "heal-all" -> at + " " + op;
                case "cut", "cut1", "heal" -> at + " " + op + " " + a + " " + b;
                default -> at + " " + op + " " + a;
            };
        }

        static Event parse(String s) {
            String[] f = s.trim().split("\\s+");
            return new Event(
                    Integer.parseInt(f[0]),
                    f[1],
                    f.length > 2 ? Integer.parseInt(f[2]) : 0,
                    f.length > 3 ? Integer.parseInt(f[3]) : 0);
        }
    }

    FuzzPlan {
        events = List.copyOf(events);
    }

    FuzzPlan withEvents(List<Event> e) {
        return new FuzzPlan(n, drop, dup, maxDelay, ticks, e);
    }

    FuzzPlan withNetwork(double drop, double dup, int maxDelay) {
        return new FuzzPlan(n, drop, dup, maxDelay, ticks, events);
    }

    /** A random plan: most seeds get a lossy, duplicating, reordering network and a fault every few rounds. */
    static FuzzPlan random(Random r, int heartbeatTicks) {
        int n = r.nextInt(3) == 0 ? 3 : 5;
        double drop = r.nextInt(4) == 0 ? 0 : 0.3 * r.nextDouble();
        double dup = r.nextInt(3) == 0 ? 0 : 0.1 * r.nextDouble();
        int maxDelay = 1 + r.nextInt(6);
        int ticks = 40 * heartbeatTicks;
        List<Event> events = new ArrayList<>();
        for (int t = r.nextInt(2 * heartbeatTicks); t < ticks; t += 1 + r.nextInt(3 * heartbeatTicks)) {
            int a = 1 + r.nextInt(n);
            int b = 1 + (a + r.nextInt(n - 1)) % n; // != a
            String op = switch (r.nextInt(12)) {
                case 0, 1 -> "cut";
                case 2 -> "cut1";
                case 3, 4 -> "heal";
                case 5 -> "heal-all";
                case 6 -> "isolate";
                case 7 -> "crash";
                case 8 -> "crash-unsynced";
                default -> "restart";
            };
            events.add(new Event(t, op, a, b));
        }
        return new FuzzPlan(n, drop, dup, maxDelay, ticks, events);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(String.format(
                Locale.ROOT, "n=%d drop=%.3f dup=%.3f delay=%d ticks=%d |", n, drop, dup, maxDelay, ticks));
        for (int i = 0; i < events.size(); i++) s.append(i == 0 ? " " : "; ").append(events.get(i));
        return s.toString();
    }

    static FuzzPlan parse(String line) {
        String[] halves = line.split("\\|", 2);
        int n = 0;
        double drop = 0;
        double dup = 0;
        int delay = 1;
        int ticks = 0;
        for (String kv : halves[0].trim().split("\\s+")) {
            String[] p = kv.split("=", 2);
            switch (p[0]) {
                case "n" -> n = Integer.parseInt(p[1]);
                case "drop" -> drop = Double.parseDouble(p[1]);
                case "dup" -> dup = Double.parseDouble(p[1]);
                case "delay" -> delay = Integer.parseInt(p[1]);
                case "ticks" -> ticks = Integer.parseInt(p[1]);
                default -> throw new IllegalArgumentException("unknown schedule field '" + p[0] + "' in: " + line);
            }
        }
        List<Event> events = new ArrayList<>();
        if (halves.length > 1) for (String e : halves[1].split(";")) if (!e.isBlank()) events.add(Event.parse(e));
        return new FuzzPlan(n, drop, dup, delay, ticks, events);
    }
}
