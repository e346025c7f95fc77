package org.hasm.actors.meter;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The MetrologyLog's entries as Computations writes them and the readers read them back. The log's other
 * entries, acknowledgements and releases, are the segment's own ({@code Segment.ACKNOWLEDGED}, {@code RELEASED}).
 */
public final class MetrologyLogEntry {
    public static final String READING = "reading";

    private MetrologyLogEntry() {
    }

    /** One interval's reading: "1700000000000..1700000900000 import=120Wh export=0Wh". */
    public record Reading(long intervalStart, long intervalEnd, long importWh, long exportWh) implements LogEntry {
        private static final Pattern TEXT = Pattern.compile("^(\\d+)\\.\\.(\\d+) import=(\\d+)Wh export=(\\d+)Wh");

        @Override
        public String kind() {
            return READING;
        }

        @Override
        public String text() {
            return intervalStart + ".." + intervalEnd + " import=" + importWh + "Wh export=" + exportWh + "Wh";
        }

        /** The reading at the head of an entry's text; what follows it, if anything, is not read. */
        public static Optional<Reading> parse(String text) {
            Matcher m = TEXT.matcher(text);
            return m.find() ? Optional.of(new Reading(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                    Long.parseLong(m.group(3)), Long.parseLong(m.group(4)))) : Optional.empty();
        }
    }
}
