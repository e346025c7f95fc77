package org.hasm.actors.meter;

import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.meter.MeterSignals.AggregationRound;
import org.hasm.actors.meter.MeterSignals.AggregationShare;
import org.hasm.actors.meter.MeterSignals.ApplianceSwitch;
import org.hasm.actors.meter.MeterSignals.ConsumptionFeedback;
import org.hasm.actors.meter.MeterSignals.CreditFeedback;
import org.hasm.actors.meter.MeterSignals.FrameFromCentralSystem;
import org.hasm.actors.meter.MeterSignals.FrameToCentralSystem;
import org.hasm.actors.meter.MeterSignals.GasReading;
import org.hasm.actors.meter.MeterSignals.GenerationReading;
import org.hasm.actors.meter.MeterSignals.SwitchCommandFrame;
import org.hasm.actors.meter.MeterSignals.SwitchReport;
import org.hasm.actors.meter.MeterSignals.TariffFeedback;
import org.hasm.actors.meter.MeterSignals.TechnicianRequest;
import org.hasm.actors.meter.MeterSignals.TechnicianResponse;
import org.hasm.actors.meter.MeterSignals.TopUpTokenFrame;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.PolicyMessage;

/**
 * The communications module: the only part that touches the external interfaces (P4). It routes and
 * does nothing else: every inbound frame goes to the security module that can judge it (P5), every
 * outbound message came from a security module (P6) and goes to its interface. It never looks inside
 * a frame, so a malformed one costs it nothing and is judged (and logged) by the security module.
 */
public final class Communications {
    /** Every interface it routes to; it takes all its channels when it starts. */
    static final Needs NEEDS = Needs.of(Part.Communications)
            .sends(Part.CsSecurity, MessageType.CsFrame, MessageType.TopUpToken, MessageType.TechnicianRequest,
                    MessageType.GasReading, MessageType.GenerationReading)
            .sends(Part.OffSwitchSecurity, MessageType.SwitchCommandFrame)
            .sends(Part.DcSecurity, MessageType.AggregationRound)
            .sends(Part.DataConcentrator, MessageType.CsFrame, MessageType.SwitchReport, MessageType.AggregationShare)
            .sends(Part.MaintenanceTechnician, MessageType.TechnicianResponse)
            .sends(Part.HanGateway, MessageType.ConsumptionFeedback, MessageType.TariffFeedback, MessageType.CreditFeedback,
                    MessageType.ApplianceSwitch);

    private Communications() {
    }

    public static Behavior<PolicyMessage> create() {
        return Wiring.await(Communications::running);
    }

    private static Behavior<PolicyMessage> running(Wiring w) {
        Channel<PolicyMessage> csSecurity = w.to(Part.CsSecurity);
        Channel<PolicyMessage> dcSecurity = w.to(Part.DcSecurity);
        Channel<PolicyMessage> offSwitchSecurity = w.to(Part.OffSwitchSecurity);
        Channel<PolicyMessage> concentrator = w.to(Part.DataConcentrator);
        Channel<PolicyMessage> han = w.to(Part.HanGateway);
        Channel<PolicyMessage> technician = w.to(Part.MaintenanceTechnician);
        return Behaviors.receive(PolicyMessage.class)
                // inbound
                .onMessage(FrameFromCentralSystem.class, f -> forward(csSecurity, f))
                .onMessage(TopUpTokenFrame.class, f -> forward(csSecurity, f))
                .onMessage(TechnicianRequest.class, f -> forward(csSecurity, f))
                .onMessage(GasReading.class, f -> forward(csSecurity, f))
                .onMessage(GenerationReading.class, f -> forward(csSecurity, f))
                .onMessage(SwitchCommandFrame.class, f -> forward(offSwitchSecurity, f))
                .onMessage(AggregationRound.class, f -> forward(dcSecurity, f))
                // outbound
                .onMessage(FrameToCentralSystem.class, f -> forward(concentrator, f))
                .onMessage(SwitchReport.class, f -> forward(concentrator, f))
                .onMessage(AggregationShare.class, f -> forward(concentrator, f))
                .onMessage(TechnicianResponse.class, f -> forward(technician, f))
                .onMessage(ConsumptionFeedback.class, f -> forward(han, f))
                .onMessage(TariffFeedback.class, f -> forward(han, f))
                .onMessage(CreditFeedback.class, f -> forward(han, f))
                .onMessage(ApplianceSwitch.class, f -> forward(han, f))
                .build();
    }

    private static Behavior<PolicyMessage> forward(Channel<PolicyMessage> to, PolicyMessage m) {
        to.send(m);
        return Behaviors.same();
    }
}
