package org.hasm.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The command line's values; each IllegalArgumentException says in one line what is wrong. */
public final class Inputs {
    public static final double MAX_RATE = 1_000_000;
    public static final int MAX_STAGES = 100;
    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)(?:/s)?");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)?");
    private static final Pattern HOST_PORT = Pattern.compile("([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:]+\\]):(\\d{1,5})");

    private Inputs() {
    }

    /** "5000" or "5000/s": frames a second, above 0. */
    public static double rate(String text) {
        Matcher m = RATE.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("bad rate '" + text + "': give frames a second, like 5000 or 5000/s");
        }
        double r = Double.parseDouble(m.group(1));
        if (!(r > 0)) {
            throw new IllegalArgumentException("bad rate '" + text + "': a load test sends more than 0 frames a second");
        }
        if (r > MAX_RATE) {
            throw new IllegalArgumentException("bad rate '" + text + "': at most " + (long) MAX_RATE + "/s");
        }
        return r;
    }

    /** "FROM:TO:STEP": FROM, FROM+STEP, … up to TO. */
    public static List<Double> ramp(String text) {
        String[] p = text.split(":", -1);
        if (p.length != 3) {
            throw new IllegalArgumentException("bad ramp '" + text + "': write FROM:TO:STEP, like 1000:10000:1000");
        }
        double from = rate(p[0]);
        double to = rate(p[1]);
        double step = rate(p[2]);
        if (to < from) {
            throw new IllegalArgumentException("bad ramp '" + text + "': TO is below FROM");
        }
        List<Double> rates = new ArrayList<>();
        for (int k = 0; from + k * step <= to + 1e-9; k++) {
            if (rates.size() == MAX_STAGES) {
                throw new IllegalArgumentException("bad ramp '" + text + "': more than " + MAX_STAGES + " steps");
            }
            rates.add(from + k * step);
        }
        return rates;
    }

    /** "30s", "2m", "500ms", "1h"; a bare number is seconds. */
    public static Duration duration(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches() || m.group(1).length() > 9) {
            throw new IllegalArgumentException("bad duration '" + text + "': write it like 30s, 2m or 500ms");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2) == null ? "s" : m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofSeconds(n);
        };
        if (d.isZero()) {
            throw new IllegalArgumentException("bad duration '" + text + "': a stage lasts longer than 0");
        }
        return d;
    }

    /** A remote target's address; "local" is handled before. */
    public record HostPort(String host, int port) {
    }

    public static HostPort hostPort(String text) {
        Matcher m = HOST_PORT.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("unknown target '" + text + "': use 'local' or HOST:PORT");
        }
        int port = Integer.parseInt(m.group(2));
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("unknown target '" + text + "': the port is 1-65535");
        }
        return new HostPort(m.group(1), port);
    }
}
