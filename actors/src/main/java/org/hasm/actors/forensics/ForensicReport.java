package org.hasm.actors.forensics;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import org.hasm.actors.report.ReportWriter;

/**
 * What a replay subcommand found, in the three shapes {@code --format} offers: aligned text tables, JSON
 * ({@code data}, written by the report's Jackson mapper) or one self-contained HTML page (no script, no
 * network).
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
            case json -> {
                try {
                    out.println(ReportWriter.mapper().writeValueAsString(data));
                } catch (JsonProcessingException e) {
                    throw new UncheckedIOException(e);
                }
            }
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
        StringBuilder s = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(title)).append("</title>\n<style>body{font-family:system-ui,sans-serif;margin:2em}"
                        + "table{border-collapse:collapse;margin-bottom:2em;font-size:90%}"
                        + "th,td{border:1px solid #ccc;padding:2px 6px;text-align:left;vertical-align:top}"
                        + "th{background:#eee}td{font-family:ui-monospace,monospace}"
                        + "tr.UNEXPLAINED td{background:#fdd}</style></head>\n<body>\n<h1>")
                .append(escape(title)).append("</h1>\n");
        notes.forEach(n -> s.append("<p>").append(escape(n)).append("</p>\n"));
        for (Table t : tables) {
            s.append("<h2>").append(escape(t.caption())).append("</h2>\n<table><tr>");
            t.columns().forEach(c -> s.append("<th>").append(escape(c)).append("</th>"));
            s.append("</tr>\n");
            for (List<String> row : t.rows()) {
                // a row whose cell says UNEXPLAINED is marked, so the eye finds it
                s.append(row.contains("UNEXPLAINED") ? "<tr class=\"UNEXPLAINED\">" : "<tr>");
                row.forEach(c -> s.append("<td>").append(escape(c)).append("</td>"));
                s.append("</tr>\n");
            }
            s.append("</table>\n");
        }
        return s.append("</body></html>\n").toString();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
