package io.omnitest.checker.linear;

import io.omnitest.checker.history.HistoryReader;
import java.nio.file.Path;
import java.util.List;

public class DbgMain {
    public static void main(String[] a) throws Exception {
        for (String f : a) {
            var h = HistoryReader.read(Path.of(f)).history();
            Linearizability l = new Linearizability(Models.etcd(), Linearizability.Options.DEFAULTS, System::nanoTime);
            List<Partition> ps = l.partition(h);
            for (int r = 0; r < 30; r++) {
                long t0 = System.nanoTime();
                SearchOutcome o = new LinearSearch((DeterministicModel) Models.etcd(), ps.get(0).ops(), new SearchBudget(System::nanoTime, -1, 1L << 40)).run();
                if (r % 10 == 9) System.out.println(f + " " + o.status() + " memo=" + o.memoSize() + " ms=" + (System.nanoTime() - t0) / 1e6);
            }
        }
    }
}
