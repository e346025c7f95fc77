package org.hasm.actors.forensics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.hasm.actors.forensics.StoreVerification.AccountCheck;
import org.hasm.actors.forensics.StoreVerification.Result;
import org.hasm.actors.forensics.StoreVerification.SegmentCheck;
import org.junit.jupiter.api.Test;

/** The replay pages: names out of a store (a meter id can be anything a database holds) come out as text. */
class ForensicReportTest {
    private static final String HOSTILE = "<script>alert(1)</script>";

    @Test
    void aMeterIdWithMarkupIsEscapedInTheReplayPage() {
        ForensicReport r = new ForensicReport("timeline of " + HOSTILE, List.of("note " + HOSTILE),
                List.of(new ForensicReport.Table("entries of " + HOSTILE, List.of("meter", "what"),
                        List.of(List.of(HOSTILE, "UNEXPLAINED")))), null);
        String html = r.html();
        assertFalse(html.contains("<script"), html);
        assertFalse(html.contains("@"), "every placeholder filled: " + html);
        assertTrue(html.contains("<title>timeline of &lt;script&gt;"), html);
        assertTrue(html.contains("<tr class=\"UNEXPLAINED\"><td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"), html);
    }

    @Test
    void aMeterIdWithMarkupIsEscapedInTheVerifyPage() {
        Result r = new Result("h2:test", 3, 1,
                List.of(new SegmentCheck(HOSTILE, "metrology-log", 3, 1, 2L, "HASH_MISMATCH", "entry 2 " + HOSTILE,
                        3L, 1, 3L, 3L)),
                List.of(new AccountCheck(HOSTILE, 5, 1, null, null, null)), 12);
        String html = VerificationOutput.html(r, true);
        assertFalse(html.contains("<script"), html);
        assertFalse(html.contains("@"), "every placeholder filled: " + html);
        assertTrue(html.contains("<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>"), html);
        assertTrue(html.contains("<td class=\"fail\">HASH_MISMATCH</td>"), html);
    }
}
