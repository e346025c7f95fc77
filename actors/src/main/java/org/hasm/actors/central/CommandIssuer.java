package org.hasm.actors.central;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EffectFactories;
import org.hasm.actors.central.MeterAccount.CommandIssued;
import org.hasm.actors.central.MeterAccount.Event;
import org.hasm.actors.central.MeterAccount.IssueCommand;
import org.hasm.actors.central.MeterAccount.IssueSwitch;
import org.hasm.actors.central.MeterAccount.IssueTopUp;
import org.hasm.actors.central.MeterAccount.Issued;
import org.hasm.actors.central.MeterAccount.SwitchCommandIssued;
import org.hasm.actors.central.MeterAccount.TopUpIssued;
import org.hasm.actors.central.MeterAccount.TopUpTokenIssued;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.link.CentralSystemLink.FrameForMeter;
import org.hasm.actors.link.SecurityModule;
import org.hasm.actors.meter.Tariff;

/**
 * A {@link MeterAccount}'s signed commands, switch commands and top-up tokens: each is persisted before the
 * frame goes down to the meter (or the token back to the asker), so a restarted account never reuses a
 * sequence. Used by its account only, on the account's thread.
 */
final class CommandIssuer {
    private final ProvisionedMeter meter;
    private final ActorRef<FrameForMeter> downlink;

    CommandIssuer(ProvisionedMeter meter, ActorRef<FrameForMeter> downlink) {
        this.meter = meter;
        this.downlink = downlink;
    }

    Effect<Event, AccountState> command(EffectFactories<Event, AccountState> effect, IssueCommand c) {
        String refusal = c.kind() == null ? "no command kind"
                : c.kind().isSwitchCommand() ? c.kind() + " is a switch command: send IssueSwitch"
                : c.payload() == null ? "no payload" : payloadProblem(c.kind(), c.payload());
        if (refusal != null) {
            return effect.reply(c.replyTo(), new Issued(meter.meterId(), c.kind(), 0, refusal));
        }
        byte[] frame = meter.command(c.kind(), c.payload(), c.now() / 1000);
        ProvisionedMeter.Counters counters = meter.counters();
        CommandIssued issued = new CommandIssued(counters.commands(), c.kind(), c.payload(), c.now(), counters.framesToMeter());
        return effect.persist(issued).thenRun(s -> {
            downlink.tell(new FrameForMeter(meter.meterId(), SecurityModule.CS_SECURITY, frame, c.now()));
            c.replyTo().tell(new Issued(meter.meterId(), c.kind(), issued.sequence(), null));
        });
    }

    /** What is wrong with a payload the account itself interprets, or null. */
    private static String payloadProblem(CommandKind kind, String payload) {
        if (kind == CommandKind.SET_TARIFF) {
            try {
                Tariff.decode(payload);
            } catch (IllegalArgumentException e) {
                return "SET_TARIFF payload is not 24 comma-separated non-negative prices: " + e.getMessage();
            }
        } else if (kind == CommandKind.SET_PAYMENT_MODE && !payload.equals("true") && !payload.equals("false")) {
            return "SET_PAYMENT_MODE payload is 'true' (prepaid) or 'false', not '" + payload + "'";
        }
        return null;
    }

    Effect<Event, AccountState> switchCommand(EffectFactories<Event, AccountState> effect, IssueSwitch c) {
        byte[] command = meter.switchCommand(c.on(), c.now() / 1000);
        SwitchCommandIssued issued = new SwitchCommandIssued(meter.counters().switchCommands(), c.on(), c.now(), c.requestId());
        CommandKind kind = c.on() ? CommandKind.SWITCH_ON : CommandKind.SWITCH_OFF;
        return effect.persist(issued).thenRun(s -> {
            downlink.tell(new FrameForMeter(meter.meterId(), SecurityModule.OFF_SWITCH_SECURITY, command, c.now()));
            if (c.replyTo() != null) {
                c.replyTo().tell(new Issued(meter.meterId(), kind, issued.sequence(), null));
            }
        });
    }

    Effect<Event, AccountState> topUp(EffectFactories<Event, AccountState> effect, IssueTopUp c) {
        if (c.amountCents() < 1) {
            return effect.reply(c.replyTo(), new TopUpIssued(meter.meterId(), 0, c.amountCents(), new byte[0],
                    "a top-up adds credit: " + c.amountCents() + " cents"));
        }
        byte[] token = meter.topUpToken(c.amountCents(), c.now() / 1000);
        TopUpTokenIssued issued = new TopUpTokenIssued(meter.counters().topUpTokens(), c.amountCents(), c.now());
        return effect.persist(issued).thenReply(c.replyTo(),
                s -> new TopUpIssued(meter.meterId(), issued.tokenId(), issued.amountCents(), token, null));
    }
}
