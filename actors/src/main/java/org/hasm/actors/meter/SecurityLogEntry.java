package org.hasm.actors.meter;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hasm.policy.kernel.Violation;

/**
 * The SecurityLog's entries as CsSecurity writes them, valid or not (P11), and as the forensic readers read
 * them back: one record per kind of entry, its text exactly the bytes the segment stores.
 */
public final class SecurityLogEntry {
    public static final String COMMAND = "command";
    public static final String TOP_UP = "top-up";
    public static final String FRAME_REFUSED = "frame-refused";
    public static final String ACKNOWLEDGEMENT = "acknowledgement";
    public static final String APPLIANCE_SWITCH = "appliance-switch";
    public static final String TECHNICIAN_ACCESS = "technician-access";
    public static final String POLICY_VIOLATION = "policy-violation";

    /** Kinds whose entries are attempts: accepted ones change something, the others are the refused trail. */
    private static final Set<String> ATTEMPTS = Set.of(FRAME_REFUSED, TECHNICIAN_ACCESS, POLICY_VIOLATION, APPLIANCE_SWITCH,
            ACKNOWLEDGEMENT, COMMAND, TOP_UP);

    private SecurityLogEntry() {
    }

    /** An attempt this log recorded as refused: neither accepted nor a valid credential. */
    public static boolean refusedAttempt(String kind, String text) {
        return ATTEMPTS.contains(kind) && !text.contains(LogEntry.ACCEPTED) && !text.endsWith("VALID");
    }

    /** A signed command from the central system and its outcome: "SET_TARIFF #2 ACCEPTED", "CLOCK_SYNC #3 REFUSED (payload)". */
    public record Command(String command, long sequence, String outcome) implements LogEntry {
        /** The outcome of a verified command whose payload makes no sense to the meter. */
        public static final String REFUSED_PAYLOAD = "REFUSED (payload)";
        private static final Pattern TEXT = Pattern.compile("^([A-Z_]+) #(\\d+) (.+)$");

        @Override
        public String kind() {
            return COMMAND;
        }

        @Override
        public String text() {
            return command + " #" + sequence + " " + outcome;
        }

        public boolean accepted() {
            return outcome.equals(ACCEPTED);
        }

        public static Optional<Command> parse(String text) {
            Matcher m = TEXT.matcher(text);
            return m.find() ? Optional.of(new Command(m.group(1), Long.parseLong(m.group(2)), m.group(3))) : Optional.empty();
        }
    }

    /** A frame that opened but carried no command: "MALFORMED READINGS frame #7". */
    public record MalformedCommandFrame(String frameKind, long counter) implements LogEntry {
        @Override
        public String kind() {
            return COMMAND;
        }

        @Override
        public String text() {
            return "MALFORMED " + frameKind + " frame #" + counter;
        }
    }

    /** A top-up token and the acceptor's verdict: "token #1 500 cents ACCEPTED". */
    public record TopUp(long tokenId, long amountCents, String verdict) implements LogEntry {
        private static final Pattern TEXT = Pattern.compile("^token #(\\d+) (\\d+) cents (.+)$");

        @Override
        public String kind() {
            return TOP_UP;
        }

        @Override
        public String text() {
            return "token #" + tokenId + " " + amountCents + " cents " + verdict;
        }

        public boolean accepted() {
            return verdict.equals(ACCEPTED);
        }

        public static Optional<TopUp> parse(String text) {
            Matcher m = TEXT.matcher(text);
            return m.find() ? Optional.of(new TopUp(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), m.group(3)))
                    : Optional.empty();
        }
    }

    /** Bytes typed in that are no token at all: "MALFORMED (12 bytes)". */
    public record MalformedTopUp(int bytes) implements LogEntry {
        @Override
        public String kind() {
            return TOP_UP;
        }

        @Override
        public String text() {
            return "MALFORMED (" + bytes + " bytes)";
        }
    }

    /** A frame the opener refused: "REPLAYED (98 bytes)". */
    public record FrameRefused(String reason, int bytes) implements LogEntry {
        @Override
        public String kind() {
            return FRAME_REFUSED;
        }

        @Override
        public String text() {
            return reason + " (" + bytes + " bytes)";
        }
    }

    /** An authentic acknowledgement frame whose time is not a number: "MALFORMED frame #12". */
    public record MalformedAcknowledgement(long counter) implements LogEntry {
        @Override
        public String kind() {
            return ACKNOWLEDGEMENT;
        }

        @Override
        public String text() {
            return "MALFORMED frame #" + counter;
        }
    }

    /** A load-balancing switch of an appliance: "boiler off ACCEPTED", "boiler on REJECTED (P13: …)". */
    public record ApplianceSwitch(String appliance, boolean on, String outcome) implements LogEntry {
        public static ApplianceSwitch accepted(String appliance, boolean on) {
            return new ApplianceSwitch(appliance, on, ACCEPTED);
        }

        public static ApplianceSwitch rejected(String appliance, boolean on, String reason) {
            return new ApplianceSwitch(appliance, on, "REJECTED (P13: " + reason + ")");
        }

        @Override
        public String kind() {
            return APPLIANCE_SWITCH;
        }

        @Override
        public String text() {
            return appliance + (on ? " on" : " off") + " " + outcome;
        }
    }

    /** A technician's request and the credential's verdict: "tech-1 'read registers' VALID". */
    public record TechnicianAccess(String technician, String request, String outcome) implements LogEntry {
        @Override
        public String kind() {
            return TECHNICIAN_ACCESS;
        }

        @Override
        public String text() {
            return technician + " '" + request + "' " + outcome;
        }
    }

    /** A message the kernel dropped (P1-P10): "P3 NOT_ALLOWED Display -> OffSwitch : Actuate". */
    public record PolicyViolation(String text) implements LogEntry {
        public static PolicyViolation of(Violation v) {
            return new PolicyViolation(v.rule() + " " + v.reason() + " " + (v.sender() == null ? "?" : v.sender()) + " -> "
                    + v.receiver() + " : " + (v.type() == null ? v.payloadClass() : v.type()));
        }

        @Override
        public String kind() {
            return POLICY_VIOLATION;
        }
    }
}
