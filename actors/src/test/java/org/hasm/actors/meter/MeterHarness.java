package org.hasm.actors.meter;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.testkit.internal.InMemStorageExtension;
import org.hasm.actors.central.AnchorLedger;
import org.hasm.actors.central.Provisioning;
import org.hasm.actors.external.HanGateway;
import org.hasm.actors.external.LocalGeneration;
import org.hasm.actors.external.MaintenanceTechnician;
import org.hasm.actors.external.OtherUtilityMeter;
import org.hasm.actors.external.TopUpGateway;
import org.hasm.actors.central.ProvisionedMeter;
import org.hasm.actors.crypto.Opened;
import org.hasm.actors.crypto.SimulationRandomness;
import org.hasm.actors.crypto.ZeroSumMasking;
import org.hasm.actors.meter.MeterSignals.EnergySample;
import org.hasm.actors.meter.MeterSignals.TimeSignal;
import org.hasm.persistence.ChainVerifier;
import org.hasm.persistence.Segment;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.Part;
import org.hasm.policy.kernel.DropCounter;
import org.hasm.policy.kernel.Envelope;
import org.hasm.policy.kernel.PolicyMessage;
import org.hasm.policy.verify.RuleAttribution;

/**
 * One real meter with real keys, its central-system counterpart, and probes in the places of the
 * concentrator, the HAN gateway, the technician's tool, the breaker and the screen.
 */
final class MeterHarness {
    static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00Z
    static final long INTERVAL = Duration.ofMinutes(15).toMillis();
    static final FlowPolicy POLICY = FlowPolicy.shipped();
    static final RuleAttribution ATTRIBUTION = new RuleAttribution(POLICY);

    final ActorTestKit testKit;
    final String meterId;
    final ProvisionedMeter central;
    final TestProbe<Boolean> supply;
    final TestProbe<PolicyMessage> concentrator;
    final TestProbe<PolicyMessage> han;
    final TestProbe<MeterSignals.TechnicianResponse> technician;
    final AtomicReference<Display.View> screen = new AtomicReference<>();
    final DropCounter drops = new DropCounter();
    /** Work under way inside this meter (kernel messages and segment writes). */
    final org.hasm.policy.kernel.Activity activity = org.hasm.policy.kernel.Activity.counting();
    final Meter.Handle handle;
    final ActorRef<Object> technicianTool;
    final ActorRef<TopUpGateway.Enter> topUpGateway;
    final ActorRef<OtherUtilityMeter.Read> gasMeter;
    final ActorRef<LocalGeneration.Generated> inverter;
    long now = T0;

    MeterHarness(ActorTestKit testKit, String meterId, MeterConfig config, Tariff tariff) {
        this(testKit, meterId, config, tariff, new Provisioning("cs-1", SimulationRandomness.seeded(42, meterId)));
    }

    MeterHarness(ActorTestKit testKit, String meterId, MeterConfig config, Tariff tariff, Provisioning provisioning) {
        this(testKit, meterId, config, tariff, provisioning, parts -> parts);
    }

    /** {@code tamper} may replace some parts' behaviours, to play a compromised module. */
    MeterHarness(ActorTestKit testKit, String meterId, MeterConfig config, Tariff tariff, Provisioning provisioning,
                 java.util.function.UnaryOperator<MeterParts> tamper) {
        this(testKit, meterId, config, tariff, provisioning.provision(meterId), tamper, 0, T0, POLICY, ATTRIBUTION);
    }

    /** A meter assembled from {@code policy} instead of the shipped one. */
    MeterHarness(ActorTestKit testKit, String meterId, MeterConfig config, Tariff tariff, FlowPolicy policy) {
        this(testKit, meterId, config, tariff, new Provisioning("cs-1", SimulationRandomness.seeded(42, meterId)).provision(meterId),
                parts -> parts, 0, T0, policy, new RuleAttribution(policy));
    }

    private final MeterConfig config;
    private final Tariff tariff;
    private final java.util.function.UnaryOperator<MeterParts> tamper;
    private final int generation;
    private final FlowPolicy policy;
    private final RuleAttribution attribution;

    MeterConfig config() {
        return config;
    }

    /**
     * A power cut: stops this meter and starts it again on the same journals, keys and central-system
     * counterpart, at the same time. Use the returned harness from then on.
     */
    MeterHarness restarted() {
        testKit.stop(handle.meter());
        return new MeterHarness(testKit, meterId, config, tariff, central, tamper, generation + 1, now, policy, attribution);
    }

