package org.hasm.actors.meter;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OffSwitchLog's entries as OffSwitchSecurity writes them and the forensic readers read them back, and
 * the reports it seals for the central system: one record per kind, its text exactly the bytes stored or
 * sent. An entry that changes the switch carries the state it leads to ({@link StateChange}), which is also
 * the log's {@value #SWITCH_STATE} value that a restart reads.
 */
public final class OffSwitchLogEntry {
    public static final String REMOTE_COMMAND = "remote-command";
    public static final String ARMED = "armed";
    public static final String ACTUATION = "actuation";
    public static final String ZERO_CREDIT_TRIGGER = "zero-credit-trigger";
    public static final String CREDIT_RESTORED = "credit-restored";
    public static final String LOCAL_CONFIRMATION = "local-confirmation";
    public static final String REPORT_COUNTERS_RESERVED = "report-counters-reserved";
    /** The keys of the log's values: the switch state, and the report counters reserved. */
    public static final String SWITCH_STATE = "switch-state";
    public static final String REPORT_COUNTER_RESERVED = "report-counter-reserved";

    private static final String STATE_SEPARATOR = " | ";

    private OffSwitchLogEntry() {
    }

    /** A remote command this log recorded as refused: one that was not accepted. */
    public static boolean refusedAttempt(String kind, String text) {
        return kind.equals(REMOTE_COMMAND) && !text.contains(LogEntry.ACCEPTED) && !text.endsWith("VALID");
    }

    /** Why the supply is off: a zero-credit disconnection may be undone locally after a top-up, a remote one not. */
    public enum OffCause { NONE, ZERO_CREDIT, REMOTE }

    /** The state an entry leads to: "supply=OFF cause=ZERO_CREDIT sequence=3". */
    public record SwitchState(Supply supply, OffCause cause, long sequence) {
        public static final SwitchState INITIAL = new SwitchState(Supply.ON, OffCause.NONE, 0);

        public String text() {
            return "supply=" + supply + " cause=" + cause + " sequence=" + sequence;
        }

        /** The state at the end of a {@value #SWITCH_STATE} value; {@link #INITIAL} if there is none yet. */
        public static SwitchState ofValue(String value) {
            if (value == null) {
                return INITIAL;
            }
            String[] fields = value.substring(value.lastIndexOf(STATE_SEPARATOR) + 3).split(" ");
            return new SwitchState(Supply.valueOf(fields[0].substring("supply=".length())),
                    OffCause.valueOf(fields[1].substring("cause=".length())), Long.parseLong(fields[2].substring("sequence=".length())));
        }
    }

    /** An entry followed by the state it leads to, e.g. "OFF (zero credit) | supply=OFF cause=ZERO_CREDIT sequence=3". */
    public record StateChange(LogEntry what, SwitchState after) implements LogEntry {
        @Override
        public String kind() {
            return what.kind();
        }

        @Override
        public String text() {
            return what.text() + STATE_SEPARATOR + after.text();
        }
    }

    /** A switch command as the log and the reports name it: "SWITCH_OFF #3". */
    public record SwitchCommand(boolean on, long sequence) {
        private static final Pattern TEXT = Pattern.compile("^(SWITCH_ON|SWITCH_OFF) #(\\d+)$");

        public String name() {
            return on ? "SWITCH_ON" : "SWITCH_OFF";
        }

        public String text() {
            return name() + " #" + sequence;
        }

        public static Optional<SwitchCommand> parse(String what) {
            Matcher m = TEXT.matcher(what);
            return m.find() ? Optional.of(new SwitchCommand(m.group(1).equals("SWITCH_ON"), Long.parseLong(m.group(2))))
                    : Optional.empty();
        }
    }

    /**
     * A remote command and its verdict: "SWITCH_OFF #1 ACCEPTED lastSequence=1"; {@code what} is the command
     * ("SWITCH_OFF #1") or, for a frame that decodes to none, its size ("12 bytes").
     */
    public record RemoteCommand(String what, String verdict, long lastSequence) implements LogEntry {
        private static final Pattern TEXT = Pattern.compile("^(\\S+ #\\d+|\\d+ bytes) (\\S+) lastSequence=(\\d+)");

        @Override
        public String kind() {
            return REMOTE_COMMAND;
        }

        @Override
        public String text() {
            return what + " " + verdict + " lastSequence=" + lastSequence;
        }

