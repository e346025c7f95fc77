package org.hasm.actors.meter;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An entry a meter module writes to one of its log segments: its kind and its text, stored byte for byte
 * as {@link #text()} gives it. Each segment's kinds are records beside its writer ({@link SecurityLogEntry},
 * {@link OffSwitchLogEntry}, {@link MetrologyLogEntry}); each record also reads its text back, so the
 * forensic readers and the central system share the writer's words instead of their own patterns.
 */
public interface LogEntry {
    String kind();

    String text();

    /** The verdict every accepted command, token or switch in the logs carries. */
    String ACCEPTED = "ACCEPTED";

    /**
     * A window's refused attempts beyond the budget, folded into one entry of both logs (RefusalFolding):
     * "iface=DC kind=frame-refused count=9900 first=… last=… sha256=…".
     */
    record RefusalsFolded(String iface, String refusedKind, String folded) implements LogEntry {
        public static final String KIND = "refusals-folded";
        private static final Pattern TEXT = Pattern.compile("^iface=(\\S+) kind=(\\S+) (.*)$");

        @Override
        public String kind() {
            return KIND;
        }

        @Override
        public String text() {
            return "iface=" + iface + " kind=" + refusedKind + " " + folded;
        }

        /** What OffSwitchSecurity reports to the central system once the summary entry is durable. */
        public String report() {
            return KIND + " " + text();
        }

        public static boolean isReport(String report) {
            return report.startsWith(KIND);
        }

        public static Optional<RefusalsFolded> parse(String text) {
            Matcher m = TEXT.matcher(text);
            return m.matches() ? Optional.of(new RefusalsFolded(m.group(1), m.group(2), m.group(3))) : Optional.empty();
        }
    }
}
