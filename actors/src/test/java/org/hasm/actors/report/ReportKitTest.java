package org.hasm.actors.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportKitTest {

    @Test
    void escapesMarkupInNames() {
        assertEquals("&lt;script&gt;alert(&quot;m00001&quot;)&lt;/script&gt; &amp;", ReportKit.escape("<script>alert(\"m00001\")</script> &"));
        assertEquals("<td class=\"n\">&lt;script&gt;</td>", ReportKit.element("td", "n", "<script>"));
        assertEquals("<p>a &amp; b</p>", ReportKit.element("p", null, "a & b"));
    }

    @Test
    void fillsEveryPlaceholderWithTheValueAsItIs() {
        String page = ReportKit.fill(ReportKitTest.class, "kit-test.html",
                Map.of("TITLE", ReportKit.escape("<script>x</script>"), "BODY", "$1 \\ @TITLE@"));
        assertEquals("<title>&lt;script&gt;x&lt;/script&gt;</title>\n<p>$1 \\ @TITLE@</p>\n", page,
                "a value is not read as a replacement pattern nor filled again");
    }

    @Test
    void aPlaceholderWithoutAValueIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReportKit.fill(ReportKitTest.class, "kit-test.html", Map.of("TITLE", "t")));
        assertTrue(e.getMessage().contains("@BODY@"), e.getMessage());
    }

    @Test
    void dataForAScriptCannotEndTheScriptElement() {
        String data = ReportKit.scriptJson(Map.of("meterId", List.of("</script><script>alert(1)</script>")));
        assertFalse(data.contains("</"), data);
        assertEquals("{\"meterId\":[\"<\\/script><script>alert(1)<\\/script>\"]}", data);
    }

    @Test
    void jsonFilesAreIndentedAndEndInANewline() {
        assertEquals("{\n  \"a\" : 1\n}\n", ReportKit.json(Map.of("a", 1)));
    }

    @Test
    void uplotIsInlinedFromItsWebjar() {
        assertTrue(ReportKit.uplotJs().contains("uPlot"));
        assertFalse(ReportKit.uplotJs().contains("</"));
        assertTrue(ReportKit.uplotCss().contains(".uplot"));
    }
}
