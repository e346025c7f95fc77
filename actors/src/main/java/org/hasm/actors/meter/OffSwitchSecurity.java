package org.hasm.actors.meter;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.crypto.CommandVerdict;
import org.hasm.actors.crypto.CommandVerifier;
import org.hasm.actors.crypto.FrameKind;
import org.hasm.actors.crypto.SystemTitle;
import org.hasm.actors.crypto.SignedCommand;
import org.hasm.actors.crypto.SignedLogAnchor;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.meter.MeterSignals.Actuate;
import org.hasm.actors.meter.MeterSignals.CreditRestored;
import org.hasm.actors.meter.MeterSignals.LocalConfirmation;
import org.hasm.actors.meter.MeterSignals.SwitchCommandFrame;
import org.hasm.actors.meter.MeterSignals.SwitchReport;
import org.hasm.actors.meter.MeterSignals.SwitchStatus;
import org.hasm.actors.meter.MeterSignals.Tick;
import org.hasm.actors.meter.MeterSignals.ZeroCredit;
import org.hasm.actors.meter.OffSwitchLogEntry.CommandResult;
import org.hasm.actors.meter.OffSwitchLogEntry.OffCause;
import org.hasm.actors.meter.OffSwitchLogEntry.RemoteCommand;
import org.hasm.actors.meter.OffSwitchLogEntry.ReportCountersReserved;
import org.hasm.actors.meter.OffSwitchLogEntry.StateChange;
import org.hasm.actors.meter.OffSwitchLogEntry.SwitchState;
import org.hasm.actors.meter.OffSwitchLogEntry.Switched;
import org.hasm.actors.meter.OffSwitchLogEntry.ZeroCreditTrigger;
import org.hasm.persistence.SegmentMessages.NotStored;
import org.hasm.persistence.SegmentMessages.Persisted;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * The off-switch security module on its own processor P2: the only part that drives the OffSwitch
 * (P2). It verifies remote switch commands with the meter's off-switch public key (P15), turns a
 * remote switch-on into ARMED until the consumer confirms on the Display (P12), switches off at zero
 * credit on CreditBalance's request (P3), and logs every command, trigger and actuation in the
 * OffSwitchLog before it takes effect (P11). Every remote command, accepted or not, is answered with
 * a sealed report to the central system. Every entry it keeps is anchored at once; single refused attempts,
 * the summaries of folded ones and its report counters' reservations wait for the periodic anchor.
 */
public final class OffSwitchSecurity {
    static final Needs NEEDS = Needs.of(Part.OffSwitchSecurity)
            .sends(Part.OffSwitch, MessageType.Actuate)
            .sends(Part.OffSwitchLog, MessageType.AppendEntry, MessageType.ReadSegment)
            .answeredBy(Part.OffSwitchLog, MessageType.Persisted, MessageType.SegmentContents)
            .sends(Part.Display, MessageType.SwitchStatus)
            .sends(Part.Communications, MessageType.SwitchReport);

    /** Commands older than this (by the meter's clock) are refused as stale. */
    static final long MAX_COMMAND_AGE_S = 24 * 3600;

    private final WriteAhead log;
    private final Channel<PolicyMessage> offSwitch;
    private final Channel<PolicyMessage> display;
    private final Channel<PolicyMessage> communications;
    private final CommandVerifier verifier;
    private final ReservedCounterSealer reports;
    private final String meterId;
    private final SigningKeys logKey;
    private Supply supply = Supply.ON;
    private OffCause cause = OffCause.NONE;
    private long now;

    /**
     * @param stored the OffSwitchLog's values when the module started: the switch state and the command
     *               sequence last written with an entry, and the report counters reserved
     */
    private OffSwitchSecurity(Wiring wiring, OffSwitchSecurityKeys keys, MeterConfig config, Map<String, String> stored) {
        this.communications = wiring.to(Part.Communications);
        this.log = new WriteAhead(wiring, Part.OffSwitchLog, config, this::anchor)
                .foldingRefusals(config, summary -> report(summary.report()));
        this.offSwitch = wiring.to(Part.OffSwitch);
        this.display = wiring.to(Part.Display);
        this.meterId = keys.offSwitchKey().meterId();
        this.logKey = keys.logKey();
        SwitchState state = SwitchState.ofValue(stored.get(OffSwitchLogEntry.SWITCH_STATE));
        this.supply = state.supply();
        this.cause = state.cause();
        this.verifier = CommandVerifier.forSwitchCommands(keys.offSwitchKey(), Math.max(keys.lastAcceptedSequence(), state.sequence()));
        this.reports = new ReservedCounterSealer(keys.reportKey(), SystemTitle.ofMeter(meterId),
                Math.max(keys.lastReportCounter(), ReportCountersReserved.ofValue(stored.get(OffSwitchLogEntry.REPORT_COUNTER_RESERVED))),
                (upTo, then) -> log.appendState(now, new ReportCountersReserved(upTo),
                        OffSwitchLogEntry.REPORT_COUNTER_RESERVED, then));
    }

    public static Behavior<PolicyMessage> create(OffSwitchSecurityKeys keys, MeterConfig config, long installedAt) {
        return Wiring.await(w -> SegmentRecovery.readThen(w.to(Part.OffSwitchLog), Part.OffSwitchLog, contents -> {
            OffSwitchSecurity o = new OffSwitchSecurity(w, keys, config, contents.values());
            o.now = installedAt;
            if (contents.values().containsKey(OffSwitchLogEntry.SWITCH_STATE)) {
                o.restoreBreaker();
            }
            return o.running();
        }));
    }

