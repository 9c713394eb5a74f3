package io.omnitest.cli.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CampaignHtmlTest {
    @Test
    void inlineMarkdownBecomesEscapedHtml() {
        assertEquals(
                "<code>early-ack</code> <b>missed</b> <a href=\"../../a&amp;b/run1\">1✓</a> &lt;script&gt;",
                CampaignHtml.inline("`early-ack` **missed** [1✓](../../a&b/run1) <script>"));
    }

    @Test
    void theTableBulletsAndParagraphsBecomeAPage() {
        String md =
                "# omnitest campaign x\n\n| SUT | result |\n|---|---|\n| `no-fsync` | 3/3 caught ✓ |\n| correct | 2/2 valid ✓ |\n\n"
                        + "- bug targets: `no-fsync` met\n- correct SUT: 2 of 2 runs valid\n\nA bug's target.\n";
        String html = CampaignHtml.page("t<", md);
        assertTrue(html.contains("<title>t&lt;</title>"), html);
        assertTrue(
                html.contains("<h1>omnitest campaign x</h1>\n<table>\n<tr><th>SUT</th><th>result</th></tr>\n"
                        + "<tr><td><code>no-fsync</code></td><td>3/3 caught ✓</td></tr>\n<tr><td>correct</td><td>2/2 valid ✓</td></tr>\n</table>\n"
                        + "<ul>\n<li>bug targets: <code>no-fsync</code> met</li>\n<li>correct SUT: 2 of 2 runs valid</li>\n</ul>\n"
                        + "<p>A bug's target.</p>\n"),
                html);
    }
}