    private MeterHarness(ActorTestKit testKit, String meterId, MeterConfig config, Tariff tariff, ProvisionedMeter central,
                         java.util.function.UnaryOperator<MeterParts> tamper, int generation, long now,
                         FlowPolicy policy, RuleAttribution attribution) {
        this.policy = policy;
        this.attribution = attribution;
        this.testKit = testKit;
        this.meterId = meterId;
        this.central = central;
        this.config = config;
        this.tariff = tariff;
        this.tamper = tamper;
        this.generation = generation;
        this.now = now;
        this.supply = testKit.createTestProbe(Boolean.class);
        this.concentrator = testKit.createTestProbe(PolicyMessage.class);
        this.han = testKit.createTestProbe(PolicyMessage.class);
        this.technician = testKit.createTestProbe(MeterSignals.TechnicianResponse.class);
        SecureRandom random = SimulationRandomness.seeded(7, meterId + "/aggregation");
        StandardMeterParts parts = new StandardMeterParts(meterId, T0, config, tariff, central.csSecurityKeys(),
                central.offSwitchSecurityKeys(), ZeroSumMasking.generateGroup(2, random).meter(0),
                supply.getRef()::tell, screen::set);
        this.technicianTool = testKit.spawn(MaintenanceTechnician.create(technician.getRef()::tell));
        Map<Part, ActorRef<Envelope>> externals = Map.of(
                Part.DataConcentrator, testKit.spawn(unwrapping(concentrator.getRef())),
                Part.HanGateway, testKit.spawn(HanGateway.create(han.getRef()::tell)),
                Part.MaintenanceTechnician, technicianTool.unsafeUpcast());
        TestProbe<Meter.Handle> handleProbe = testKit.createTestProbe(Meter.Handle.class);
        testKit.spawn(Meter.create(new Meter.Blueprint(meterId, policy, tamper.apply(parts), externals, attribution, drops, activity),
                handleProbe.getRef()), "meter-" + meterId + (generation == 0 ? "" : "-" + generation));
        this.handle = handleProbe.receiveMessage();
        technicianTool.tell(new MaintenanceTechnician.Plugged(handle.from(Part.MaintenanceTechnician, Part.Communications)));
        this.topUpGateway = testKit.spawn(TopUpGateway.create(handle.from(Part.TopUpGateway, Part.Communications)));
        this.gasMeter = testKit.spawn(OtherUtilityMeter.create(handle.from(Part.OtherUtilityMeter, Part.Communications)));
        this.inverter = testKit.spawn(LocalGeneration.create(handle.from(Part.LocalGeneration, Part.Communications)));
        tick(); // installed at T0, or back at the time of the power cut
    }

    /** An external party outside the meter's kernel: it reads the payloads of what Communications sends it. */
    static Behavior<Envelope> unwrapping(ActorRef<PolicyMessage> probe) {
        return Behaviors.receiveMessage(e -> {
            probe.tell((PolicyMessage) e.payload());
            return Behaviors.same();
        });
    }

    /** One metering interval: energy flows, then the clock passes the interval's end. */
    void interval(long importWh) {
        handle.from(Part.Environment, Part.Metrology).send(new EnergySample(now + INTERVAL / 2, importWh, 0));
        now += INTERVAL;
        handle.from(Part.Environment, Part.Clock).send(new TimeSignal(now));
    }

    void tick() {
        handle.from(Part.Environment, Part.Clock).send(new TimeSignal(now));
    }

    void fromConcentrator(PolicyMessage m) {
        handle.from(Part.DataConcentrator, Part.Communications).send(m);
    }

    long nowSeconds() {
        return now / 1000;
    }

    /**
     * Plays the concentrator's relay to the central system: hands the next {@code frames} frames sealed
     * by CsSecurity, and every switch report on the way, to the central system's anchor ledger.
     */
    void relayToCentralSystem(ActorRef<AnchorLedger.Command> ledger, int frames) {
        int relayed = 0;
        while (relayed < frames) {
            PolicyMessage m = concentrator.receiveMessage(Duration.ofSeconds(10));
            if (m instanceof MeterSignals.FrameToCentralSystem f) {
                ledger.tell(new AnchorLedger.FromCsSecurity(f.bytes()));
                relayed++;
            } else if (m instanceof MeterSignals.SwitchReport r) {
                ledger.tell(new AnchorLedger.FromOffSwitchSecurity(r.bytes()));
            }
        }
    }

    /** The next frame the concentrator receives of the given class, skipping others (aggregation shares). */
    <T extends PolicyMessage> T nextAtConcentrator(Class<T> type) {
        return next(concentrator, type);
    }

    /** The next message of the given class at a probe, skipping others. */
    static <T extends PolicyMessage> T next(TestProbe<PolicyMessage> probe, Class<T> type) {
        return next(probe, type, Duration.ofSeconds(5));
    }