    /**
     * Logs {@code what} with the state it leads to, then applies that state and runs {@code then}: the state
     * is durable, and read back after a restart, before any part acts on it.
     */
    private void change(LogEntry what, Supply nextSupply, OffCause nextCause, Runnable then) {
        SwitchState next = new SwitchState(nextSupply, nextCause, verifier.lastAcceptedSequence());
        log.appendCriticalState(now, new StateChange(what, next), OffSwitchLogEntry.SWITCH_STATE, () -> {
            supply = next.supply();
            cause = next.cause();
            then.run();
        });
    }

    /** After a restart: the breaker and the Display show the state the log says it was put in. */
    private void restoreBreaker() {
        offSwitch.send(new Actuate(supply == Supply.ON));
        display.send(new SwitchStatus(supply));
    }

    private Behavior<PolicyMessage> running() {
        return Behaviors.receive(PolicyMessage.class)
                .onMessage(Tick.class, t -> {
                    now = t.now();
                    log.tick(t);
                    return Behaviors.same();
                })
                .onMessage(ZeroCredit.class, z -> {
                    log.appendCritical(now, new ZeroCreditTrigger(supply), () -> {
                        if (supply != Supply.OFF) {
                            actuate(false, Switched.WHY_ZERO_CREDIT, OffCause.ZERO_CREDIT);
                        } // already off: by a remote command it stays a remote disconnection
                    });
                    return Behaviors.same();
                })
                .onMessage(CreditRestored.class, c -> {
                    log.appendCritical(now, new OffSwitchLogEntry.CreditRestored(supply, cause), () -> {
                        if (supply == Supply.OFF && cause == OffCause.ZERO_CREDIT) {
                            arm(Switched.WHY_CREDIT_RESTORED);
                        }
                    });
                    return Behaviors.same();
                })
                .onMessage(LocalConfirmation.class, c -> {
                    log.appendCritical(now, new OffSwitchLogEntry.LocalConfirmation(supply), () -> {
                        if (supply == Supply.ARMED) {
                            actuate(true, Switched.WHY_CONFIRMED, OffCause.NONE);
                        }
                    });
                    return Behaviors.same();
                })
                .onMessage(SwitchCommandFrame.class, f -> {
                    remoteCommand(f.bytes());
                    return Behaviors.same();
                })
                .onMessage(Persisted.class, p -> {
                    log.confirmed(p, now);
                    return Behaviors.same();
                })
                .onMessage(NotStored.class, n -> {
                    log.notStored(n);
                    return Behaviors.same();
                })
                .build();
    }

    private void remoteCommand(byte[] frame) {
        Optional<SignedCommand> decoded = SignedCommand.decode(frame);
        String verdict;
        if (decoded.isEmpty()) {
            verdict = "MALFORMED";
        } else if (now / 1000 - decoded.get().issuedAtEpochSeconds() > MAX_COMMAND_AGE_S) {
            verdict = "STALE";
        } else {
            verdict = verifier.verify(decoded.get()).name();
        }
        String what = decoded.map(c -> c.kind() + " #" + c.sequence()).orElse(frame.length + " bytes");
        boolean accepted = CommandVerdict.ACCEPTED.name().equals(verdict);
        RemoteCommand entry = new RemoteCommand(what, verdict, verifier.lastAcceptedSequence());
        if (!accepted) {
            // Refusals are folded beyond the budget; the central system hears of each logged one and of each summary.
            log.refused(now, "DC", entry, () -> report(new CommandResult(what, verdict, supply).text()));
            return;
        }
        SignedCommand command = decoded.get();
        // Switched off remotely while already off for lack of credit: a top-up no longer reconnects.
        OffCause causeAfter = command.kind() == CommandKind.SWITCH_OFF && supply == Supply.OFF ? OffCause.REMOTE : cause;
        change(entry, supply, causeAfter, () -> {
            if (command.kind() == CommandKind.SWITCH_OFF) {
                if (supply != Supply.OFF) {
                    actuate(false, Switched.byRemoteCommand(command.sequence()), OffCause.REMOTE);
                }
            } else if (command.kind() == CommandKind.SWITCH_ON && supply == Supply.OFF) {
                arm(Switched.byRemoteCommand(command.sequence()));
            }
            report(new CommandResult(what, verdict, supply).text());
        });
    }

    /** A switch-on waits for the consumer (P12): the breaker stays open until the Display button is pressed. */
    private void arm(String why) {
        change(new Switched(Supply.ARMED, why), Supply.ARMED, cause, () -> display.send(new SwitchStatus(supply)));
    }

    private void actuate(boolean closed, String why, OffCause nextCause) {
        Supply target = closed ? Supply.ON : Supply.OFF;
        change(new Switched(target, why), target, nextCause, () -> {
            offSwitch.send(new Actuate(closed));
            display.send(new SwitchStatus(supply));
        });
    }

    /** The OffSwitchLog's chain head, signed with this module's own log key, in an authenticated report. */
    private void anchor(MeterSignals.LogAnchorRequest a) {
        SignedLogAnchor signed = a.signedBy(logKey, meterId);
        reports.seal(FrameKind.LOG_ANCHOR, signed.encode(), frame -> communications.send(new SwitchReport(frame)));
    }

    private void report(String text) {
        reports.seal(FrameKind.COMMAND_RESULT, text.getBytes(StandardCharsets.UTF_8),
                frame -> communications.send(new SwitchReport(frame)));
    }
}
