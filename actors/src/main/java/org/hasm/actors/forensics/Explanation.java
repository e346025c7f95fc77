package org.hasm.actors.forensics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.meter.CreditBalance;
import org.hasm.actors.meter.MetrologyLogEntry;
import org.hasm.actors.meter.OffSwitchLogEntry;
import org.hasm.actors.meter.OffSwitchLogEntry.RemoteCommand;
import org.hasm.actors.meter.OffSwitchLogEntry.SwitchCommand;
import org.hasm.actors.meter.OffSwitchLogEntry.Switched;
import org.hasm.actors.meter.SecurityLogEntry;
import org.hasm.actors.meter.Supply;
import org.hasm.actors.meter.Tariff;
import org.hasm.persistence.Segment;
import org.hasm.policy.Part;

/**
 * Why each change in a meter's logs happened. Every actuation and arming of the off-switch is linked to a
 * remote command the central system issued (and the operator request behind it) or to a zero-credit
 * trigger and the CreditStore entry that caused it; every credit change to a top-up token the central
 * system issued or to the billing debit of a reading; every prepaid-mode and tariff change to a signed
 * command the meter accepted and the central system issued. What cannot be linked is UNEXPLAINED. The
 * refused attempts, folded floods and operator requests that changed nothing are the trail beside it.
 */
public record Explanation(String meterId, List<Finding> findings, List<Note> trail) {
    public enum Verdict { EXPLAINED, UNEXPLAINED }

    /** One change in the meter's logs and what it is linked to ({@code because}), or why it cannot be. */
    public record Finding(long time, String at, String segment, long seq, String category, String what, Verdict verdict,
                          List<String> because) {
    }

    /** Evidence that changed nothing: {@code count} entries of one kind between {@code first} and {@code last}. */
    public record Note(String source, String kind, long count, String first, String last, String detail) {
    }

    public long unexplained() {
        return findings.stream().filter(f -> f.verdict() == Verdict.UNEXPLAINED).count();
    }


    public static Explanation of(MeterLogs logs, OperatorTrail gateway) {
        return of(logs, gateway, FraudAlerts.none());
    }

    /** With the fraud alerts of the meter's concentrator in its trail: a theft goes around the meter, not through its logs. */
    public static Explanation of(MeterLogs logs, OperatorTrail gateway, FraudAlerts alerts) {
        return new Builder(logs, gateway, alerts).build();
    }

    /** The kind of a trail note for a fraud alert that verified; one that did not is {@value #FRAUD_ALERT_REFUSED}. */
    public static final String FRAUD_ALERT = "fraud alert";
    public static final String FRAUD_ALERT_REFUSED = "fraud alert refused";

    private static final class Builder {
        private final MeterLogs logs;
        private final OperatorTrail gateway;
        private final FraudAlerts alerts;
        private final List<Finding> findings = new ArrayList<>();
        private final List<Note> trail = new ArrayList<>();
        private final Map<Long, MeterAccount.SwitchCommandIssued> switchIssued = new HashMap<>();
        private final Map<Long, MeterAccount.CommandIssued> commandIssued = new HashMap<>();
        private final Map<Long, MeterAccount.TopUpTokenIssued> tokens = new HashMap<>();
        private final Map<Long, MeterAccount.ReadingReceived> billed = new HashMap<>();
        private final Map<Long, MeterAccount.SwitchAcknowledged> switchAcks = new HashMap<>();
        private final Map<Long, Segment.Entry> readingsByEnd = new HashMap<>();
        /** SecurityLog entries already linked to a change. */
        private final Set<Long> used = new HashSet<>();
        /** OffSwitchLog: accepted remote commands by sequence, and whether each is explained. */
        private final Map<Long, Segment.Entry> remote = new HashMap<>();
        private final Map<Long, Finding> remoteFindings = new HashMap<>();