    static <T extends PolicyMessage> T next(TestProbe<PolicyMessage> probe, Class<T> type, Duration within) {
        while (true) {
            PolicyMessage m = probe.receiveMessage(within);
            if (type.isInstance(m)) {
                return type.cast(m);
            }
        }
    }

    /** The next reading the central system gets from this meter, skipping other frames (anchors). */
    String nextReadingText() {
        return nextReadingText(Duration.ofSeconds(5));
    }

    String nextReadingText(Duration within) {
        while (true) {
            Opened opened = central.openFromMeter(next(concentrator, MeterSignals.FrameToCentralSystem.class, within).bytes());
            if (opened instanceof Opened.Ok ok && ok.kind() == org.hasm.actors.crypto.FrameKind.READINGS) {
                return new String(ok.plaintext(), StandardCharsets.UTF_8);
            }
        }
    }

    String openReadingText(byte[] frame) {
        Opened opened = central.openFromMeter(frame);
        if (!(opened instanceof Opened.Ok ok)) {
            throw new AssertionError("the central system cannot open the meter's frame: " + opened);
        }
        return new String(ok.plaintext(), StandardCharsets.UTF_8);
    }

    /** The text of the next switch report that is no log anchor (OffSwitchSecurity anchors its switch entries at once). */
    String nextSwitchResult() {
        while (true) {
            Opened opened = central.openSwitchReport(nextAtConcentrator(MeterSignals.SwitchReport.class).bytes());
            if (!(opened instanceof Opened.Ok ok)) {
                throw new AssertionError("the central system cannot open the switch report: " + opened);
            }
            if (ok.kind() != org.hasm.actors.crypto.FrameKind.LOG_ANCHOR) {
                return new String(ok.plaintext(), StandardCharsets.UTF_8);
            }
        }
    }

    String openSwitchReport(byte[] frame) {
        Opened opened = central.openSwitchReport(frame);
        if (!(opened instanceof Opened.Ok ok)) {
            throw new AssertionError("the central system cannot open the switch report: " + opened);
        }
        return new String(ok.plaintext(), StandardCharsets.UTF_8);
    }

    /** The stored entries of one of this meter's segments. */
    List<Segment.Entry> entries(Part segment) {
        // The testkit keeps one store per journal plugin id, just as each segment has its own journal.
        var stored = InMemStorageExtension.get(testKit.system().classicSystem())
                .storageFor(Segment.journalPluginId(segment))
                .tryRead(Segment.persistenceId(segment, meterId).id(), 1, Long.MAX_VALUE, Long.MAX_VALUE);
        return scala.jdk.javaapi.CollectionConverters.asJava(stored).stream()
                .map(repr -> (Segment.Entry) repr.payload()).collect(Collectors.toList());
    }

    /** Every segment's hash chain verifies. */
    void assertChainsIntact() {
        for (Part segment : Part.ofKind(Part.Kind.SEGMENT)) {
            ChainVerifier.Report report = ChainVerifier.verify(meterId, Segment.journalName(segment), entries(segment), List.of());
            if (!report.intact()) {
                throw new AssertionError(segment + " of " + meterId + ": " + report.firstProblem().get());
            }
        }
    }

    /** The entries of one of this meter's segments, as "kind: detail" lines. */
    List<String> journal(Part segment) {
        return entries(segment).stream()
                .map(e -> segment.isLog() || e.key().isEmpty() ? e.kind() + ": " + e.value() : e.key() + "=" + e.value())
                .collect(Collectors.toList());
    }

    /** Waits (by polling the journal through the testkit) until the segment's entries satisfy {@code done}. */
    List<Segment.Entry> awaitEntries(Part segment, Predicate<List<Segment.Entry>> done) {
        AtomicReference<List<Segment.Entry>> found = new AtomicReference<>();
        testKit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
            List<Segment.Entry> entries = entries(segment);
            if (!done.test(entries)) {
                throw new AssertionError("not yet in " + segment + ": " + journal(segment).subList(0, Math.min(5, entries.size())));
            }
            found.set(entries);
            return null;
        });
        return found.get();
    }

    /** Waits (by polling the journal through the testkit) until some entry of the segment matches. */
    String awaitEntry(Part segment, Predicate<String> match) {
        AtomicReference<String> found = new AtomicReference<>();
        testKit.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
            String hit = journal(segment).stream().filter(match).findFirst().orElse(null);
            if (hit == null) {
                throw new AssertionError("no entry in " + segment + " matches; entries: " + journal(segment));
            }
            found.set(hit);
            return null;
        });
        return found.get();
    }
}
