package org.hasm.actors.central;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.internal.InMemStorageExtension;
import org.hasm.actors.link.CentralSystemLink.FrameForMeter;
import org.hasm.actors.central.OperatorGateway.AttemptOutcome;
import org.hasm.actors.central.OperatorGateway.AttemptRecorded;
import org.hasm.actors.central.OperatorGateway.Outcome;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.crypto.OperatorSigning;
import org.hasm.actors.crypto.SignedCommand;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.crypto.SimulationRandomness;
import org.hasm.actors.meter.Tariff;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.hasm.actors.link.ClusterSettings;
import org.hasm.actors.link.SecurityModule;

/** P16 at the central system: bulk switch-offs need a quorum, run at the rate limit, and every attempt is journalled. */
class OperatorGatewayTest {
    private static final long T0 = 1_767_261_600_000L; // 2026-01-01T10:00Z, on a minute
    private static final int PER_MINUTE = 100;
    private static final int THRESHOLD = 50;
    private static final List<String> FLEET = IntStream.range(0, 1_000).mapToObj(i -> String.format("m%04d", i)).toList();

    private final SecureRandom random = SimulationRandomness.seeded(3, "operators");
    private final Map<String, SigningKeys> credentials = Map.of("alice", SigningKeys.generate(random),
            "bob", SigningKeys.generate(random), "carol", SigningKeys.generate(random));
    private ActorTestKit testKit;
    private TestProbe<FrameForMeter> downlink;
    private CentralSystem.Handles central;
    private TestProbe<AttemptOutcome> outcomes;
    private final List<AttemptOutcome> answered = new ArrayList<>();

    @BeforeEach
    void start() {
        testKit = ActorTestKit.create("gateway", ClusterSettings.oneNode().withFallback(ConfigFactory.load("application-test")));
        Provisioning provisioning = new Provisioning("cs-1", SimulationRandomness.seeded(3, "fleet"));
        Map<String, ProvisionedMeter> keys = new HashMap<>();
        FLEET.forEach(id -> keys.put(id, provisioning.provision(id)));
        Map<String, org.hasm.actors.crypto.VerifyingKey> operators = new HashMap<>();
        credentials.forEach((name, key) -> operators.put(name, key.verifyingKey()));
        downlink = testKit.createTestProbe(FrameForMeter.class);
        central = CentralSystem.start(testKit.system(), Map.copyOf(keys)::get, new CentralSystem.Settings(Tariff.flat(20_000),
                new OperatorGateway.Settings(PER_MINUTE, THRESHOLD, 2, Duration.ofDays(1), operators, 11)), downlink.getRef());
        outcomes = testKit.createTestProbe(AttemptOutcome.class);
        central.gateway().tell(new OperatorGateway.Tick(T0));
    }

    @AfterEach
    void stop() {
        testKit.shutdownTestKit();
    }

    private OperatorSigning.BulkRequest request(String operator, String id, List<String> meters) {
        return OperatorSigning.request(credentials.get(operator), operator, id, T0 / 1000, CommandKind.SWITCH_OFF, meters);
    }

    private Outcome send(OperatorSigning.BulkRequest request) {
        central.gateway().tell(new OperatorGateway.RequestBulk(request, outcomes.getRef()));
        return answer();
    }

    private Outcome approve(OperatorSigning.Approval approval) {
        central.gateway().tell(new OperatorGateway.Approve(approval, outcomes.getRef()));
        return answer();
    }

    private Outcome answer() {
        AttemptOutcome outcome = outcomes.receiveMessage();
        answered.add(outcome);
        return outcome.outcome();
    }

    private OperatorGateway.Status status() {
        TestProbe<OperatorGateway.Status> probe = testKit.createTestProbe(OperatorGateway.Status.class);
        central.gateway().tell(new OperatorGateway.GetStatus(probe.getRef()));
        return probe.receiveMessage();
    }

    /** The switch-offs that reached the downlink, each checked to be a SWITCH_OFF for its meter. */
    private List<FrameForMeter> switchOffs(int n) {
        List<FrameForMeter> frames = downlink.receiveSeveralMessages(n);
        for (FrameForMeter f : frames) {
            assertEquals(SecurityModule.OFF_SWITCH_SECURITY, f.module());
            SignedCommand c = SignedCommand.decode(f.frame()).orElseThrow();
            assertEquals(CommandKind.SWITCH_OFF, c.kind());
            assertEquals(f.meterId(), c.meterId());
        }
        return frames;
    }

