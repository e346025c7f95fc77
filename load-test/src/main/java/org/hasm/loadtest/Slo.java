package org.hasm.loadtest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * A service-level objective on response times: {@code p99<100ms}, {@code p99.9<=250ms}, {@code max<2s}, or
 * several joined by commas ({@code p50<20ms,p99<100ms}). Units: us, ms, s.
 */
public record Slo(String text, List<Bound> bounds) {
    private static final Pattern BOUND = Pattern.compile("(?:p(\\d{1,2}(?:\\.\\d{1,3})?)|(max))\\s*(<=|<)\\s*(\\d+(?:\\.\\d+)?)\\s*(us|ms|s)");

    /** {@code percentile} 100 is the maximum; {@code limitMicros} is inclusive when {@code orEqual}. */
    public record Bound(double percentile, double limitMicros, boolean orEqual, String text) {
        boolean holds(Histogram h) {
            long v = Latencies.at(h, percentile);
            return orEqual ? v <= limitMicros : v < limitMicros;
        }
    }

    public Slo {
        bounds = List.copyOf(bounds);
    }

    /** The objective {@code text} states; an IllegalArgumentException says in one line what is wrong. */
    public static Slo parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty SLO: write it like \"p99<100ms\"");
        }
        List<Bound> bounds = new ArrayList<>();
        for (String part : text.split(",")) {
            Matcher m = BOUND.matcher(part.strip().toLowerCase(Locale.ROOT));
            if (!m.matches()) {
                throw new IllegalArgumentException("bad SLO '" + part.strip() + "': write PERCENTILE<LIMIT, like \"p99<100ms\","
                        + " \"p99.9<=250ms\" or \"max<2s\" (units us, ms, s)");
            }
            double percentile = m.group(2) != null ? 100 : Double.parseDouble(m.group(1));
            if (!(percentile > 0)) {
                throw new IllegalArgumentException("bad SLO '" + part.strip() + "': the percentile is above 0");
            }
            double limit = Double.parseDouble(m.group(4)) * switch (m.group(5)) {
                case "us" -> 1;
                case "ms" -> 1_000;
                default -> 1_000_000;
            };
            if (!(limit > 0)) {
                throw new IllegalArgumentException("bad SLO '" + part.strip() + "': the limit is above 0");
            }
            bounds.add(new Bound(percentile, limit, m.group(3).equals("<="), part.strip()));
        }
        return new Slo(text.strip(), bounds);
    }

    /** The bounds these response times break, each as "p99 = 412.0 ms, not < 100ms"; all of them if none were recorded. */
    public List<String> broken(Histogram responseTimes) {
        List<String> out = new ArrayList<>();
        for (Bound b : bounds) {
            if (responseTimes.getTotalCount() == 0) {
                out.add(b.text() + ": no frame was acknowledged");
            } else if (!b.holds(responseTimes)) {
                out.add(String.format(Locale.ROOT, "%s = %.1f ms, not %s", Latencies.name(b.percentile()),
                        Latencies.at(responseTimes, b.percentile()) / 1000.0, b.text()));
            }
        }
        return out;
    }
}
