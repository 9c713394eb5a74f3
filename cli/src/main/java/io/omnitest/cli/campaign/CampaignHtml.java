package io.omnitest.cli.campaign;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code campaign.html}: the campaign's Markdown ({@link CampaignReport#markdown}) as a page, so
 * the table a browser shows is the table campaign.md holds. Understands what that Markdown uses:
 * headings, tables, bullet lines and paragraphs; inline links, code and bold. Pure.
 */
final class CampaignHtml {
    private static final Pattern INLINE = Pattern.compile("\\[([^\\]]*)\\]\\(([^)]*)\\)|`([^`]*)`|\\*\\*([^*]*)\\*\\*");

    private CampaignHtml() {}

    static String page(String title, String markdown) {
        return page(title, markdown, null);
    }

    /** The page, with {@code chart} (an SVG element we made, or null) after the Markdown. */
    static String page(String title, String markdown, String chart) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(esc(title))
                .append("</title>\n")
                .append(
                        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                                + "td,th{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}</style></head><body>\n");
        List<String> lines = List.of(markdown.split("\n", -1));
        boolean inList = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("- ") && inList) {
                sb.append("</ul>\n");
                inList = false;
            }
            if (line.startsWith("# ")) {
                sb.append("<h1>").append(inline(line.substring(2))).append("</h1>\n");
            } else if (line.startsWith("## ")) {
                sb.append("<h2>").append(inline(line.substring(3))).append("</h2>\n");
            } else if (line.startsWith("|")) {
                List<String> header = cells(line);
                sb.append("<table>\n<tr>");
                for (String h : header) sb.append("<th>").append(inline(h)).append("</th>");
                sb.append("</tr>\n");
                i++; // the |---| line
                while (i + 1 < lines.size() && lines.get(i + 1).startsWith("|")) {
                    sb.append("<tr>");
                    for (String c : cells(lines.get(++i)))
                        sb.append("<td>").append(inline(c)).append("</td>");
                    sb.append("</tr>\n");
                }
                sb.append("</table>\n");
            } else if (line.startsWith("- ")) {
                if (!inList) sb.append("<ul>\n");
                inList = true;
                sb.append("<li>").append(inline(line.substring(2))).append("</li>\n");
            } else if (!line.isBlank()) {
                sb.append("<p>").append(inline(line)).append("</p>\n");
            }
        }
        if (inList) sb.append("</ul>\n");
        if (chart != null)
            sb.append("<h2>Downtime, as a share of the fault</h2>\n").append(chart);
        return sb.append("</body></html>\n").toString();
    }

    private static List<String> cells(String row) {
        String inner = row.strip();
        inner = inner.substring(1, inner.endsWith("|") && inner.length() > 1 ? inner.length() - 1 : inner.length());
        List<String> out = new ArrayList<>();
        for (String c : inner.split("\\|", -1)) out.add(c.strip());
        return out;
    }

    static String inline(String text) {
        StringBuilder sb = new StringBuilder();
        Matcher m = INLINE.matcher(text);
        int at = 0;
        while (m.find()) {
            sb.append(esc(text.substring(at, m.start())));
            if (m.group(1) != null)
                sb.append("<a href=\"")
                        .append(esc(m.group(2)))
                        .append("\">")
                        .append(esc(m.group(1)))
                        .append("</a>");
            else if (m.group(3) != null)
                sb.append("<code>").append(esc(m.group(3))).append("</code>");
            else sb.append("<b>").append(esc(m.group(4))).append("</b>");
            at = m.end();
        }
        return sb.append(esc(text.substring(at))).toString();
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
