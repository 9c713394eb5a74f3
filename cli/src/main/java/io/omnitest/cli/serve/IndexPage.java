package io.omnitest.cli.serve;

import java.util.List;
import java.util.Locale;

/**
 * The store's index page: every run, newest first, with a filter box that hides rows not
 * containing every typed word (client-side, no server round trip).
 */
final class IndexPage {
    private IndexPage() {}

    static String render(String storeName, List<StoreIndex.Run> runs) {
        StringBuilder sb = new StringBuilder(16 * 1024);
        sb.append(
                        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>omnitest runs · ")
                .append(esc(storeName))
                .append("</title><style>")
                .append("body{font:14px/1.45 system-ui,sans-serif;margin:0;background:#f6f7f9;color:#1d1f23}")
                .append("header{background:#1d1f23;color:#fff;padding:14px 24px}h1{margin:0;font-size:20px}")
                .append("main{max-width:1320px;margin:0 auto;padding:16px 20px}")
                .append("input{font-size:15px;padding:6px 10px;width:420px;margin-bottom:12px}")
                .append(
                        "table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #eceff2}")
                .append(
                        "th{background:#f0f2f5}a{color:#2b5fad}.v{font-weight:700;padding:1px 8px;border-radius:10px;color:#fff;font-size:12px}")
                .append(".valid{background:#2e7d46}.invalid{background:#b3261e}.unknown,.unchecked{background:#8a6d00}")
                .append("</style></head><body><header><h1>omnitest runs</h1><div>store: ")
                .append(esc(storeName))
                .append(" · ")
                .append(runs.size())
                .append(runs.size() == 1 ? " run" : " runs")
                .append("</div></header><main>")
                .append(
                        "<input id=\"filter\" type=\"search\" placeholder=\"filter: e.g. invalid partition kv\" autofocus>")
                .append(
                        "<table id=\"runs\"><thead><tr><th>time</th><th>test</th><th>workload</th><th>nemeses</th><th>verdict</th>")
                .append("<th>duration</th><th>files</th></tr></thead><tbody>");
        for (StoreIndex.Run r : runs) {
            String base = "store/" + encodePath(r.path()) + "/";
            sb.append("<tr class=\"run\"><td>")
                    .append(esc(r.time()))
                    .append("</td><td>")
                    .append(esc(r.test()))
                    .append("</td><td>")
                    .append(esc(r.workload()))
                    .append("</td><td>")
                    .append(esc(r.nemeses().isEmpty() ? "none" : r.nemeses()))
                    .append("</td><td><span class=\"v ")
                    .append(esc(r.verdict()))
                    .append("\">")
                    .append(esc(r.verdict()))
                    .append("</span></td><td>")
                    .append(r.durationNanos() < 0 ? "" : String.format(Locale.ROOT, "%.1f s", r.durationNanos() / 1e9))
                    .append("</td><td>");
            if (r.hasReport())
                sb.append("<a class=\"report\" href=\"").append(base).append("report.html\">report</a> · ");
            sb.append("<a href=\"").append(base).append("\">files</a></td></tr>");
        }
        sb.append("</tbody></table>");
        if (runs.isEmpty()) sb.append("<p>No runs yet. Start one with <code>omnitest run</code>.</p>");
        sb.append("</main><script>")
                .append(
                        "(function(){var box=document.getElementById('filter');var rows=document.querySelectorAll('#runs tbody tr');")
                .append("function apply(){var words=box.value.toLowerCase().split(/\\s+/).filter(Boolean);")
                .append("rows.forEach(function(r){var t=r.textContent.toLowerCase();")
                .append("r.style.display=words.every(function(w){return t.indexOf(w)>=0;})?'':'none';});}")
                .append("box.addEventListener('input',apply);apply();})();")
                .append("</script></body></html>\n");
        return sb.toString();
    }

    /** A directory listing of a run's folder, so raw files and node logs are one click away. */
    static String listing(String relative, List<String> names) {
        StringBuilder sb = new StringBuilder(
                        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>")
                .append(esc(relative))
                .append("</title><style>body{font:14px/1.6 system-ui,sans-serif;margin:20px}a{color:#2b5fad}</style>")
                .append("</head><body><p><a href=\"/\">all runs</a></p><h1>")
                .append(esc(relative))
                .append("</h1><ul>");
        for (String n : names)
            sb.append("<li><a href=\"")
                    .append(encodePath(n))
                    .append("\">")
                    .append(esc(n))
                    .append("</a></li>");
        return sb.append("</ul></body></html>\n").toString();
    }

    static String encodePath(String path) {
        StringBuilder sb = new StringBuilder();
        for (String seg : path.split("/", -1)) {
            if (sb.length() > 0 || path.startsWith("/")) sb.append('/');
            sb.append(java.net.URLEncoder.encode(seg, java.nio.charset.StandardCharsets.UTF_8)
                    .replace("+", "%20"));
        }
        return sb.toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
