package org.hasm.actors.concentrator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.hasm.actors.central.CentralSystem;
import org.hasm.actors.central.MeterAccount;
import org.hasm.actors.link.CentralSystemLink.FrameForMeter;
import org.hasm.actors.link.ClusterSettings;
import org.hasm.actors.central.OperatorGateway;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.link.CentralSystemLink.DeliverFrame;
import org.hasm.actors.link.CentralSystemLink.FrameDelivered;
import org.hasm.actors.concentrator.DataConcentrator.Settings;
import org.hasm.actors.crypto.ZeroSumMasking;
import org.hasm.actors.meter.Tariff;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The concentrator resends what the central system did not confirm. The test is the network between them:
 * it takes each delivery off the concentrator's link probe and passes it on to a real central system, or
 * loses it.
 */
class ConcentratorResendTest {
    private static final long DAY0 = 1_767_225_600_000L;
    private static final long QUARTER = 900_000L;
    private static final Duration RESEND_AFTER = Duration.ofMillis(200);

    private static final ActorTestKit testKit = ActorTestKit.create("resend",
            ClusterSettings.oneNode().withFallback(ConfigFactory.load("application-test")));

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private ConcentratorHarness started(String id) {
        ConcentratorHarness h = new ConcentratorHarness(testKit)
                .start(Settings.defaults(id).withMinimumGroupSize(2).withResendAfter(RESEND_AFTER),
                        List.of(AggregationGroup.zeroSum("a", ZeroSumMasking.generateGroup(2, ConcentratorHarness.random("group a")))));
        h.attachGroup("a", 2);
        return h;
    }

    @Test
    void anUnconfirmedDeliveryIsSentAgainWithItsIdAndBytesUntilConfirmed() {
        ConcentratorHarness h = started("dc-resend");
        ProvisionedMeter meter = h.provisioning.provision("a/0");
        byte[] frame = h.sendFrame(meter, "one");
        DeliverFrame first = h.central.receiveMessage();
        DeliverFrame again = h.central.receiveMessage(); // nobody confirmed: the timer sends it again
        assertEquals(first.deliveryId(), again.deliveryId());
        assertArrayEquals(frame, again.frame());
        assertEquals("a/0", again.meterId());

        h.confirm(again);
        h.confirm(first); // the other copy's confirmation comes late: no stray, no second count
        DataConcentrator.Statistics s = h.statistics();
        assertEquals(1, s.framesDelivered());
        assertEquals(0, s.inFlight());
        assertEquals(0, s.strayMessages());
        assertTrue(s.framesResent() >= 1, "resent at least once: " + s);
    }

    @Test
    void aLostConfirmationLeadsToAResendAndExactlyOneReading() {
        ConcentratorHarness h = started("dc-lossy");
        ProvisionedMeter meter = h.provisioning.provision("a/1");
        TestProbe<FrameForMeter> downlink = testKit.createTestProbe();
        CentralSystem.Handles central = CentralSystem.start(testKit.system(), id -> id.equals("a/1") ? meter : null,
                new CentralSystem.Settings(Tariff.flat(20_000), OperatorGateway.Settings.defaults(
                        Map.of("a", h.provisioning.commandVerifyingKey(), "b", h.provisioning.commandVerifyingKey()), 1)),
                downlink.getRef());
        byte[] frame = h.sendFrame(meter, "electricity," + DAY0 + "," + (DAY0 + QUARTER) + ",400,0");

        // the account persists the reading, but its confirmation is lost on the way back
        DeliverFrame first = h.central.receiveMessage();
        TestProbe<FrameDelivered> lost = testKit.createTestProbe();
        central.inbox().tell(new DeliverFrame(first.deliveryId(), first.meterId(), first.frame(), lost.getRef()));
        assertEquals(new FrameDelivered(first.deliveryId()), lost.receiveMessage());

        DeliverFrame resent = h.central.receiveMessage();
        assertEquals(first.deliveryId(), resent.deliveryId());
        central.inbox().tell(resent);
        TestProbe<MeterAccount.AccountView> view = testKit.createTestProbe();
        // the resent copy's confirmation settles the delivery; copies the timer sent meanwhile wait unread on the
        // probe and change nothing (waiting for one of them raced with that confirmation)
        testKit.createTestProbe().awaitAssert(Duration.ofSeconds(20), () -> {
            assertEquals(0, h.statistics().inFlight());
            return null;
        });
        assertEquals(1, h.statistics().framesDelivered());

        central.accounts().tell(new ShardingEnvelope<>("a/1", new MeterAccount.GetAccount(view.getRef())));
        MeterAccount.AccountView account = view.receiveMessage();
        assertEquals(1, account.readings(), "one reading, however many copies");
        assertTrue(account.refusals().isEmpty(), "a resend is no replay: " + account.refusals());

        // the same bytes under a new delivery id are a replay, and still refused as one
        TestProbe<FrameDelivered> replay = testKit.createTestProbe();
        central.inbox().tell(new DeliverFrame(first.deliveryId() + 1000, "a/1", frame.clone(), replay.getRef()));
        replay.receiveMessage();
        central.accounts().tell(new ShardingEnvelope<>("a/1", new MeterAccount.GetAccount(view.getRef())));
        assertEquals(Map.of("REPLAYED", 1L), view.receiveMessage().refusals());
    }
}