        Builder(MeterLogs logs, OperatorTrail gateway, FraudAlerts alerts) {
            this.logs = logs;
            this.gateway = gateway;
            this.alerts = alerts;
            for (MeterAccount.Event e : logs.account()) {
                if (e instanceof MeterAccount.SwitchCommandIssued s) {
                    switchIssued.put(s.sequence(), s);
                } else if (e instanceof MeterAccount.CommandIssued c) {
                    commandIssued.put(c.sequence(), c);
                } else if (e instanceof MeterAccount.TopUpTokenIssued t) {
                    tokens.put(t.tokenId(), t);
                } else if (e instanceof MeterAccount.ReadingReceived r && r.commodity().equals("electricity")) {
                    billed.put(r.intervalEnd(), r);
                } else if (e instanceof MeterAccount.SwitchAcknowledged a) {
                    switchAcks.put(a.sequence(), a);
                }
            }
            for (Segment.Entry e : logs.entries(Part.MetrologyLog)) {
                if (e.kind().equals(MetrologyLogEntry.READING)) {
                    readingsByEnd.put(e.time(), e);
                }
            }
        }

        Explanation build() {
            tariffs();
            credit();
            offSwitch();
            leftoverSecurity();
            trail();
            findings.sort(java.util.Comparator.comparingLong(Finding::time));
            return new Explanation(logs.meterId(), List.copyOf(findings), List.copyOf(trail));
        }

        private void add(Segment.Entry e, Part segment, String category, String what, List<String> because, String problem) {
            List<String> all = new ArrayList<>(because);
            if (problem != null) {
                all.add(problem);
            }
            findings.add(new Finding(e.time(), ForensicTime.show(e.time()), Segment.journalName(segment), e.seq(), category, what,
                    problem == null ? Verdict.EXPLAINED : Verdict.UNEXPLAINED, List.copyOf(all)));
        }

        /**
         * The earliest SecurityLog entry not yet linked, of {@code kind}, that {@code fits}. Not bounded by time:
         * a command's entry is stamped when its write is confirmed, which can be a tick after the time its
         * effect carries. Each accepted command or token causes one change, in order, so taking the earliest
         * unlinked one pairs them; a change with no cause of its own still finds none.
         */
        private Optional<Segment.Entry> security(String kind, Predicate<Segment.Entry> fits) {
            for (Segment.Entry s : logs.entries(Part.SecurityLog)) {
                if (s.kind().equals(kind) && !used.contains(s.seq()) && fits.test(s)) {
                    used.add(s.seq());
                    return Optional.of(s);
                }
            }
            return Optional.empty();
        }

        /** The signed command an accepted SecurityLog command entry names, if it is one and of {@code kind}. */
        private static Optional<SecurityLogEntry.Command> accepted(Segment.Entry s, CommandKind kind) {
            return SecurityLogEntry.Command.parse(s.value()).filter(c -> c.accepted() && c.command().equals(kind.name()));
        }

        private static Optional<SecurityLogEntry.TopUp> acceptedTopUp(Segment.Entry s) {
            return SecurityLogEntry.TopUp.parse(s.value()).filter(SecurityLogEntry.TopUp::accepted);
        }

        /**
         * A value a signed command set: the meter's accepted command in the SecurityLog, and the central
         * system's issue of it with a payload that {@code same} says is this value.
         */
        private String signedCommand(CommandKind kind, Segment.Entry e, Predicate<String> same, List<String> because) {
            Optional<Segment.Entry> accepted = security(SecurityLogEntry.COMMAND, s -> accepted(s, kind)
                    .map(c -> commandIssued.get(c.sequence()))
                    .map(c -> c.kind() == kind && same.test(c.payload())).orElse(false));
            if (accepted.isEmpty()) {
                accepted = security(SecurityLogEntry.COMMAND, s -> accepted(s, kind).isPresent());
            }
            if (accepted.isEmpty()) {
                return "no accepted signed " + kind + " in the SecurityLog";
            }
            because.add("security-log #" + accepted.get().seq() + " at " + ForensicTime.show(accepted.get().time()) + ": "
                    + accepted.get().value());
            long sequence = accepted(accepted.get(), kind).orElseThrow().sequence();
            MeterAccount.CommandIssued issued = commandIssued.get(sequence);
            if (issued == null || issued.kind() != kind) {
                return "the central system never issued " + kind + " #" + sequence;
            }
            because.add("central issued " + kind + " #" + sequence + " at " + ForensicTime.show(issued.issuedAt()));
            return same.test(issued.payload()) ? null : "the value differs from the payload of the signed " + kind + " #" + sequence;
        }

