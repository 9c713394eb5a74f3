package io.omnitest.checker.history;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import us.bpsm.edn.Keyword;
import us.bpsm.edn.Symbol;
import us.bpsm.edn.TaggedValue;

/**
 * EDN values (as edn-java builds them) to the plain trees of {@link Op#value()} — keywords
 * and symbols become strings without the colon ({@code :ns/name} → {@code "ns/name"}),
 * vectors, lists and sets become lists, integers Long (beyond 64 bits: their decimal string),
 * decimals Double, characters one-char strings, {@code #inst} an ISO-8601 string, other tagged
 * literals {@code {"tag": t, "value": v}}. Map keys become strings the same way.
 */
final class EdnValues {
    private EdnValues() {}

    static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Long || v instanceof Boolean || v instanceof Double) return v;
        if (v instanceof Keyword k) return k.getPrefix() == null || k.getPrefix().isEmpty() ? k.getName() : k.getPrefix() + "/" + k.getName();
        if (v instanceof Symbol s) return s.toString();
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>(m.size() * 2);
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(key(e.getKey()), plain(e.getValue()));
            return out;
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object e : c) out.add(plain(e));
            return out;
        }
        if (v instanceof BigInteger b) return b.bitLength() < 64 ? (Object) b.longValue() : b.toString();
        if (v instanceof BigDecimal d) return d.doubleValue();
        if (v instanceof Number n) return n instanceof Float ? (Object) n.doubleValue() : (Object) n.longValue();
        if (v instanceof Character ch) return String.valueOf(ch);
        if (v instanceof Date d) return DateTimeFormatter.ISO_INSTANT.format(d.toInstant());
        if (v instanceof TaggedValue t) {
            Map<String, Object> out = new LinkedHashMap<>();
            String tag = t.getTag().toString();
            out.put("tag", tag.startsWith("#") ? tag.substring(1) : tag);
            out.put("value", plain(t.getValue()));
            return out;
        }
        return v.toString();
    }

    private static String key(Object k) {
        Object p = plain(k);
        return p instanceof String s ? s : Values.render(p);
    }
}
