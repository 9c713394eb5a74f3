package io.omnitest.checker.history;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The EDN fast path ({@link EdnLine}) against the general reader: the same text read with and
 * without it gives equal ops, or the same error message, on hand-picked odd lines, on random
 * values and on every EDN corpus file.
 */
class EdnLineTest {
    private static Object read(String text, boolean fast) {
        try {
            return EdnCodec.read(ByteSource.of(new StringReader(text)), "h", false, fast)
                    .ops();
        } catch (MalformedHistoryException e) {
            return e.getMessage();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void same(String text) {
        Object general = read(text, false), fast = read(text, true);
        assertEquals(general, fast, text);
    }

    private static String op(String value) {
        return "{:index 0, :type :invoke, :process 3, :f :x, :value " + value + ", :time 5}";
    }

    @Test
    void oddValuesReadTheSameEitherWay() {
        for (String v : List.of(
                "nil",
                "true",
                "false",
                "0",
                "-0",
                "+7",
                "-12",
                "123456789012345678",
                "1234567890123456789",
                "18446744073709551616",
                "1.5",
                "2N",
                "3M",
                "1/2",
                "12abc",
                "\"\"",
                "\"a b\"",
                "\"esc\\\"aped\"",
                "\"é\"",
                ":kw",
                ":ns/kw",
                "sym",
                "[]",
                "()",
                "[1 [2 [3]] \"x\" nil]",
                "{}",
                "{:a 1, :b [true {:c nil}]}",
                "{\"s\" 1}",
                "#{1 2}",
                "#inst \"2020-01-01\"",
                "#_ 1 2",
                "\\a",
                "##Inf",
                "[1 2 3 4 5]",
                "[1,2,3,4,5]",
                "[1 2 3 4 5] ; comment",
                "nilx",
                "[:r 1 [1 2 3 4]]",
                "[[:append 1 2] [:r 1 [1 2]]]")) {
            same(op(v) + "\n" + op(v).replace(":invoke", ":ok"));
        }
        same("{:type :info, :process :nemesis, :f :kill}\n");
        same("{:type :info, :process \"nemesis\", :f :kill}\n");
        same("{:type :info, :process nemesis, :f :kill}\n");
        same("{:type :info, :process [:nemesis], :f :kill}\n");
        same("{:type :invoke, :process 99999999999, :f :kill}\n");
        same("{:type :invoke, :process 0, :f :read\n :value nil}\n{:type :ok, :process 0, :f :read, :value 1}\n");
        same("[{:type :invoke, :process 0, :f :read, :value nil}\n {:type :ok, :process 0, :f :read, :value 1}]\n");
        same("#jepsen.history.Op{:type :invoke, :process 0, :f :read, :value nil, :index 0}\n");
        same("{:type :invoke, :process 0, :f :read} {:type :ok, :process 0, :f :read}\n");
        same("{:type :invoke, :process 0, :f :read, :value [" + "[".repeat(600) + "]".repeat(600) + "]}\n");
        same("{:type :invoke, :process 0, :f :read, :value [1 2 3}\n");
        same("{:type :invoke, :process 0, :f :read, :value [1 2 3]\n");
        same("{:type :invoke, :process 0, :f :read :value}\n");
        same("{:type :invoke, :process 0, :f :read, :value [:a\u00e9]}\n");
    }

    /** Shared list prefixes: reads of one key that grow, shrink and diverge keep their own contents. */
    @Test
    void sharedPrefixesKeepEachListItsOwn() {
        StringBuilder sb = new StringBuilder();
        String[] reads = {
            "[1 2 3 4]",
            "[1 2 3 4 5 6]",
            "[1 2 3 4 5]",
            "[1 2 9 4 5]",
            "[1 2 3 4 5 6 7 8 9 10]",
            "[1 2 3 4]",
            "[1 2 9 4 5 6]"
        };
        for (int i = 0; i < reads.length; i++) {
            sb.append("{:index ").append(2 * i).append(", :type :invoke, :process 0, :f :txn, :value [[:r 1 nil]]}\n");
            sb.append("{:index ")
                    .append(2 * i + 1)
                    .append(", :type :ok, :process 0, :f :txn, :value [[:r 1 ")
                    .append(reads[i])
                    .append("]]}\n");
        }
        same(sb.toString());
        @SuppressWarnings("unchecked")
        List<Op> ops = (List<Op>) read(sb.toString(), true);
        for (int i = 0; i < reads.length; i++) {
            List<?> mop = (List<?>) ((List<?>) ops.get(2 * i + 1).value()).get(0);
            assertEquals(reads[i].replace(" ", ", "), mop.get(2).toString());
        }
    }

    @Test
    void randomHistoriesReadTheSameEitherWay() throws IOException {
        Random rnd = new Random(15);
        for (int round = 0; round < 200; round++) {
            List<Op> ops = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ops.add(new Op(2 * i, i, Op.Type.INVOKE, i % 3, "x", JsonLineTestValues.random(rnd, 0), null, null));
                ops.add(new Op(2 * i + 1, i, Op.Type.OK, i % 3, "x", JsonLineTestValues.random(rnd, 0), null, null));
            }
            java.io.StringWriter w = new java.io.StringWriter();
            EdnCodec.write(new History(ops), w);
            same(w.toString());
        }
    }

    @Test
    void everyEdnCorpusFileReadsTheSameEitherWay() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String name : List.of("knossos", "porcupine", "elle")) {
            try (Stream<Path> s = Files.walk(Corpus.dir(name))) {
                s.filter(p -> Files.isRegularFile(p) && !p.toString().endsWith(".md"))
                        .sorted()
                        .forEach(files::add);
            }
        }
        int edn = 0;
        for (Path f : files) {
            HistoryFormat format = HistoryReader.detect(f);
            if (format != HistoryFormat.EDN && format != HistoryFormat.PORCUPINE_KV) continue;
            boolean fold = format == HistoryFormat.PORCUPINE_KV;
            Object general, fast;
            try (var in = Files.newInputStream(f)) {
                general = readOrMessage(new ByteSource(in), f, fold, false);
            }
            try (var in = Files.newInputStream(f)) {
                fast = readOrMessage(new ByteSource(in), f, fold, true);
            }
            assertEquals(general, fast, f.toString());
            edn++;
        }
        assertEquals(true, edn > 10, "EDN corpus files found: " + edn);
    }

    private static Object readOrMessage(ByteSource in, Path f, boolean fold, boolean fast) throws IOException {
        try {
            return EdnCodec.read(in, f.toString(), fold, fast).ops();
        } catch (MalformedHistoryException e) {
            return e.getMessage();
        }
    }
}
