package org.hasm.actors.concentrator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.link.CentralSystemLink.AggregateReading;
import org.hasm.actors.link.CentralSystemLink.DeliverFrame;
import org.hasm.actors.concentrator.DataConcentrator.Settings;
import org.hasm.actors.crypto.FrameKind;
import org.hasm.actors.crypto.Opened;
import org.hasm.actors.crypto.ZeroSumMasking;
import org.hasm.actors.meter.Meter;
import org.hasm.actors.meter.MeterConfig;
import org.hasm.actors.meter.MeterSignals.AggregationShare;
import org.hasm.actors.meter.MeterSignals.EnergySample;
import org.hasm.actors.meter.MeterSignals.TimeSignal;
import org.hasm.actors.meter.StandardMeterParts;
import org.hasm.actors.meter.Tariff;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.DropCounter;
import org.hasm.policy.kernel.Envelope;
import org.hasm.policy.verify.RuleAttribution;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Three real meters behind a concentrator: their Communications, DcSecurity and CsSecurity, end to end. */
class ConcentratorWithMetersTest {
    private static final ActorTestKit testKit = ActorTestKit.create();
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00Z
    private static final long INTERVAL = Duration.ofMinutes(15).toMillis();

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void realMetersAggregateExactlyAndTheirFramesReachTheCentralSystemIntact() {
        ConcentratorHarness h = new ConcentratorHarness(testKit);
        ZeroSumMasking scheme = ZeroSumMasking.generateGroup(3, ConcentratorHarness.random("real group"));
        h.start(Settings.defaults("dc-real").withMinimumGroupSize(2), List.of(AggregationGroup.zeroSum("a", scheme)));
        ActorRef<Envelope> ignore = testKit.spawn(Behaviors.ignore());
        TestProbe<AggregationShare> sharesSeen = testKit.createTestProbe();
        ActorRef<Envelope> network = testKit.spawn(network(h.concentrator.narrow(), sharesSeen.ref(), "real-2", (T0 + INTERVAL) / INTERVAL));
        RuleAttribution attribution = new RuleAttribution(ConcentratorHarness.POLICY);
        List<Meter.Handle> meters = new ArrayList<>();
        Map<String, ProvisionedMeter> accounts = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            String id = "real-" + i;
            ProvisionedMeter account = h.provisioning.provision(id);
            accounts.put(id, account);
            StandardMeterParts parts = new StandardMeterParts(id, T0, MeterConfig.DEFAULT, Tariff.flat(20_000),
                    account.csSecurityKeys(), account.offSwitchSecurityKeys(), scheme.meter(i), closed -> { }, view -> { });
            TestProbe<Meter.Handle> handle = testKit.createTestProbe();
            testKit.spawn(Meter.create(new Meter.Blueprint(id, ConcentratorHarness.POLICY, parts, Map.of(
                    Part.DataConcentrator, network, Part.HanGateway, ignore, Part.MaintenanceTechnician, ignore),
                    attribution, new DropCounter()), handle.ref()), "meter-" + id);
            Meter.Handle m = handle.receiveMessage();
            h.concentrator.tell(new DataConcentrator.AttachMeter(id, "a", i, m.from(Part.DataConcentrator, Part.Communications)));
            m.from(Part.Environment, Part.Clock).send(new TimeSignal(T0));
            meters.add(m);
        }
        long[] wh = {410, 95, 1_330};

        // interval 1: everyone reports
        for (int i = 0; i < 3; i++) {
            meterInterval(meters.get(i), T0, wh[i]);
        }
        sharesSeen.receiveSeveralMessages(3);
        assertEquals(new AggregateReading("dc-real", "a", T0 / INTERVAL, 3, 3, 410 + 95 + 1_330), h.aggregates.receiveMessage());

        // every frame the meters sealed arrives unchanged: the central system opens each, readings from all three
        int readings = 0;
        while (readings < 3) {
            DeliverFrame d = h.central.receiveMessage();
            Opened opened = accounts.get(d.meterId()).openFromMeter(d.frame());
            assertInstanceOf(Opened.Ok.class, opened, d.meterId() + ": " + opened);
            readings += ((Opened.Ok) opened).kind() == FrameKind.READINGS ? 1 : 0;
            h.confirm(d);
        }

        // interval 2: meter 2's share is lost on the way; once the others' are in, the driver closes the round
        long second = T0 + INTERVAL;
        meterInterval(meters.get(0), second, 200);
        meterInterval(meters.get(1), second, 60);
        meterInterval(meters.get(2), second, 700);
        sharesSeen.receiveSeveralMessages(3);
        h.concentrator.tell(new DataConcentrator.CloseInterval(second / INTERVAL));
        assertEquals(new AggregateReading("dc-real", "a", second / INTERVAL, 2, 3, 260), h.aggregates.receiveMessage());
    }

    /**
     * The meters' network to the concentrator: it loses {@code lostMeter}'s share of {@code lostRound} and tells
     * {@code seen} of every share after passing it on (or losing it), so the test knows what is in.
     */
    private static Behavior<Envelope> network(ActorRef<Envelope> concentrator, ActorRef<AggregationShare> seen,
                                              String lostMeter, long lostRound) {
        return Behaviors.receiveMessage(e -> {
            boolean lost = e.payload() instanceof AggregationShare s && !s.recovery() && s.meterId().equals(lostMeter)
                    && s.share().round() == lostRound;
            if (!lost) {
                concentrator.tell(e);
            }
            if (e.payload() instanceof AggregationShare s) {
                seen.tell(s);
            }
            return Behaviors.same();
        });
    }

    private static void meterInterval(Meter.Handle m, long from, long importWh) {
        m.from(Part.Environment, Part.Metrology).send(new EnergySample(from + INTERVAL / 2, importWh, 0));
        m.from(Part.Environment, Part.Clock).send(new TimeSignal(from + INTERVAL));
    }
}
