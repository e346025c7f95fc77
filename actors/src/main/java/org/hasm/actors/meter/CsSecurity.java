package org.hasm.actors.meter;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.crypto.CommandVerdict;
import org.hasm.actors.crypto.CommandVerifier;
import org.hasm.actors.crypto.CredentialVerdict;
import org.hasm.actors.crypto.FrameKind;
import org.hasm.actors.crypto.GcmFrameOpener;
import org.hasm.actors.crypto.Opened;
import org.hasm.actors.crypto.SignedCommand;
import org.hasm.actors.crypto.SignedLogAnchor;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.meter.MeterSignals.LogAnchorRequest;
import org.hasm.actors.crypto.SystemTitle;
import org.hasm.actors.crypto.TechnicianCredential;
import org.hasm.actors.crypto.TechnicianCredentialVerifier;
import org.hasm.actors.crypto.TokenIdWindow;
import org.hasm.actors.crypto.TopUpToken;
import org.hasm.actors.crypto.TopUpTokenAcceptor;
import org.hasm.actors.crypto.TopUpVerdict;
import org.hasm.actors.meter.MeterSignals.ApplianceCommand;
import org.hasm.actors.meter.MeterSignals.ApplianceRejected;
import org.hasm.actors.meter.MeterSignals.ApplianceSwitch;
import org.hasm.actors.meter.MeterSignals.ClockSync;
import org.hasm.actors.meter.MeterSignals.ConsumptionFeedback;
import org.hasm.actors.meter.MeterSignals.CreditFeedback;
import org.hasm.actors.meter.MeterSignals.FrameFromCentralSystem;
import org.hasm.actors.meter.MeterSignals.FrameToCentralSystem;
import org.hasm.actors.meter.MeterSignals.GasReading;
import org.hasm.actors.meter.MeterSignals.GenerationReading;
import org.hasm.actors.meter.MeterSignals.PolicyViolationReport;
import org.hasm.actors.meter.MeterSignals.PrepaidModeChange;
import org.hasm.actors.meter.MeterSignals.ReadingReport;
import org.hasm.actors.meter.MeterSignals.ReadingsAcknowledged;
import org.hasm.actors.meter.MeterSignals.TariffFeedback;
import org.hasm.actors.meter.MeterSignals.TariffUpdate;
import org.hasm.actors.meter.MeterSignals.TechnicianRequest;
import org.hasm.actors.meter.MeterSignals.TechnicianResponse;
import org.hasm.actors.meter.MeterSignals.Tick;
import org.hasm.actors.meter.MeterSignals.TopUp;
import org.hasm.actors.meter.MeterSignals.TopUpTokenFrame;
import org.hasm.persistence.SegmentMessages.NotStored;
import org.hasm.persistence.SegmentMessages.Persisted;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * The CS security module: end-to-end protection between meter and central system (AES-GCM frames
 * with strictly increasing invocation counters, DLMS/COSEM suite 1 style), verification of the central
 * system's signed commands, top-up tokens (IEC 62055-41 STS style) and technician credentials. Every
 * command it receives is written to the SecurityLog, valid or not, before it takes effect (P11); the
 * kernel's reports of dropped messages are logged there too. The entry of an accepted command, top-up,
 * appliance switch or technician access is anchored at once; refused attempts wait for the periodic anchor.
 */
public final class CsSecurity {
    static final Needs NEEDS = Needs.of(Part.CsSecurity)
            .sends(Part.Communications, MessageType.CsFrame, MessageType.TechnicianResponse, MessageType.ConsumptionFeedback,
                    MessageType.TariffFeedback, MessageType.CreditFeedback, MessageType.ApplianceSwitch)
            .sends(Part.CreditBalance, MessageType.PrepaidModeChange, MessageType.TopUp)
            .sends(Part.Computations, MessageType.TariffUpdate, MessageType.ApplianceCommand, MessageType.ReadingsAcknowledged)
            .sends(Part.Clock, MessageType.ClockSync)
            .sends(Part.SecurityLog, MessageType.AppendEntry).answeredBy(Part.SecurityLog, MessageType.Persisted)
            .sends(Part.OperationalParameters, MessageType.StoreParameters, MessageType.ReadSegment)
            .answeredBy(Part.OperationalParameters, MessageType.Persisted, MessageType.SegmentContents);

