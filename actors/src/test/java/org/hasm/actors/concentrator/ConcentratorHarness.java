package org.hasm.actors.concentrator;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.central.Provisioning;
import org.hasm.actors.link.CentralSystemLink.Aggregate;
import org.hasm.actors.link.CentralSystemLink.DeliverFrame;
import org.hasm.actors.link.CentralSystemLink.FraudAlert;
import org.hasm.actors.concentrator.DataConcentrator.IntakeNotice;
import org.hasm.actors.crypto.FrameKind;
import org.hasm.actors.crypto.GcmFrameSealer;
import org.hasm.actors.crypto.InvocationCounter;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.crypto.SimulationRandomness;
import org.hasm.actors.crypto.SystemTitle;
import org.hasm.actors.meter.MeterSignals.FrameToCentralSystem;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.Channel;
import org.hasm.policy.kernel.Envelope;
import org.hasm.policy.kernel.Kernel;
import org.hasm.policy.kernel.PolicyMessage;
import org.hasm.policy.kernel.ViolationListener;
import org.hasm.actors.link.CentralSystemLink;

/**
 * One concentrator between probes: the central system, the aggregate reader, the alert inbox and the intake
 * listener are probes, and each meter is its kernel's two channels, Communications to the concentrator
 * (what the meter sends) and the concentrator to a probe standing in for the meter's Communications.
 */
final class ConcentratorHarness {
    static final FlowPolicy POLICY = FlowPolicy.shipped();
    static final long SEED = 20_161_107L;

    final ActorTestKit testKit;
    final TestProbe<DeliverFrame> central;
    final TestProbe<Aggregate> aggregates;
    final TestProbe<FraudAlert> alerts;
    final TestProbe<IntakeNotice> intake;
    final SigningKeys alertKey = SigningKeys.generate(random("alert key"));
    final Provisioning provisioning = new Provisioning("cs-1", random("provisioning"));
    private final Map<String, Channel<PolicyMessage>> uplinks = new HashMap<>();
    private final Map<String, TestProbe<Envelope>> meterSides = new HashMap<>();
    private final Map<String, GcmFrameSealer> sealers = new HashMap<>();
    ActorRef<Object> concentrator;

    ConcentratorHarness(ActorTestKit testKit) {
        this.testKit = testKit;
        this.central = testKit.createTestProbe();
        this.aggregates = testKit.createTestProbe();
        this.alerts = testKit.createTestProbe();
        this.intake = testKit.createTestProbe();
    }

    static SecureRandom random(String stream) {
        return SimulationRandomness.seeded(SEED, stream);
    }

    ConcentratorHarness start(DataConcentrator.Settings settings, List<AggregationGroup> groups) {
        concentrator = testKit.spawn(DataConcentrator.create(settings, alertKey, groups,
                new DataConcentrator.Links(central.ref(), aggregates.ref(), alerts.ref(), intake.ref())));
        return this;
    }

    /** Attaches meters {@code group/0 .. group/size-1} and returns their ids. */
    List<String> attachGroup(String group, int size) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            String id = group + "/" + i;
            attach(id, group, i);
            ids.add(id);
        }
        return ids;
    }

    void attach(String meterId, String group, int index) {
        Kernel kernel = new Kernel(meterId, POLICY, ViolationListener.NONE);
        TestProbe<Envelope> side = testKit.createTestProbe();
        uplinks.put(meterId, kernel.channel(Part.Communications, Part.DataConcentrator, concentrator.narrow()));
        meterSides.put(meterId, side);
        concentrator.tell(new DataConcentrator.AttachMeter(meterId, group, index,
                kernel.channel(Part.DataConcentrator, Part.Communications, side.ref())));
    }

    /** What meter {@code meterId}'s Communications sends to the concentrator. */
    void send(String meterId, PolicyMessage message) {
        uplinks.get(meterId).send(message);
    }

    /** The next message the concentrator sent to meter {@code meterId}'s Communications. */
    <T> T nextToMeter(String meterId, Class<T> type) {
        return type.cast(meterSides.get(meterId).receiveMessage().payload());
    }

    TestProbe<Envelope> meterSide(String meterId) {
        return meterSides.get(meterId);
    }

    /** A genuine frame sealed by meter {@code meterId}'s CsSecurity, with the keys {@code account} holds for it. */
    byte[] sealedFrame(ProvisionedMeter account, String text) {
        GcmFrameSealer sealer = sealers.computeIfAbsent(account.meterId(), id -> new GcmFrameSealer(
                account.csSecurityKeys().channelKey(), SystemTitle.ofMeter(id), InvocationCounter.fresh()));
        return sealer.seal(FrameKind.READINGS, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a sealed frame from meter {@code meterId} and returns it. */
    byte[] sendFrame(ProvisionedMeter account, String text) {
        byte[] frame = sealedFrame(account, text);
        send(account.meterId(), new FrameToCentralSystem(frame));
        return frame;
    }

    DataConcentrator.Statistics statistics() {
        TestProbe<DataConcentrator.Statistics> answer = testKit.createTestProbe();
        concentrator.tell(new DataConcentrator.GetStatistics(answer.ref()));
        return answer.receiveMessage();
    }

    void confirm(DeliverFrame d) {
        d.replyTo().tell(new CentralSystemLink.FrameDelivered(d.deliveryId()));
    }
}
