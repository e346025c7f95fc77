package org.hasm.actors.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.hasm.actors.meter.OffSwitchLogEntry;
import org.hasm.actors.meter.OffSwitchLogEntry.RemoteCommand;
import org.hasm.actors.meter.OffSwitchLogEntry.SwitchCommand;
import org.hasm.actors.meter.OffSwitchLogEntry.Switched;
import org.hasm.actors.meter.Supply;
import org.hasm.actors.sim.scenario.Action;
import org.hasm.actors.sim.scenario.Expectation;
import org.hasm.actors.sim.scenario.Scenario;
import org.hasm.persistence.ChainVerifier;
import org.hasm.persistence.Segment;
import org.hasm.persistence.jdbc.JournalRows;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.policy.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.hasm.actors.sim.scenario.SimulationSettings;

/**
 * Each shipped scenario, run with its timeline on the embedded database with fewer households, keeps the
 * promises of its {@code expect} block.
 */
class ScenarioOutcomeTest {
    @TempDir
    Path dir;

    private record Run(Scenario scenario, Neighbourhood.Result result, JournalStore store) {
        long expected(Expectation e) {
            return scenario.expected(e).orElseThrow(() -> new AssertionError(scenario.name() + " does not expect " + e.key()));
        }
    }

    private Run run(Scenario scenario) throws Exception {
        JournalStore store = JournalStore.h2(dir.resolve("data"));
        Neighbourhood.Result result = Simulations.run(store, scenario, 4);
        return new Run(scenario, result, store);
    }

    /** The interval a theft event starts in. */
    private static int theftStart(Scenario s) {
        return s.timeline().stream().filter(e -> e.action() instanceof Action.Theft).findFirst()
                .orElseThrow().at().intervalIndex(s.interval());
    }

    /** The last interval a fraud alert covers (it arrives at the end of that interval). */
    private static long alertedInterval(Scenario s, Neighbourhood.Alert a) {
        return (a.time() - SimulationSettings.START) / s.interval().toMillis() - 1;
    }

    private static void assertNoReadingLost(Run run) {
        assertEquals(run.expected(Expectation.READINGS_LOST), run.result().readingsLost(),
                run.result().readings() + " readings of " + run.result().meters() + " meters x " + run.result().intervals());
    }

    /** Every meter's entries of {@code segment} from the database, in order. */
    private static Map<String, List<Segment.Entry>> logs(JournalStore store, Part segment) throws Exception {
        Map<String, List<Segment.Entry>> logs = new TreeMap<>();
        String table = store.qualified(segment, JournalStore.journalTable(segment));
        try (Connection c = store.connect(); PreparedStatement p = c.prepareStatement("SELECT \"persistence_id\", \"event_payload\" FROM "
                + table + " ORDER BY \"persistence_id\", \"sequence_number\"");
                ResultSet r = p.executeQuery()) {
            while (r.next()) {
                String id = r.getString(1);
                logs.computeIfAbsent(id.substring(id.indexOf('|') + 1), k -> new ArrayList<>())
                        .add(JournalRows.entry(id, r.getBytes(2)));
            }
        }
        return logs;
    }

    /**
     * P11: every remote switch command a meter accepted (as its account heard) has its entry in that meter's
     * OffSwitchLog, and every OffSwitchLog chain verifies. Returns the entries lost.
     */
    private static long offSwitchEntriesLost(Run run) throws Exception {
        Map<String, List<Segment.Entry>> logs = logs(run.store(), Part.OffSwitchLog);
        long logged = 0;
        for (var log : logs.entrySet()) {
            ChainVerifier.Report report = ChainVerifier.verify(log.getKey(), Segment.journalName(Part.OffSwitchLog), log.getValue(), List.of());
            assertTrue(report.intact(), log.getKey() + ": " + report.firstProblem());
            logged += log.getValue().stream().filter(e -> e.kind().equals(OffSwitchLogEntry.REMOTE_COMMAND)
                    && RemoteCommand.parse(e.value()).map(RemoteCommand::accepted).orElse(false)).count();
        }
        return Math.max(0, run.result().timeline().remoteSwitchesAccepted() - logged);
    }