    static final int TOKEN_WINDOW = 64;
    /** What CsSecurity keeps in OperationalParameters, and reads back when it starts. */
    static final String OUT_COUNTER_RESERVED = "cs-out-counter-reserved";
    static final String IN_COUNTER = "cs-in-counter";
    static final String COMMAND_SEQUENCE = "cs-command-sequence";
    static final String TOKEN_IDS = "cs-token-ids";

    private final MeterConfig config;
    private final WriteAhead securityLog;
    private final WriteAhead parameters;
    private final Channel<PolicyMessage> communications;
    private final Channel<PolicyMessage> creditBalance;
    private final Channel<PolicyMessage> computations;
    private final Channel<PolicyMessage> clock;
    private final GcmFrameOpener opener;
    private final ReservedCounterSealer sealer;
    private final CommandVerifier commands;
    private final TopUpTokenAcceptor topUps;
    private final TechnicianCredentialVerifier technicians;
    private final String meterId;
    private final SigningKeys logKey;
    private long now;

    /**
     * @param stored what OperationalParameters held when the module started: the anti-replay state (frame
     *               counter, command sequence, used top-up tokens) and the outgoing counters reserved, so a
     *               restart neither accepts an old frame, command or token again nor reuses an IV
     */
    private CsSecurity(Wiring wiring, CsSecurityKeys keys, MeterConfig config, Map<String, String> stored) {
        this.config = config;
        this.securityLog = new WriteAhead(wiring, Part.SecurityLog, config, this::anchor).foldingRefusals(config, summary -> { });
        this.parameters = new WriteAhead(wiring, Part.OperationalParameters, config, this::anchor);
        this.meterId = keys.meterId();
        this.logKey = keys.logKey();
        this.communications = wiring.to(Part.Communications);
        this.creditBalance = wiring.to(Part.CreditBalance);
        this.computations = wiring.to(Part.Computations);
        this.clock = wiring.to(Part.Clock);
        this.opener = new GcmFrameOpener(keys.channelKey(), SystemTitle.ofCentralSystem(keys.centralSystemId()),
                number(stored, IN_COUNTER));
        this.sealer = new ReservedCounterSealer(keys.channelKey(), SystemTitle.ofMeter(keys.meterId()),
                number(stored, OUT_COUNTER_RESERVED),
                (upTo, then) -> parameters.store(now, OUT_COUNTER_RESERVED, Long.toString(upTo), then));
        this.commands = CommandVerifier.forCentralSystemCommands(keys.meterId(), keys.commandKey(), number(stored, COMMAND_SEQUENCE));
        String tokens = stored.get(TOKEN_IDS);
        this.topUps = new TopUpTokenAcceptor(keys.meterId(), keys.topUpKey(),
                tokens == null ? TokenIdWindow.empty(TOKEN_WINDOW) : TokenIdWindow.restore(TokenIdWindow.State.decode(tokens)));
        this.technicians = new TechnicianCredentialVerifier(keys.meterId(), keys.commandKey());
    }

    public static Behavior<PolicyMessage> create(CsSecurityKeys keys, MeterConfig config, long installedAt) {
        return Wiring.await(w -> SegmentRecovery.readThen(w.to(Part.OperationalParameters), Part.OperationalParameters,
                contents -> {
                    CsSecurity c = new CsSecurity(w, keys, config, contents.values());
                    c.now = installedAt;
                    return c.running();
                }));
    }

    /**
     * The plaintext of an electricity reading frame, as the central system's account parses it (public so the
     * load generator seals exactly what a meter seals).
     */
    public static String electricityReading(long intervalStart, long intervalEnd, long importWh, long exportWh) {
        return "electricity," + intervalStart + "," + intervalEnd + "," + importWh + "," + exportWh;
    }

    private static long number(Map<String, String> stored, String key) {
        return Long.parseLong(stored.getOrDefault(key, "0"));
    }