        private void tariffs() {
            for (Segment.Entry e : logs.entries(Part.Tariffs)) {
                List<String> because = new ArrayList<>();
                String problem;
                try {
                    Tariff stored = Tariff.decode(e.value());
                    problem = signedCommand(CommandKind.SET_TARIFF, e, p -> sameTariff(stored, p), because);
                } catch (IllegalArgumentException bad) {
                    problem = "not a tariff: " + bad.getMessage();
                }
                add(e, Part.Tariffs, "tariff", e.key() + " = " + MeterState.hours(e.value()), because, problem);
            }
        }

        private static boolean sameTariff(Tariff stored, String payload) {
            try {
                return stored.equals(Tariff.decode(payload));
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        private void credit() {
            long credit = 0;
            boolean prepaid = false;
            for (Segment.Entry e : logs.entries(Part.CreditStore)) {
                List<String> because = new ArrayList<>();
                if (e.key().equals(CreditBalance.PREPAID)) {
                    String problem = signedCommand(CommandKind.SET_PAYMENT_MODE, e, e.value()::equals, because);
                    add(e, Part.CreditStore, "prepaid", "prepaid = " + e.value(), because, problem);
                    prepaid = Boolean.parseBoolean(e.value());
                } else if (e.key().equals(CreditBalance.CREDIT)) {
                    long after;
                    try {
                        after = Long.parseLong(e.value());
                    } catch (NumberFormatException bad) {
                        add(e, Part.CreditStore, "credit", "credit = " + e.value(), List.of(), "not an amount");
                        continue;
                    }
                    long delta = after - credit;
                    credit = after;
                    if (delta == 0) {
                        continue;
                    }
                    String what = (delta > 0 ? "credit +" : "credit ") + MeterState.cents(delta) + " -> " + MeterState.cents(after);
                    String problem = delta > 0 ? topUp(e, delta, because) : debit(e, -delta, prepaid, because);
                    add(e, Part.CreditStore, "credit", what, because, problem);
                }
            }
        }

        private String topUp(Segment.Entry e, long milliCents, List<String> because) {
            Optional<Segment.Entry> accepted = security(SecurityLogEntry.TOP_UP, s -> acceptedTopUp(s)
                    .map(t -> t.amountCents() * 1000 == milliCents).orElse(false));
            if (accepted.isEmpty()) {
                return "no accepted top-up token of " + MeterState.cents(milliCents) + " in the SecurityLog";
            }
            long tokenId = acceptedTopUp(accepted.get()).orElseThrow().tokenId();
            because.add("security-log #" + accepted.get().seq() + " at " + ForensicTime.show(accepted.get().time()) + ": "
                    + accepted.get().value());
            MeterAccount.TopUpTokenIssued issued = tokens.get(tokenId);
            if (issued == null || issued.amountCents() * 1000 != milliCents) {
                return "the central system never issued top-up token #" + tokenId + " of " + MeterState.cents(milliCents);
            }
            because.add("central issued top-up token #" + tokenId + " of " + issued.amountCents() + " cents at "
                    + ForensicTime.show(issued.issuedAt()));
            return null;
        }

        /** A debit is stamped with the end of the interval it pays for (CreditBalance). */
        private String debit(Segment.Entry e, long milliCents, boolean prepaid, List<String> because) {
            if (!prepaid) {
                return "a debit while the CreditStore says the meter is not in prepaid mode";
            }
            Segment.Entry reading = readingsByEnd.get(e.time());
            MeterAccount.ReadingReceived central = billed.get(e.time());
            if (reading == null && central == null) {
                return "no reading ends at " + ForensicTime.show(e.time()) + ", on the meter or at the central system";
            }
            if (reading != null) {
                because.add("metrology-log #" + reading.seq() + ": reading " + reading.value());
            }
            if (central != null && central.costMilliCents() == milliCents) {
                because.add("central billed the same interval " + MeterState.cents(central.costMilliCents()) + " (frame #"
                        + central.frame() + ")");
                return null;
            }
            Optional<MetrologyLogEntry.Reading> r = reading == null ? Optional.empty() : MetrologyLogEntry.Reading.parse(reading.value());
            if (r.isPresent()) {
                long start = r.get().intervalStart();
                long wh = r.get().importWh();
                // the tariff in force then; at a change, the reading may have been priced under either
                List<Segment.Entry> tariffs = logs.entries(Part.Tariffs).stream().filter(t -> t.time() <= e.time()).toList();
                for (int i = tariffs.size() - 1; i >= Math.max(0, tariffs.size() - 2); i--) {
                    Segment.Entry t = tariffs.get(i);
                    try {
                        if (Tariff.decode(t.value()).cost(start, wh) == milliCents) {
                            because.add("costs " + MeterState.cents(milliCents) + " under tariffs #" + t.seq());
                            return null;
                        }
                    } catch (IllegalArgumentException bad) {
                        // not a tariff: reported with the tariff changes
                    }
                }
            }
            return "the debit of " + MeterState.cents(milliCents) + " is not the cost of that reading"
                    + (central == null ? "" : " (the central system billed " + MeterState.cents(central.costMilliCents()) + ")");
        }

        private void offSwitch() {
            Segment.Entry zeroTrigger = null;
            Segment.Entry creditRestored = null;
            Segment.Entry localConfirmation = null;
            Segment.Entry armed = null;
            for (Segment.Entry e : logs.entries(Part.OffSwitchLog)) {
                switch (e.kind()) {
                    case OffSwitchLogEntry.ZERO_CREDIT_TRIGGER -> zeroTrigger = e;
                    case OffSwitchLogEntry.CREDIT_RESTORED -> creditRestored = e;
                    case OffSwitchLogEntry.LOCAL_CONFIRMATION -> localConfirmation = e;
                    case OffSwitchLogEntry.REMOTE_COMMAND -> acceptedSwitch(e).ifPresent(c -> remoteCommand(e, c));
                    case OffSwitchLogEntry.ARMED, OffSwitchLogEntry.ACTUATION -> {
                        Optional<Switched> m = Switched.parse(e.value());
                        if (m.isEmpty()) {
                            add(e, Part.OffSwitchLog, "switch", e.value(), List.of(), "not a switch state OffSwitchSecurity writes");
                            continue;
                        }
                        Supply state = m.get().supply();
                        String why = m.get().why();
                        List<String> because = new ArrayList<>();
                        String problem;
                        Optional<Long> byRemote = m.get().remoteCommand();
                        if (byRemote.isPresent()) {
                            problem = byRemote(new SwitchCommand(state != Supply.OFF, byRemote.get()), because);
                        } else if (state == Supply.OFF && why.equals(Switched.WHY_ZERO_CREDIT)) {
                            problem = zeroCredit(e, zeroTrigger, because);
                        } else if (state == Supply.ARMED && why.equals(Switched.WHY_CREDIT_RESTORED)) {
                            problem = creditRestored(e, creditRestored, because);
                        } else if (state == Supply.ON && why.equals(Switched.WHY_CONFIRMED)) {
                            problem = localConfirmation == null || armed == null || localConfirmation.seq() < armed.seq()
                                    ? "no arming and local confirmation on the Display before it (P12)" : null;
                            if (problem == null) {
                                because.add("off-switch-log #" + armed.seq() + ": " + armed.value());
                                because.add("off-switch-log #" + localConfirmation.seq() + ": local-confirmation " + localConfirmation.value());
                            }
                        } else {
                            problem = "no known cause: " + why;
                        }
                        add(e, Part.OffSwitchLog, "switch", e.kind() + " " + state + " (" + why + ")", because, problem);
                        if (e.kind().equals(OffSwitchLogEntry.ARMED)) {
                            armed = e;
                        } else {
                            zeroTrigger = null;
                            creditRestored = null;
                            localConfirmation = null;
                            armed = null;
                        }
                    }
                    default -> { }
                }
            }
        }

        /** The switch command an OffSwitchLog remote-command entry accepted, if it accepted one. */
        private static Optional<SwitchCommand> acceptedSwitch(Segment.Entry e) {
            return RemoteCommand.parse(e.value()).filter(RemoteCommand::accepted).flatMap(RemoteCommand::switchCommand);
        }

        /** An accepted remote switch command: the central system issued it, for an operator request the gateway let through. */
        private void remoteCommand(Segment.Entry e, SwitchCommand command) {
            long sequence = command.sequence();
            boolean on = command.on();
            remote.put(sequence, e);
            List<String> because = new ArrayList<>();
            String problem = null;
            MeterAccount.SwitchCommandIssued issued = switchIssued.get(sequence);
            if (issued == null || issued.on() != on) {
                problem = "the central system never issued " + command.text();
            } else {
                because.add("central issued " + command.text() + " at " + ForensicTime.show(issued.issuedAt())
                        + (issued.requestId() == null ? "" : " for operator request " + issued.requestId()));
                if (issued.requestId() != null) {
                    Optional<OperatorTrail.Request> request = gateway.request(issued.requestId());
                    if (request.isEmpty()) {
                        problem = "operator request " + issued.requestId() + " is not in the gateway's journal";
                    } else {
                        because.add("gateway: " + request.get().describe());
                        if (request.get().scheduled() == null) {
                            problem = "the gateway never let operator request " + issued.requestId() + " through";
                        }
                    }
                }
                MeterAccount.SwitchAcknowledged ack = switchAcks.get(sequence);
                if (ack != null) {
                    because.add("the meter's report reached the central system: " + ack.text());
                }
            }
            Finding f = new Finding(e.time(), ForensicTime.show(e.time()), Segment.journalName(Part.OffSwitchLog), e.seq(), "switch command",
                    command.text() + " accepted", problem == null ? Verdict.EXPLAINED : Verdict.UNEXPLAINED,
                    problem == null ? List.copyOf(because) : concat(because, problem));
            findings.add(f);
            remoteFindings.put(sequence, f);
        }

        private String byRemote(SwitchCommand command, List<String> because) {
            long sequence = command.sequence();
            Segment.Entry accepted = remote.get(sequence);
            if (accepted == null || !acceptedSwitch(accepted).map(command::equals).orElse(false)) {
                return "no accepted " + command.text() + " in the OffSwitchLog before it";
            }
            because.add("off-switch-log #" + accepted.seq() + ": " + accepted.value());
            Finding f = remoteFindings.get(sequence);
            because.addAll(f.because());
            return f.verdict() == Verdict.EXPLAINED ? null : "its command is unexplained";
        }

        private String zeroCredit(Segment.Entry e, Segment.Entry trigger, List<String> because) {
            if (trigger == null) {
                return "no zero-credit trigger in the OffSwitchLog before it";
            }
            because.add("off-switch-log #" + trigger.seq() + ": zero-credit-trigger " + trigger.value());
            // entries share a time stamp (a top-up in the same interval), so the CreditStore is replayed in
            // sequence order: the trigger follows a write that left prepaid credit at or below zero
            Segment.Entry empty = creditWhere(trigger.time(), (credit, prepaid) -> prepaid && credit <= 0);
            if (empty == null) {
                return "the CreditStore never shows prepaid credit at or below zero before it";
            }
            because.add("credit-store #" + empty.seq() + " at " + ForensicTime.show(empty.time()) + ": " + empty.key() + " = "
                    + empty.value() + ", leaving prepaid credit at or below zero");
            return null;
        }

        private String creditRestored(Segment.Entry e, Segment.Entry restored, List<String> because) {
            if (restored == null) {
                return "no credit-restored entry in the OffSwitchLog before it";
            }
            because.add("off-switch-log #" + restored.seq() + ": credit-restored " + restored.value());
            Segment.Entry refilled = creditWhere(restored.time(), (credit, prepaid) -> !prepaid || credit > 0);
            if (refilled == null) {
                return "the CreditStore never shows credit above zero (or prepaid mode ended) before it";
            }
            because.add("credit-store #" + refilled.seq() + " at " + ForensicTime.show(refilled.time()) + ": " + refilled.key()
                    + " = " + refilled.value());
            return null;
        }

        /** The latest CreditStore entry at or before {@code time} after which credit and prepaid mode satisfy {@code test}. */
        private Segment.Entry creditWhere(long time, java.util.function.BiPredicate<Long, Boolean> test) {
            long credit = 0;
            boolean prepaid = false;
            Segment.Entry found = null;
            for (Segment.Entry c : logs.entries(Part.CreditStore)) {
                if (c.time() > time) {
                    break;
                }
                try {
                    if (c.key().equals(CreditBalance.CREDIT)) {
                        credit = Long.parseLong(c.value());
                    } else if (c.key().equals(CreditBalance.PREPAID)) {
                        prepaid = Boolean.parseBoolean(c.value());
                    } else {
                        continue;
                    }
                } catch (NumberFormatException bad) {
                    continue; // reported with the credit changes
                }
                if (test.test(credit, prepaid)) {
                    found = c;
                }
            }
            return found;
        }

        private void leftoverSecurity() {
            for (Segment.Entry s : logs.entries(Part.SecurityLog)) {
                if (used.contains(s.seq())) {
                    continue;
                }
                Optional<SecurityLogEntry.Command> command = s.kind().equals(SecurityLogEntry.COMMAND)
                        ? SecurityLogEntry.Command.parse(s.value()).filter(SecurityLogEntry.Command::accepted) : Optional.empty();
                Optional<SecurityLogEntry.TopUp> topUp = s.kind().equals(SecurityLogEntry.TOP_UP) ? acceptedTopUp(s) : Optional.empty();
                if (command.isPresent()) {
                    long sequence = command.get().sequence();
                    MeterAccount.CommandIssued issued = commandIssued.get(sequence);
                    boolean ok = issued != null && issued.kind().name().equals(command.get().command());
                    add(s, Part.SecurityLog, "command", s.value(), ok ? List.of("central issued " + issued.kind() + " #" + sequence
                            + " at " + ForensicTime.show(issued.issuedAt()) + " payload=" + issued.payload()) : List.of(),
                            ok ? null : "the central system never issued " + command.get().command() + " #" + sequence);
                } else if (topUp.isPresent()) {
                    add(s, Part.SecurityLog, "credit", s.value(), List.of(), "an accepted top-up that never reached the CreditStore");
                }
            }
        }

        private void trail() {
            trail.addAll(ExplanationTrail.of(logs, gateway, alerts, switchIssued.values(), remote.keySet()));
        }

        private static List<String> concat(List<String> list, String last) {
            List<String> all = new ArrayList<>(list);
            all.add(last);
            return List.copyOf(all);
        }
    }
}