    @Test
    void neighbourhoodLosesNoReadingRaisesNoAlertAndSendsTheTariffToEveryMeter() throws Exception {
        Run run = run(Scenario.load("neighbourhood").withMeters(16));
        Neighbourhood.Result r = run.result();
        assertNoReadingLost(run);
        assertEquals(run.expected(Expectation.FALSE_ALERTS), r.fraudAlerts(), r.alerts().toString());
        assertEquals(16, r.timeline().tariffChanges(), "one signed SET_TARIFF per meter");
        assertEquals(Map.of(), r.refusals(), "the central system refused no frame");
        assertEquals(0, r.policyDrops(), "an honest neighbourhood has no policy drops: " + r.drops());
        assertEquals(Map.of(), AnchoredHeads.unanchored(run.store()), "the end of the run anchored every segment's newest entry");
    }

    @Test
    void theftIsAlertedWithinItsBoundAndNotBefore() throws Exception {
        Run run = run(Scenario.load("theft"));
        Scenario s = run.scenario();
        Neighbourhood.Result r = run.result();
        int start = theftStart(s);
        long before = r.alerts().stream().filter(a -> a.kind().equals("fraud") && alertedInterval(s, a) < start).count();
        assertEquals(run.expected(Expectation.FALSE_ALERTS), before, r.alerts().toString());
        long first = r.alerts().stream().filter(a -> a.kind().equals("fraud")).mapToLong(a -> alertedInterval(s, a)).min()
                .orElseThrow(() -> new AssertionError("the theft from interval " + start + " raised no alert"));
        assertTrue(first - start + 1 <= run.expected(Expectation.THEFT_DETECTED_WITHIN_INTERVALS),
                "alerted on interval " + first + " for a theft from interval " + start);
        assertNoReadingLost(run);
    }

    @Test
    void blackoutAttackIsCappedByP16AndEveryAttemptIsLogged() throws Exception {
        // 64 households: "all" is more than one operator may switch off alone, the third request less
        Run run = run(Scenario.load("blackout-attack").withMeters(64));
        Neighbourhood.Timeline t = run.result().timeline();
        List<Neighbourhood.BulkAttempt> requests = t.bulkAttempts().stream().filter(a -> a.action().equals("request")).toList();
        assertTrue(t.bulkAttempts().size() >= run.expected(Expectation.BULK_ATTEMPTS_LOGGED), t.bulkAttempts().toString());
        assertEquals(List.of("HELD_FOR_QUORUM", "HELD_FOR_QUORUM", "EXECUTED"),
                requests.stream().map(Neighbourhood.BulkAttempt::outcome).toList(), requests.toString());
        assertTrue(requests.stream().allMatch(a -> a.operator().equals("mallory")));
        assertEquals(2, run.result().alerts().stream().filter(a -> a.kind().equals("operator gateway")).count(),
                "the held requests are alerts: " + run.result().alerts());
        assertEquals(0, run.result().fraudAlerts());
        long cap = run.expected(Expectation.MAX_SWITCH_OFFS);
        assertEquals(40, t.switchesReleased(), "only the small request went out");
        assertTrue(t.remoteSwitchCommands() <= cap, t.remoteSwitchCommands() + " switch commands");
        assertTrue(t.remoteSwitchesAccepted() <= cap, t.remoteSwitchesAccepted() + " switch-offs");
        assertEquals(run.expected(Expectation.OFF_SWITCH_ENTRIES_LOST), offSwitchEntriesLost(run));
        assertEquals(Map.of(), AnchoredHeads.unanchored(run.store()), "every segment's newest entry is anchored");
    }