        public boolean accepted() {
            return verdict.equals(LogEntry.ACCEPTED);
        }

        /** The switch command it names, if it names one. */
        public Optional<SwitchCommand> switchCommand() {
            return SwitchCommand.parse(what);
        }

        public static Optional<RemoteCommand> parse(String text) {
            Matcher m = TEXT.matcher(text);
            return m.find() ? Optional.of(new RemoteCommand(m.group(1), m.group(2), Long.parseLong(m.group(3)))) : Optional.empty();
        }
    }

    /** The breaker armed ("ARMED (credit restored)") or actuated ("OFF (remote command #3)"), and why. */
    public record Switched(Supply supply, String why) implements LogEntry {
        public static final String WHY_ZERO_CREDIT = "zero credit";
        public static final String WHY_CREDIT_RESTORED = "credit restored";
        public static final String WHY_CONFIRMED = "confirmed on the Display";
        private static final String BY_REMOTE = "remote command #";
        private static final Pattern TEXT = Pattern.compile("^(ON|OFF|ARMED) \\((.*)\\) \\| ");
        private static final Pattern REMOTE_WHY = Pattern.compile("^remote command #(\\d+)$");

        public static String byRemoteCommand(long sequence) {
            return BY_REMOTE + sequence;
        }

        @Override
        public String kind() {
            return supply == Supply.ARMED ? ARMED : ACTUATION;
        }

        @Override
        public String text() {
            return supply + " (" + why + ")";
        }

        /** The sequence of the remote command it was done for, if it was. */
        public Optional<Long> remoteCommand() {
            Matcher m = REMOTE_WHY.matcher(why);
            return m.find() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
        }

        /** The switch at the head of an armed or actuation entry, which carries the state after it. */
        public static Optional<Switched> parse(String entry) {
            Matcher m = TEXT.matcher(entry);
            return m.find() ? Optional.of(new Switched(Supply.valueOf(m.group(1)), m.group(2))) : Optional.empty();
        }
    }

    /** CreditBalance asked for a switch-off at zero credit: "supply=ON". */
    public record ZeroCreditTrigger(Supply supply) implements LogEntry {
        @Override
        public String kind() {
            return ZERO_CREDIT_TRIGGER;
        }

        @Override
        public String text() {
            return "supply=" + supply;
        }
    }

    /** CreditBalance said a local switch-on may follow: "supply=OFF cause=ZERO_CREDIT". */
    public record CreditRestored(Supply supply, OffCause cause) implements LogEntry {
        @Override
        public String kind() {
            return CREDIT_RESTORED;
        }

        @Override
        public String text() {
            return "supply=" + supply + " cause=" + cause;
        }
    }

    /** The consumer pressed the Display's button: "supply=ARMED". */
    public record LocalConfirmation(Supply supply) implements LogEntry {
        @Override
        public String kind() {
            return LOCAL_CONFIRMATION;
        }

        @Override
        public String text() {
            return "supply=" + supply;
        }
    }

    /** Report counters reserved up to {@code upTo}, also the log's {@value #REPORT_COUNTER_RESERVED} value. */
    public record ReportCountersReserved(long upTo) implements LogEntry {
        @Override
        public String kind() {
            return REPORT_COUNTERS_RESERVED;
        }

        @Override
        public String text() {
            return Long.toString(upTo);
        }

        public static long ofValue(String value) {
            return Long.parseLong(value == null ? "0" : value);
        }
    }

    /**
     * The report sealed for the central system after every remote command: "SWITCH_OFF #1 ACCEPTED supply=OFF",
     * {@code what} as in {@link RemoteCommand}.
     */
    public record CommandResult(String what, String verdict, Supply supply) {
        private static final Pattern TEXT = Pattern.compile("^(\\S+ #\\d+|\\d+ bytes) (\\S+) supply=(ON|OFF|ARMED)");

        public String text() {
            return what + " " + verdict + " supply=" + supply;
        }

        public Optional<SwitchCommand> switchCommand() {
            return SwitchCommand.parse(what);
        }

        public static Optional<CommandResult> parse(String text) {
            Matcher m = TEXT.matcher(text);
            return m.find() ? Optional.of(new CommandResult(m.group(1), m.group(2), Supply.valueOf(m.group(3)))) : Optional.empty();
        }
    }
}
