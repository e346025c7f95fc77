package org.hasm.actors.central;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.hasm.actors.central.MeterAccount.AcknowledgementSent;
import org.hasm.actors.central.MeterAccount.AnchorRecorded;
import org.hasm.actors.central.MeterAccount.Command;
import org.hasm.actors.central.MeterAccount.Event;
import org.hasm.actors.central.MeterAccount.FrameRefused;
import org.hasm.actors.central.MeterAccount.MeterReport;
import org.hasm.actors.central.MeterAccount.ReadingReceived;
import org.hasm.actors.central.MeterAccount.SwitchAcknowledged;
import org.hasm.actors.crypto.FrameKind;
import org.hasm.actors.crypto.Opened;
import org.hasm.actors.crypto.SignedLogAnchor;
import org.hasm.actors.link.SecurityModule;
import org.hasm.actors.meter.OffSwitchLogEntry.CommandResult;

/**
 * Opens one frame a meter sent and says, as {@link MeterAccount} events, what it was: a reading (with the
 * bills it closes and, every {@code acknowledgeEvery} readings, an acknowledgement), an anchor, a switch
 * command's result, another report, or a refusal. Used by its account only, on the account's thread.
 */
final class FrameOpener {
    /** The events one frame gives, and the ACKNOWLEDGEMENT frame to send once they are persisted, or null. */
    record Opening(List<Event> events, byte[] acknowledgement) {
    }

    private final ProvisionedMeter meter;
    private final int acknowledgeEvery;
    private final ActorContext<Command> context;

    FrameOpener(ProvisionedMeter meter, int acknowledgeEvery, ActorContext<Command> context) {
        this.meter = meter;
        this.acknowledgeEvery = acknowledgeEvery;
        this.context = context;
    }

    /**
     * Opens a frame with CsSecurity's key, and a frame that fails there with OffSwitchSecurity's report key:
     * the frame does not say which module sealed it, and a tag that fails under the wrong key moves no counter.
     */
    Opening open(AccountState state, byte[] frame) {
        SecurityModule channel = SecurityModule.CS_SECURITY;
        Opened opened = meter.openFromMeter(frame);
        if (opened instanceof Opened.Refused r && r.reason() == Opened.Reason.BAD_TAG) {
            Opened report = meter.openSwitchReport(frame);
            if (!(report instanceof Opened.Refused rr && rr.reason() == Opened.Reason.BAD_TAG)) {
                opened = report;
                channel = SecurityModule.OFF_SWITCH_SECURITY;
            }
        }
        List<Event> events = new ArrayList<>();
        if (opened instanceof Opened.Refused r) {
            events.add(refused(channel, 0, r.reason().name(), frame));
            return new Opening(events, null);
        }
        return classify(state, channel, (Opened.Ok) opened, frame, events);
    }

    private Opening classify(AccountState state, SecurityModule channel, Opened.Ok ok, byte[] frame, List<Event> events) {
        String text = new String(ok.plaintext(), StandardCharsets.UTF_8);
        byte[] ack = null;
        if (ok.kind() == FrameKind.LOG_ANCHOR) {
            events.add(anchor(channel, ok, frame));
        } else if (ok.kind() == FrameKind.READINGS && channel == SecurityModule.CS_SECURITY) {
            Optional<ReadingReceived> reading = DailyBilling.reading(state, ok.counter(), text);
            if (reading.isEmpty()) {
                events.add(refused(channel, ok.counter(), "MALFORMED_READING", frame));
            } else {
                ReadingReceived r = reading.get();
                DailyBilling.record(state, r, events);
                if (r.commodity().equals("electricity") && (state.readings + 1) % acknowledgeEvery == 0) {
                    ack = meter.acknowledgement(r.intervalEnd());
                    events.add(new AcknowledgementSent(meter.counters().framesToMeter(), r.intervalEnd()));
                }
            }
        } else if (ok.kind() == FrameKind.COMMAND_RESULT && channel == SecurityModule.OFF_SWITCH_SECURITY) {
            Optional<Event> acknowledged = CommandResult.parse(text).flatMap(r -> r.switchCommand()
                    .<Event>map(c -> new SwitchAcknowledged(ok.counter(), c.sequence(), r.verdict(), text)));
            events.add(acknowledged.orElseGet(() -> new MeterReport(SecurityModule.OFF_SWITCH_SECURITY, ok.counter(), ok.kind(), text)));
        } else {
            events.add(new MeterReport(channel, ok.counter(), ok.kind(), text));
        }
        return new Opening(events, ack);
    }

    private FrameRefused refused(SecurityModule channel, long counter, String cause, byte[] frame) {
        context.getLog().warn("meter {}: frame of {} bytes refused: {}", meter.meterId(), frame.length, cause);
        return new FrameRefused(channel, counter, cause, frame.length);
    }

    private Event anchor(SecurityModule channel, Opened.Ok ok, byte[] frame) {
        Optional<SignedLogAnchor> anchor = SignedLogAnchor.decode(ok.plaintext()).filter(a -> channel == SecurityModule.CS_SECURITY
                ? meter.anchorVerifiesFromCsSecurity(a)
                : LogKeyRegister.signer(a.segment()) == SecurityModule.OFF_SWITCH_SECURITY && meter.anchorVerifiesFromOffSwitchSecurity(a));
        return anchor.<Event>map(a -> new AnchorRecorded(channel, ok.counter(), a.segment(), a.seq(), a.time(), a.head(),
                        a.encode()))
                .orElseGet(() -> refused(channel, ok.counter(), "BAD_ANCHOR", frame));
    }
}
