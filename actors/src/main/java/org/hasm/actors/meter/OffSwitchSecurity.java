package org.hasm.actors.meter;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.crypto.CommandVerdict;
import org.hasm.actors.crypto.CommandVerifier;
import org.hasm.actors.crypto.FrameKind;
import org.hasm.actors.crypto.GcmFrameSealer;
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
import org.hasm.persistence.SegmentMessages.NotStored;
import org.hasm.persistence.SegmentMessages.Persisted;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * The off-switch security module on its own processor P2: the only part that drives the OffSwitch
 * (P2). It verifies remote switch commands with the meter's off-switch public key (P15), turns a
 * remote switch-on into ARMED until the consumer confirms on the Display (P12), switches off at zero
 * credit on CreditBalance's request (P3), and logs every command, trigger and actuation in the
 * OffSwitchLog before it takes effect (P11). Every remote command, accepted or not, is answered with
 * a sealed report to the central system.
 */
public final class OffSwitchSecurity {
    /** Commands older than this (by the meter's clock) are refused as stale. */
    static final long MAX_COMMAND_AGE_S = 24 * 3600;

    /** Why the supply is off: a zero-credit disconnection may be undone locally after a top-up, a remote one not. */
    enum OffCause { NONE, ZERO_CREDIT, REMOTE }

    private final WriteAhead log;
    private final Channel<PolicyMessage> offSwitch;
    private final Channel<PolicyMessage> display;
    private final Channel<PolicyMessage> communications;
    private final CommandVerifier verifier;
    private final GcmFrameSealer reports;
    private final String meterId;
    private final SigningKeys logKey;
    private Supply supply = Supply.ON;
    private OffCause cause = OffCause.NONE;
    private long now;

    private OffSwitchSecurity(Wiring wiring, OffSwitchSecurityKeys keys, MeterConfig config) {
        this.communications = wiring.to(Part.Communications);
        this.log = new WriteAhead(wiring, Part.OffSwitchLog, config, this::anchor)
                .foldingRefusals(config, detail -> report("refusals-folded " + detail));
        this.offSwitch = wiring.to(Part.OffSwitch);
        this.display = wiring.to(Part.Display);
        this.meterId = keys.offSwitchKey().meterId();
        this.logKey = keys.logKey();
        this.verifier = CommandVerifier.forSwitchCommands(keys.offSwitchKey(), keys.lastAcceptedSequence());
        this.reports = keys.reportSealer();
    }

    public static Behavior<PolicyMessage> create(OffSwitchSecurityKeys keys, MeterConfig config, long installedAt) {
        return Wiring.await(w -> {
            OffSwitchSecurity o = new OffSwitchSecurity(w, keys, config);
            o.now = installedAt;
            return o.running();
        });
    }

    private Behavior<PolicyMessage> running() {
        return Behaviors.receive(PolicyMessage.class)
                .onMessage(Tick.class, t -> {
                    now = t.now();
                    log.tick(now);
                    return Behaviors.same();
                })
                .onMessage(ZeroCredit.class, z -> {
                    log.append(now, "zero-credit-trigger", "supply=" + supply, () -> {
                        if (supply != Supply.OFF) {
                            actuate(false, "zero credit");
                        }
                        cause = OffCause.ZERO_CREDIT;
                    });
                    return Behaviors.same();
                })
                .onMessage(CreditRestored.class, c -> {
                    log.append(now, "credit-restored", "supply=" + supply + " cause=" + cause, () -> {
                        if (supply == Supply.OFF && cause == OffCause.ZERO_CREDIT) {
                            arm();
                        }
                    });
                    return Behaviors.same();
                })
                .onMessage(LocalConfirmation.class, c -> {
                    log.append(now, "local-confirmation", "supply=" + supply, () -> {
                        if (supply == Supply.ARMED) {
                            actuate(true, "confirmed on the Display");
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
        String entry = what + " " + verdict + " lastSequence=" + verifier.lastAcceptedSequence();
        if (!accepted) {
            // Refusals are folded beyond the budget; the central system hears of each logged one and of each summary.
            log.refused(now, "DC", "remote-command", entry, () -> report(what + " " + verdict + " supply=" + supply));
            return;
        }
        log.append(now, "remote-command", entry, () -> {
            if (accepted && decoded.get().kind() == CommandKind.SWITCH_OFF) {
                cause = OffCause.REMOTE;
                if (supply != Supply.OFF) {
                    actuate(false, "remote command #" + decoded.get().sequence());
                }
            } else if (accepted && decoded.get().kind() == CommandKind.SWITCH_ON && supply == Supply.OFF) {
                arm();
            }
            report(what + " " + verdict + " supply=" + supply);
        });
    }

    /** A switch-on waits for the consumer (P12): the breaker stays open until the Display button is pressed. */
    private void arm() {
        supply = Supply.ARMED;
        display.send(new SwitchStatus(supply));
    }

    private void actuate(boolean closed, String why) {
        Supply target = closed ? Supply.ON : Supply.OFF;
        log.append(now, "actuation", target + " (" + why + ")", () -> {
            supply = target;
            if (closed) {
                cause = OffCause.NONE;
            }
            offSwitch.send(new Actuate(closed));
            display.send(new SwitchStatus(supply));
        });
    }

    /** The OffSwitchLog's chain head, signed with this module's own log key, in an authenticated report. */
    private void anchor(MeterSignals.LogAnchorRequest a) {
        SignedLogAnchor signed = a.signedBy(logKey, meterId);
        communications.send(new SwitchReport(reports.seal(FrameKind.LOG_ANCHOR, signed.encode())));
    }

    private void report(String text) {
        communications.send(new SwitchReport(reports.seal(FrameKind.COMMAND_RESULT, text.getBytes(StandardCharsets.UTF_8))));
    }
}