    private Behavior<PolicyMessage> running() {
        return Behaviors.receive(PolicyMessage.class)
                .onMessage(Tick.class, t -> {
                    now = t.now();
                    securityLog.tick(t);
                    parameters.tick(t);
                    return Behaviors.same();
                })
                .onMessage(LogAnchorRequest.class, a -> {
                    anchor(a);
                    return Behaviors.same();
                })
                .onMessage(FrameFromCentralSystem.class, f -> {
                    inbound(f.bytes());
                    return Behaviors.same();
                })
                .onMessage(TopUpTokenFrame.class, f -> {
                    topUp(f.bytes());
                    return Behaviors.same();
                })
                .onMessage(TechnicianRequest.class, r -> {
                    technician(r);
                    return Behaviors.same();
                })
                .onMessage(ReadingReport.class, r -> {
                    var reading = r.reading();
                    seal(FrameKind.READINGS, electricityReading(reading.intervalStart(), reading.intervalEnd(),
                            reading.importWh(), reading.exportWh()));
                    return Behaviors.same();
                })
                .onMessage(GasReading.class, g -> {
                    seal(FrameKind.READINGS, "gas," + g.at() + "," + g.litres());
                    return Behaviors.same();
                })
                .onMessage(GenerationReading.class, g -> {
                    seal(FrameKind.READINGS, "generation," + g.at() + "," + g.wattHours());
                    return Behaviors.same();
                })
                .onMessage(ApplianceSwitch.class, a -> {
                    securityLog.appendCritical(now, SecurityLogEntry.ApplianceSwitch.accepted(a.appliance(), a.on()), () -> communications.send(a));
                    return Behaviors.same();
                })
                .onMessage(ApplianceRejected.class, a -> {
                    refused("DC", SecurityLogEntry.ApplianceSwitch.rejected(a.appliance(), a.on(), a.reason()));
                    return Behaviors.same();
                })
                .onMessage(ConsumptionFeedback.class, f -> forward(f))
                .onMessage(TariffFeedback.class, f -> forward(f))
                .onMessage(CreditFeedback.class, f -> forward(f))
                .onMessage(PolicyViolationReport.class, r -> {
                    refused("kernel", SecurityLogEntry.PolicyViolation.of(r.violation()));
                    return Behaviors.same();
                })
                .onMessage(Persisted.class, p -> {
                    if (!securityLog.confirmed(p, now)) {
                        parameters.confirmed(p, now);
                    }
                    return Behaviors.same();
                })
                .onMessage(NotStored.class, n -> {
                    securityLog.notStored(n);
                    return Behaviors.same();
                })
                .build();
    }

    private Behavior<PolicyMessage> forward(PolicyMessage feedback) {
        communications.send(feedback);
        return Behaviors.same();
    }

    /** A frame from the central system: open it, check the signed command inside, log, then act. */
    private void inbound(byte[] frame) {
        Opened opened = opener.open(frame);
        if (opened instanceof Opened.Refused refused) {
            refused("DC", new SecurityLogEntry.FrameRefused(refused.reason().toString(), frame.length));
            return;
        }
        Opened.Ok ok = (Opened.Ok) opened;
        parameters.store(now, IN_COUNTER, Long.toString(ok.counter()), () -> { });
        if (ok.kind() == FrameKind.ACKNOWLEDGEMENT) {
            acknowledgement(ok);
            return;
        }
        Optional<SignedCommand> command = ok.kind() == FrameKind.COMMAND ? SignedCommand.decode(ok.plaintext()) : Optional.empty();
        if (command.isEmpty()) {
            refused("DC", new SecurityLogEntry.MalformedCommandFrame(ok.kind().toString(), ok.counter()));
            return;
        }
        SignedCommand c = command.get();
        CommandVerdict verdict = commands.verify(c);
        Optional<PolicyMessage> effect = verdict == CommandVerdict.ACCEPTED ? interpret(c) : Optional.empty();
        String outcome = verdict != CommandVerdict.ACCEPTED ? verdict.name()
                : effect.isPresent() ? LogEntry.ACCEPTED : SecurityLogEntry.Command.REFUSED_PAYLOAD;
        if (effect.isEmpty()) {
            refused("DC", new SecurityLogEntry.Command(c.kind().toString(), c.sequence(), outcome));
            return;
        }
        // The sequence is stored before the command acts: after a crash it cannot be accepted again.
        parameters.store(now, COMMAND_SEQUENCE, Long.toString(commands.lastAcceptedSequence()), () ->
                securityLog.appendCritical(now, new SecurityLogEntry.Command(c.kind().toString(), c.sequence(), outcome), () -> apply(effect.get())));
    }

