package io.omnitest.checker.elle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IntIntMapTest {
    /** Seeded random puts and removes over a small key range (long probe runs, many backward shifts), against HashMap. */
    @Test
    void agreesWithHashMap() {
        for (long seed = 0; seed < 20; seed++) {
            Random r = new Random(seed);
            IntIntMap map = new IntIntMap();
            Map<Integer, Integer> want = new HashMap<>();
            int range = 1 + r.nextInt(200);
            for (int step = 0; step < 5_000; step++) {
                int k = r.nextInt(range) * (seed % 2 == 0 ? 1 : 1024); // multiples of 1024 collide more
                if (r.nextInt(3) == 0) {
                    map.remove(k);
                    want.remove(k);
                } else {
                    int v = r.nextInt(1000);
                    map.put(k, v);
                    want.put(k, v);
                }
                int probe = r.nextInt(range) * (seed % 2 == 0 ? 1 : 1024);
                assertEquals(want.getOrDefault(probe, -1), map.get(probe), "seed " + seed + " step " + step);
            }
            for (Map.Entry<Integer, Integer> e : want.entrySet()) assertEquals(e.getValue(), map.get(e.getKey()));
        }
    }
}