    @Test
    void logFloodLosesNoOffSwitchEntry() throws Exception {
        Run run = run(Scenario.load("log-flood").withMeters(16));
        Neighbourhood.Timeline t = run.result().timeline();
        assertEquals(20_000, t.floodCommands());
        assertEquals(1, t.remoteSwitchesAccepted(), "the one-meter switch-off went through: " + t.bulkAttempts());
        List<Segment.Entry> flooded = logs(run.store(), Part.OffSwitchLog).get(Action.meterId(0));
        assertTrue(flooded.stream().anyMatch(e -> e.kind().equals(OffSwitchLogEntry.REMOTE_COMMAND) && RemoteCommand.parse(e.value())
                .filter(RemoteCommand::accepted).flatMap(RemoteCommand::switchCommand).equals(Optional.of(new SwitchCommand(false, 1)))),
                flooded.toString());
        assertTrue(flooded.stream().anyMatch(e -> e.kind().equals(OffSwitchLogEntry.ACTUATION)
                && Switched.parse(e.value()).map(s -> s.supply() == Supply.OFF).orElse(false)), flooded.toString());
        assertEquals(run.expected(Expectation.OFF_SWITCH_ENTRIES_LOST), offSwitchEntriesLost(run));
        // the flood itself is in the SecurityLog: refusals one by one, then counted and folded (P11)
        List<String> security = logs(run.store(), Part.SecurityLog).get(Action.meterId(0)).stream()
                .map(e -> e.kind() + ": " + e.value()).toList();
        assertTrue(security.stream().anyMatch(e -> e.startsWith("frame-refused: ")), security.toString());
        assertTrue(security.stream().anyMatch(e -> e.startsWith("refusals-folded: ") || e.startsWith("quota-")),
                security.subList(Math.max(0, security.size() - 5), security.size()).toString());
        assertNoReadingLost(run);
        assertEquals(Map.of(), AnchoredHeads.unanchored(run.store()), "every segment's newest entry is anchored");
    }

    @Test
    void prepaidWeekBillsEveryDayAndReconnects() throws Exception {
        Run run = run(Scenario.load("prepaid-week").withMeters(16));
        Neighbourhood.Result r = run.result();
        long days = run.expected(Expectation.BILLS_PER_METER);
        r.timeline().billsPerMeter().forEach((meter, bills) -> assertEquals(days, (long) bills, meter));
        assertTrue(r.switchOns() >= run.expected(Expectation.MIN_PREPAID_RECONNECTIONS),
                r.switchOffs() + " cut-offs, " + r.switchOns() + " reconnections");
        assertTrue(r.topUps() >= 2, "the timeline's two top-ups at least");
        assertEquals(16, r.timeline().tariffChanges());
        assertNoReadingLost(run);
    }

    @Test
    void compromisedModulesSendsAreAllDroppedAndCounted() throws Exception {
        Run run = run(Scenario.load("compromised-module").withMeters(16));
        Neighbourhood.Result r = run.result();
        Neighbourhood.Timeline t = r.timeline();
        assertTrue(t.compromisedSends() > 0);
        assertEquals(t.compromisedSends(), r.policyDrops(), "every off-policy send was dropped and counted: " + r.drops());
        assertTrue(r.policyDrops() >= run.expected(Expectation.MIN_POLICY_DROPS));
        assertTrue(r.drops().containsKey(org.hasm.policy.Rule.P1), r.drops().toString());
        assertEquals(run.expected(Expectation.UNAUTHORISED_SWITCH_OFFS), t.unauthorisedSwitchOffs());
        assertNoReadingLost(run);
    }

    @Test
    void tamperingConcentratorsFramesAreAllRefusedByTheCentralSystem() throws Exception {
        Run run = run(Scenario.load("tampering-concentrator").withMeters(16));
        Neighbourhood.Result r = run.result();
        assertEquals(run.expected(Expectation.TAMPERED_FRAMES_DETECTED), r.tamperedFramesDetected(), r.refusals().toString());
        assertEquals(20, r.refusals().get("BAD_TAG"), r.refusals().toString());
        assertEquals(20, r.refusals().get("REPLAYED"), r.refusals().toString());
        assertEquals(run.expected(Expectation.FALSE_ALERTS), r.fraudAlerts());
    }
}