    /** Every attempt answered is in the operator journal, in order, with the same outcome. */
    private void everyAttemptIsInTheOperatorJournal() {
        // the testkit keeps one store per journal plugin id: this reads the gateway's own journal
        var stored = InMemStorageExtension.get(testKit.system().classicSystem()).storageFor(OperatorGateway.JOURNAL)
                .tryRead("operator-gateway", 1, Long.MAX_VALUE, Long.MAX_VALUE);
        List<AttemptRecorded> journalled = scala.jdk.javaapi.CollectionConverters.asJava(stored).stream().map(r -> r.payload())
                .filter(AttemptRecorded.class::isInstance).map(AttemptRecorded.class::cast).toList();
        assertEquals(answered.stream().map(a -> a.requestId() + " " + a.operatorId() + " " + a.outcome()).toList(),
                journalled.stream().map(a -> a.requestId() + " " + a.operatorId() + " " + a.outcome()).toList());
    }

    @Test
    void aBulkSwitchOffOfAThousandMetersIsHeldForAQuorumAndThenRunsAtTheRateLimit() {
        OperatorSigning.BulkRequest all = request("alice", "all", FLEET);
        assertEquals(Outcome.HELD_FOR_QUORUM, send(all));
        assertEquals(Outcome.REFUSED, approve(OperatorSigning.approval(credentials.get("alice"), "alice", all)),
                "the requester is not a second operator");
        OperatorSigning.BulkRequest other = request("alice", "all", FLEET.subList(0, 10));
        assertEquals(Outcome.REFUSED, approve(OperatorSigning.approval(credentials.get("bob"), "bob", other)),
                "an approval of another meter set does not count");
        central.gateway().tell(new OperatorGateway.Tick(T0 + 3_600_000));
        assertEquals(0, status().released(), "nothing runs while held");

        long approvedAt = T0 + 3_600_000;
        assertEquals(Outcome.RATE_LIMITED, approve(OperatorSigning.approval(credentials.get("bob"), "bob", all)));
        Map<Long, Integer> perMinute = new TreeMap<>();
        Set<String> meters = new HashSet<>();
        Set<Long> times = new HashSet<>();
        for (int k = 1; k <= FLEET.size() / PER_MINUTE; k++) {
            long now = approvedAt + k * 60_000L - 1;
            central.gateway().tell(new OperatorGateway.Tick(now));
            for (FrameForMeter f : switchOffs(PER_MINUTE)) {
                assertTrue(f.at() >= approvedAt && f.at() <= now, "sent at its own time, not before the approval");
                perMinute.merge(f.at() / 60_000, 1, Integer::sum);
                meters.add(f.meterId());
                times.add(f.at());
            }
            assertEquals((long) k * PER_MINUTE, status().released(), "no more than the rate limit by minute " + k);
        }
        assertEquals(FLEET.size(), meters.size(), "every meter once");
        assertEquals(FLEET.size() / PER_MINUTE, perMinute.size());
        assertTrue(perMinute.values().stream().allMatch(n -> n == PER_MINUTE), perMinute.toString());
        assertEquals(perMinute, status().releasedPerMinute());
        assertTrue(times.size() > FLEET.size() / 2, "randomised per-meter offsets, not one step a minute");
        assertEquals(4, status().attempts().size());
        everyAttemptIsInTheOperatorJournal();
    }

    @Test
    void oneStolenCredentialCannotSwitchOffMoreThanTheCap() {
        // the attacker holds alice's credential and nothing else
        assertEquals(Outcome.HELD_FOR_QUORUM, send(request("alice", "everything", FLEET)));
        assertEquals(Outcome.EXECUTED, send(request("alice", "s1", FLEET.subList(0, 30))));
        assertEquals(Outcome.HELD_FOR_QUORUM, send(request("alice", "s2", FLEET.subList(30, 60))), "past the cap alone");
        assertEquals(Outcome.EXECUTED, send(request("alice", "s3", FLEET.subList(30, 50))));
        assertEquals(Outcome.HELD_FOR_QUORUM, send(request("alice", "s4", FLEET.subList(50, 51))));
        assertEquals(Outcome.REFUSED, send(request("alice", "s1", FLEET.subList(60, 90))), "a used request id");
        OperatorSigning.BulkRequest everything = request("alice", "everything", FLEET);
        OperatorSigning.Approval forged = OperatorSigning.approval(credentials.get("alice"), "bob", everything);
        assertEquals(Outcome.REFUSED, approve(forged), "signed with alice's key in bob's name");
        assertEquals(Outcome.REFUSED, send(OperatorSigning.request(credentials.get("alice"), "mallory", "m1", T0 / 1000,
                CommandKind.SWITCH_OFF, FLEET.subList(0, 1))), "an unknown operator");

        central.gateway().tell(new OperatorGateway.Tick(T0 + 86_400_000L - 1));
        List<FrameForMeter> frames = switchOffs(THRESHOLD);
        assertEquals(Set.copyOf(FLEET.subList(0, THRESHOLD)), Set.copyOf(frames.stream().map(FrameForMeter::meterId).toList()));
        OperatorGateway.Status status = status();
        assertEquals(THRESHOLD, status.released(), "capped by P16");
        assertEquals(List.of("everything", "s2", "s4"), status.heldForQuorum());
        everyAttemptIsInTheOperatorJournal();
    }
}