    /** Authenticated by the frame itself: Computations may release the readings up to the time it names. */
    private void acknowledgement(Opened.Ok ok) {
        try {
            computations.send(new ReadingsAcknowledged(Long.parseLong(new String(ok.plaintext(), StandardCharsets.UTF_8))));
        } catch (NumberFormatException e) {
            refused("DC", new SecurityLogEntry.MalformedAcknowledgement(ok.counter()));
        }
    }

    /** The internal message a verified command becomes, or empty if its payload makes no sense. */
    private Optional<PolicyMessage> interpret(SignedCommand c) {
        String payload = new String(c.payload(), StandardCharsets.UTF_8);
        try {
            return switch (c.kind()) {
                case SET_PAYMENT_MODE -> Optional.of(new PrepaidModeChange(Boolean.parseBoolean(payload), now));
                case SET_TARIFF -> Optional.of(new TariffUpdate(Tariff.decode(payload), now));
                case APPLIANCE_SWITCH -> {
                    String[] parts = payload.split(":", 2);
                    yield parts.length == 2 && !parts[0].isBlank() && (parts[1].equals("on") || parts[1].equals("off"))
                            ? Optional.of(new ApplianceCommand(parts[0], parts[1].equals("on"), now)) : Optional.empty();
                }
                case CLOCK_SYNC -> {
                    long corrected = Long.parseLong(payload);
                    yield Math.abs(corrected - now) <= config.maxClockCorrection().toMillis()
                            ? Optional.of(new ClockSync(corrected)) : Optional.empty();
                }
                default -> Optional.empty();
            };
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A refused attempt: logged on its own within the budget, folded into a summary beyond it. */
    private void refused(String iface, LogEntry entry) {
        securityLog.refused(now, iface, entry, () -> { });
    }

    private void apply(PolicyMessage effect) {
        if (effect instanceof PrepaidModeChange || effect instanceof TopUp) {
            creditBalance.send(effect);
        } else if (effect instanceof TariffUpdate || effect instanceof ApplianceCommand) {
            computations.send(effect);
        } else if (effect instanceof ClockSync) {
            clock.send(effect);
        }
    }

    private void topUp(byte[] bytes) {
        Optional<TopUpToken> token = TopUpToken.decode(bytes);
        if (token.isEmpty()) {
            refused("TopUpGateway", new SecurityLogEntry.MalformedTopUp(bytes.length));
            return;
        }
        TopUpToken t = token.get();
        TopUpVerdict verdict = topUps.accept(t);
        SecurityLogEntry.TopUp what = new SecurityLogEntry.TopUp(t.tokenId(), t.amountCents(), verdict.toString());
        if (verdict != TopUpVerdict.ACCEPTED) {
            refused("TopUpGateway", what);
            return;
        }
        // The used token is stored before the credit moves: after a crash it cannot be entered again.
        parameters.store(now, TOKEN_IDS, topUps.windowState().encode(), () ->
                securityLog.appendCritical(now, what, () -> creditBalance.send(new TopUp(t.amountCents() * 1000, t.tokenId(), now))));
    }

    private void technician(TechnicianRequest r) {
        Optional<TechnicianCredential> credential = TechnicianCredential.decode(r.credential());
        CredentialVerdict verdict = credential.map(c -> technicians.check(c, now / 1000)).orElse(null);
        String who = credential.map(TechnicianCredential::technicianId).orElse("?");
        String outcome = verdict == null ? "MALFORMED" : verdict.name();
        SecurityLogEntry.TechnicianAccess what = new SecurityLogEntry.TechnicianAccess(who, r.request(), outcome);
        if (verdict != CredentialVerdict.VALID) {
            refused("MaintenanceTechnician", what);
            return;
        }
        securityLog.appendCritical(now, what,
                () -> communications.send(new TechnicianResponse(who, "ok: " + r.request() + " at " + now)));
    }

    /** Signs a segment's chain head with the meter's log key and sends it end to end to the central system. */
    private void anchor(LogAnchorRequest a) {
        SignedLogAnchor signed = a.signedBy(logKey, meterId);
        seal(FrameKind.LOG_ANCHOR, signed.encode());
    }

    /** Seals and sends a frame to the central system, under a counter reserved in OperationalParameters. */
    private void seal(FrameKind kind, String plaintext) {
        seal(kind, plaintext.getBytes(StandardCharsets.UTF_8));
    }

    private void seal(FrameKind kind, byte[] plaintext) {
        sealer.seal(kind, plaintext, frame -> communications.send(new FrameToCentralSystem(frame)));
    }
}
