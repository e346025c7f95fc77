package org.hasm.actors.forensics;

import static org.hasm.actors.report.ReportKit.element;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.hasm.actors.report.ReportKit;

/**
 * What a replay subcommand found, in the three shapes {@code --format} offers: aligned text tables, JSON
 * ({@code data}) or one self-contained HTML page (no script, no network), the last two by the
 * {@link ReportKit}.
 */
public record ForensicReport(String title, List<String> notes, List<Table> tables, Object data) {
    public enum Format { table, json, html }

    /** One table; its last column is left unpadded, so put the long text there. */
    public record Table(String caption, List<String> columns, List<List<String>> rows) {
        public Table {
            columns = List.copyOf(columns);
            rows = List.copyOf(rows);
        }
    }

    public ForensicReport {
        notes = List.copyOf(notes);
        tables = List.copyOf(tables);
    }

    public void write(Format format, PrintWriter out) {
        switch (format) {
            case table -> text(out);
            case json -> out.print(ReportKit.json(data));
            case html -> out.print(html());
        }
        out.flush();
    }

    private void text(PrintWriter out) {
        out.println(title);
        notes.forEach(out::println);
        for (Table t : tables) {
            out.println();
            out.println(t.caption());
            if (t.rows().isEmpty()) {
                out.println("  (none)");
                continue;
            }
            int[] widths = new int[t.columns().size()];
            for (int i = 0; i < widths.length; i++) {
                widths[i] = t.columns().get(i).length();
                for (List<String> row : t.rows()) {
                    widths[i] = Math.max(widths[i], row.get(i).length());
                }
            }
            out.println(line(t.columns(), widths));
            t.rows().forEach(row -> out.println(line(row, widths)));
        }
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder s = new StringBuilder(" ");
        for (int i = 0; i < cells.size(); i++) {
            s.append(' ');
            s.append(i == cells.size() - 1 ? cells.get(i) : String.format("%-" + widths[i] + "s", cells.get(i)));
        }
        return s.toString().stripTrailing();
    }

    String html() {
        StringBuilder s = new StringBuilder();
        notes.forEach(n -> s.append(element("p", null, n)).append('\n'));
        for (Table t : tables) {
            s.append(element("h2", null, t.caption())).append("\n<table><tr>");
            t.columns().forEach(c -> s.append(element("th", null, c)));
            s.append("</tr>\n");
            for (List<String> row : t.rows()) {
                // a row whose cell says UNEXPLAINED is marked, so the eye finds it
                s.append(row.contains("UNEXPLAINED") ? "<tr class=\"UNEXPLAINED\">" : "<tr>");
                row.forEach(c -> s.append(element("td", null, c)));
                s.append("</tr>\n");
            }
            s.append("</table>\n");
        }
        return ReportKit.fill(ForensicReport.class, "replay.html", Map.of("TITLE", ReportKit.escape(title), "BODY", s.toString()));
    }
}
