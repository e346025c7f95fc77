package org.hasm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.StreamSupport;
import org.hasm.actors.forensics.ForensicTime;
import org.hasm.actors.fleet.NeighbourhoodPlan;
import org.hasm.actors.meter.CreditBalance;
import org.hasm.actors.meter.OffSwitchLogEntry;
import org.hasm.actors.meter.OffSwitchLogEntry.Switched;
import org.hasm.actors.meter.SecurityLogEntry;
import org.hasm.actors.meter.Supply;
import org.hasm.actors.sim.Simulations;
import org.hasm.actors.sim.scenario.Action;
import org.hasm.actors.sim.scenario.Scenario;
import org.hasm.persistence.Segment;
import org.hasm.persistence.jdbc.JournalRows;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.policy.Part;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.hasm.actors.sim.scenario.SimulationSettings;

/**
 * {@code hasm replay timeline, state, explain} on the logs small simulations left on H2: after an honest run
 * every change has its cause; the attack scenarios leave the trail they should; a cause removed from the
 * central system's journal makes the change unexplained; bad arguments are one line and exit 2.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayForensicsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    /** The default scenario with enough prepaid households that some run out, top up and reconnect (ReproducibilityTest). */
    private Path neighbourhood;

    private StringWriter out;
    private StringWriter err;

    @BeforeAll
    void simulate() throws Exception {
        neighbourhood = simulate("neighbourhood", Scenario.load("neighbourhood").withMeters(24));
    }

    private Path simulate(String name, Scenario scenario) throws Exception {
        Path data = dir.resolve(name);
        JournalStore store = JournalStore.h2(data);
        Simulations.run(store, scenario, 4);
        return data;
    }

    private int hasm(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return HasmCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    private JsonNode json(int expectedExit, String... args) throws Exception {
        assertEquals(expectedExit, hasm(args), err.toString() + out);
        return JSON.readTree(out.toString());
    }

    /** Every meter's entries of one segment, straight from the journal table (not through the code under test). */
    private static Map<String, List<Segment.Entry>> entries(Path data, Part segment) throws Exception {
        JournalStore store = JournalStore.h2(data).readOnly();
        Map<String, List<Segment.Entry>> logs = new TreeMap<>();
        try (Connection c = store.connect(); PreparedStatement p = c.prepareStatement("SELECT \"persistence_id\", \"event_payload\" FROM "
                + store.qualified(segment, JournalStore.journalTable(segment)) + " ORDER BY \"persistence_id\", \"sequence_number\"");
                ResultSet r = p.executeQuery()) {
            while (r.next()) {
                String id = r.getString(1);
                logs.computeIfAbsent(id.substring(id.indexOf('|') + 1), k -> new ArrayList<>()).add(JournalRows.entry(id, r.getBytes(2)));
            }
        }
        return logs;
    }

    /** A SecurityLog entry of a top-up token the meter accepted. */
    private static boolean acceptedTopUp(Segment.Entry e) {
        return e.kind().equals(SecurityLogEntry.TOP_UP) && SecurityLogEntry.TopUp.parse(e.value()).map(SecurityLogEntry.TopUp::accepted).orElse(false);
    }

    private static long count(Map<String, List<Segment.Entry>> logs, Set<String> kinds) {
        return logs.values().stream().flatMap(List::stream).filter(e -> kinds.contains(e.kind())).count();
    }

    private static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    @Test
    void afterASimulationEveryChangeHasItsCause() throws Exception {
        JsonNode all = json(0, "replay", "explain", "--all", "--data", neighbourhood.toString(), "--format", "json");
        assertEquals(0, all.get("unexplained").asLong(), all.toPrettyString());
        assertEquals(24, all.get("meters").asInt());
        JsonNode byCategory = all.get("changesByCategory");
        // every actuation and arming, every tariff written: as many findings as the tables hold entries
        long switches = count(entries(neighbourhood, Part.OffSwitchLog), Set.of(OffSwitchLogEntry.ACTUATION, OffSwitchLogEntry.ARMED));
        assertTrue(switches > 0, "the run cut off and re-armed prepaid households");
        assertEquals(switches, byCategory.get("switch").asLong(), byCategory.toString());
        assertEquals(count(entries(neighbourhood, Part.Tariffs), Set.of("store")), byCategory.get("tariff").asLong());
        assertTrue(byCategory.get("credit").asLong() > 0, byCategory.toString());
    }

    @Test
    void stateAfterATopUpShowsTheCreditTheCreditStoreHeldThen() throws Exception {
        Map<String, List<Segment.Entry>> security = entries(neighbourhood, Part.SecurityLog);
        Map<String, List<Segment.Entry>> credit = entries(neighbourhood, Part.CreditStore);
        // the latest top-up of the run: the credit has moved since the household's first one
        Map.Entry<String, Segment.Entry> topUp = security.entrySet().stream()
                .flatMap(m -> m.getValue().stream().filter(ReplayForensicsTest::acceptedTopUp)
                        .map(e -> Map.entry(m.getKey(), e)))
                .max(java.util.Comparator.comparingLong(t -> t.getValue().time()))
                .orElseThrow(() -> new AssertionError("no top-up during the run"));
        String meter = topUp.getKey();
        long at = topUp.getValue().time();
        long expected = credit.get(meter).stream().filter(e -> e.key().equals(CreditBalance.CREDIT) && e.time() <= at)
                .reduce((a, b) -> b).map(e -> Long.parseLong(e.value())).orElseThrow();
        JsonNode state = json(0, "replay", "state", "--meter", meter, "--at", ForensicTime.show(at), "--data", neighbourhood.toString(),
                "--format", "json");
        assertEquals(expected, state.get("meter").get("creditMilliCents").asLong(), state.toPrettyString());
        JsonNode securityLog = list(state.get("segments")).stream().filter(s -> s.get("segment").asText().equals("security-log"))
                .findFirst().orElseThrow();
        assertTrue(securityLog.get("lastSeq").asLong() >= topUp.getValue().seq(), "the top-up's entry is replayed: " + securityLog);
        long tokens = security.get(meter).stream().filter(e -> acceptedTopUp(e) && e.time() <= at).count();
        assertEquals(tokens, state.get("central").get("topUpTokens").asLong(), "the central system issued each token the meter accepted");
    }

    @Test
    void timelineMergesTheChosenSourcesInTimeOrderWithinTheWindow() throws Exception {
        String meter = Action.meterId(0);
        long from = ForensicTime.parse("day 1 11:00").orElseThrow();
        // the tariff change is issued at 12:00 and logged at the meter's time then, which with four intervals in
        // flight can be up to an hour later
        long to = ForensicTime.parse("2026-01-01T14:00:00Z").orElseThrow();
        JsonNode timeline = json(0, "replay", "timeline", "--meter", meter, "--from", "day 1 11:00", "--to", "2026-01-01T14:00:00Z",
                "--segment", "tariffs,central", "--segment", "metrology-log", "--data", neighbourhood.toString(), "--format", "json");
        List<JsonNode> rows = list(timeline.get("rows"));
        long previous = Long.MIN_VALUE;
        for (JsonNode r : rows) {
            long t = r.get("time").asLong();
            assertTrue(t >= from && t <= to && t >= previous, r.toString());
            assertTrue(Set.of("tariffs", "central", "metrology-log").contains(r.get("source").asText()), r.toString());
            previous = t;
        }
        long readings = entries(neighbourhood, Part.MetrologyLog).get(meter).stream().filter(e -> e.time() >= from && e.time() <= to).count();
        long tariffs = entries(neighbourhood, Part.Tariffs).get(meter).stream().filter(e -> e.time() >= from && e.time() <= to).count();
        assertEquals(readings, rows.stream().filter(r -> r.get("source").asText().equals("metrology-log")).count());
        assertEquals(tariffs, rows.stream().filter(r -> r.get("source").asText().equals("tariffs")).count());
        assertTrue(tariffs > 0, "the scenario's tariff change falls in the window");
        assertTrue(rows.stream().anyMatch(r -> r.get("kind").asText().equals("CommandIssued") && r.get("value").asText().startsWith("SET_TARIFF")),
                "the central system's signed tariff update is beside the meter's entry");
    }

    @Test
    void htmlIsOneSelfContainedPage() throws Exception {
        assertEquals(0, hasm("replay", "explain", "--meter", Action.meterId(1), "--data", neighbourhood.toString(), "--format", "html"));
        String html = out.toString();
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.strip().endsWith("</html>"), html);
        assertFalse(html.contains("<script") || html.contains("http:") || html.contains("https:"), "nothing to fetch");
    }

    @Test
    void aTopUpTheCentralSystemNeverIssuedIsUnexplained() throws Exception {
        Path copy = Files.createDirectories(dir.resolve("tampered"));
        Files.copy(neighbourhood.resolve(JournalStore.H2_DATABASE_NAME + ".mv.db"), copy.resolve(JournalStore.H2_DATABASE_NAME + ".mv.db"));
        Map<String, List<Segment.Entry>> security = entries(copy, Part.SecurityLog);
        String meter = security.entrySet().stream().filter(m -> m.getValue().stream().anyMatch(e -> e.kind().equals(SecurityLogEntry.TOP_UP)))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        long topUps = security.get(meter).stream().filter(ReplayForensicsTest::acceptedTopUp).count();
        JournalStore store = JournalStore.h2(copy);
        try (Connection c = store.connect(); Statement s = c.createStatement()) {
            int deleted = s.executeUpdate("DELETE FROM " + store.qualified(JournalStore.Journal.central(JournalStore.CENTRAL_ACCOUNTS),
                    "central_accounts_journal") + " WHERE \"persistence_id\" = 'MeterAccount|" + meter
                    + "' AND \"event_ser_manifest\" LIKE '%TopUpTokenIssued'");
            assertEquals(topUps, deleted, "one issued token per accepted top-up");
        }
        JsonNode explained = json(HasmCommand.CHECK_FAILED, "replay", "explain", "--meter", meter, "--data", copy.toString(), "--format", "json");
        List<JsonNode> unexplained = list(explained.get("findings")).stream().filter(f -> f.get("verdict").asText().equals("UNEXPLAINED")).toList();
        assertEquals(topUps, unexplained.size(), explained.toPrettyString());
        assertTrue(unexplained.stream().allMatch(f -> f.get("category").asText().equals("credit")
                && f.get("because").toString().contains("never issued top-up token")), unexplained.toString());
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo() throws Exception {
        String data = neighbourhood.toString();
        List<String[]> bad = List.of(
                new String[] {"replay", "explain", "--meter", "m99999", "--data", data},
                new String[] {"replay", "state", "--meter", Action.meterId(0), "--at", "day 9 00:00", "--data", data},
                new String[] {"replay", "state", "--meter", Action.meterId(0), "--at", "noon", "--data", data},
                new String[] {"replay", "timeline", "--meter", Action.meterId(0), "--data", dir.resolve("nothing-here").toString()},
                new String[] {"replay", "timeline", "--meter", Action.meterId(0), "--segment", "off-switch", "--data", data},
                new String[] {"replay", "explain", "--data", data});
        List<String> expected = List.of("unknown meter 'm99999'", "is outside the log of " + Action.meterId(0), "'noon' is not a time",
                "no simulation data in", "--segment 'off-switch' is not one of", "Missing required argument");
        for (int i = 0; i < bad.size(); i++) {
            assertEquals(HasmCommand.USAGE, hasm(bad.get(i)), String.join(" ", bad.get(i)) + ": " + err);
            String first = err.toString().lines().findFirst().orElse("");
            assertTrue(first.contains(expected.get(i)), first);
            // the one line, plus picocli's pointer to --help for a malformed command line
            assertTrue(err.toString().lines().count() <= 2 && !err.toString().contains("\tat "), err.toString());
        }
    }

    @Test
    void blackoutAttackSwitchOffsEachFollowTheOneRequestTheGatewayLetThrough() throws Exception {
        Scenario scenario = Scenario.load("blackout-attack").withMeters(64);
        Path data = simulate("blackout", scenario);
        JsonNode all = json(0, "replay", "explain", "--all", "--data", data.toString(), "--format", "json");
        assertEquals(0, all.get("unexplained").asLong(), all.toPrettyString());
        long offs = entries(data, Part.OffSwitchLog).values().stream().flatMap(List::stream)
                .filter(e -> e.kind().equals(OffSwitchLogEntry.ACTUATION) && Switched.parse(e.value())
                        .map(o -> o.supply() == Supply.OFF && o.remoteCommand().isPresent()).orElse(false)).count();
        assertTrue(offs > 0, "the small request switched meters off");
        // per meter: what it names; the two requests for all meters waited for a quorum that never came
        long linked = 0;
        for (JsonNode m : list(all.get("meterFindings"))) {
            List<JsonNode> requests = list(m.get("trail")).stream().filter(n -> n.get("source").asText().equals("gateway")).toList();
            assertEquals(2, requests.stream().filter(n -> n.get("kind").asText().equals("operator request not executed")
                    && n.get("detail").asText().contains("HELD_FOR_QUORUM")).count(), m.toPrettyString());
            linked += requests.stream().filter(n -> n.get("kind").asText().equals("operator request executed")).count();
        }
        assertEquals(64, all.get("meterFindings").size());
        assertEquals(offs, linked, "each switched-off meter was named by the executed request");
        // and one meter in full: the actuation goes back to the command and the request behind it
        JsonNode one = json(0, "replay", "explain", "--meter", Action.meterId(0), "--data", data.toString(), "--format", "json");
        JsonNode off = list(one.get("findings")).stream().filter(f -> f.get("what").asText().startsWith("actuation OFF (remote command"))
                .findFirst().orElseThrow(() -> new AssertionError(one.toPrettyString()));
        assertEquals("EXPLAINED", off.get("verdict").asText());
        assertTrue(off.get("because").toString().contains("EXECUTED"), off.toPrettyString());
    }

    @Test
    void logFloodsFoldedSummariesAccountForEveryForgedCommand() throws Exception {
        Scenario scenario = Scenario.load("log-flood").withMeters(16);
        Path data = simulate("log-flood", scenario);
        long commands = scenario.timeline().stream().filter(e -> e.action() instanceof Action.LogFlood)
                .mapToLong(e -> ((Action.LogFlood) e.action()).commands()).sum();
        JsonNode flooded = json(0, "replay", "explain", "--meter", Action.meterId(0), "--data", data.toString(), "--format", "json");
        List<JsonNode> trail = list(flooded.get("trail")).stream().filter(n -> n.get("source").asText().equals("security-log")).toList();
        assertTrue(trail.stream().anyMatch(n -> n.get("kind").asText().equals("refusals-folded")), trail.toString());
        long refused = trail.stream().filter(n -> Set.of("refusals-folded", "refused frame-refused", Segment.QUOTA_SUPPRESSED)
                .contains(n.get("kind").asText())).mapToLong(n -> n.get("count").asLong()).sum();
        assertEquals(commands, refused, "logged one by one or counted in a summary: " + trail);
        JsonNode off = list(flooded.get("findings")).stream().filter(f -> f.get("what").asText().startsWith("actuation OFF"))
                .findFirst().orElseThrow(() -> new AssertionError(flooded.toPrettyString()));
        assertEquals("EXPLAINED", off.get("verdict").asText(), off.toPrettyString());
    }

    @Test
    void theftLeavesTheMetersOwnLogsConsistentAndTheFraudAlertInTheCentralSystemsJournal() throws Exception {
        Scenario theft = Scenario.load("theft");
        Path data = simulate("theft", theft);
        // the energy goes around the meter: nothing in its logs changes without a cause
        JsonNode all = json(0, "replay", "explain", "--all", "--data", data.toString(), "--format", "json");
        assertEquals(0, all.get("unexplained").asLong(), all.toPrettyString());

        // the concentrator's alert is in the store, on the central system's own journal
        JournalStore store = JournalStore.h2(data).readOnly();
        JournalStore.Journal alertsJournal = JournalStore.Journal.central(JournalStore.CENTRAL_ALERTS);
        long rows;
        try (Connection c = store.connect(); Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM "
                + store.qualified(alertsJournal, alertsJournal.journalTable()) + " WHERE \"persistence_id\" = 'FraudAlertLedger|"
                + NeighbourhoodPlan.CONCENTRATOR + "'")) {
            r.next();
            rows = r.getLong(1);
        }
        List<JsonNode> alerts = list(all.get("fraudAlerts"));
        assertEquals(rows, alerts.size(), all.toPrettyString());
        assertFalse(alerts.isEmpty(), "the theft was alerted");

        // the first alert's window starts no earlier than the theft and ends within the scenario's bound
        Scenario.TimelineEvent stealing = theft.timeline().get(0);
        long interval = theft.interval().toMillis();
        long theftStart = org.hasm.actors.sim.scenario.SimulationSettings.START + stealing.at().sinceStart().toMillis();
        long bound = theft.expected(org.hasm.actors.sim.scenario.Expectation.THEFT_DETECTED_WITHIN_INTERVALS).orElseThrow();
        JsonNode first = alerts.get(0);
        assertTrue(first.get("verified").asBoolean(), first.toPrettyString());
        assertEquals(NeighbourhoodPlan.CONCENTRATOR, first.get("concentratorId").asText());
        long from = ForensicTime.parse(first.get("from").asText()).orElseThrow();
        long to = ForensicTime.parse(first.get("to").asText()).orElseThrow();
        assertTrue(from >= theftStart, "no alert before the theft: " + first);
        assertTrue(to <= theftStart + bound * interval, "alerted within " + bound + " intervals: " + first);
        assertTrue(first.get("feederWh").asLong() > first.get("aggregateWh").asLong(), first.toPrettyString());

        // and the household's own explanation shows it in its trail, with the same window
        String meter = Action.meterId(((Action.Theft) stealing.action()).meter());
        JsonNode one = json(0, "replay", "explain", "--meter", meter, "--data", data.toString(), "--format", "json");
        JsonNode note = list(one.get("trail")).stream().filter(n -> n.get("kind").asText().equals("fraud alert")).findFirst()
                .orElseThrow(() -> new AssertionError(one.toPrettyString()));
        assertEquals(first.get("from").asText(), note.get("first").asText());
        assertEquals(first.get("to").asText(), note.get("last").asText());
        // the timeline shows it as a central row, when it was raised: at the end of its window
        JsonNode timeline = json(0, "replay", "timeline", "--meter", meter, "--segment", "central", "--data", data.toString(),
                "--format", "json");
        JsonNode row = list(timeline.get("rows")).stream().filter(r -> r.get("kind").asText().equals("fraud-alert")).findFirst()
                .orElseThrow(() -> new AssertionError(timeline.toPrettyString()));
        assertEquals(to, row.get("time").asLong());

        // a store written before the central system kept alerts has no such journal: said once, not a failure
        JournalStore writable = JournalStore.h2(data);
        try (Connection c = writable.connect(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE " + writable.qualified(alertsJournal, alertsJournal.journalTable()) + " CASCADE");
        }
        assertEquals(0, hasm("replay", "explain", "--all", "--data", data.toString()), err.toString() + out);
        assertTrue(out.toString().contains("no central-alerts journal"), out.toString());
    }

    @Test
    void stateShowsTheLastReadingsIntervalAsInstantsLikeTheOtherViews() {
        assertEquals(0, hasm("replay", "state", "--meter", Action.meterId(0), "--at", "day 1 18:00", "--data",
                neighbourhood.toString()), err.toString());
        String line = out.toString().lines().filter(l -> l.strip().startsWith("last reading")).findFirst()
                .orElseThrow(() -> new AssertionError(out.toString()));
        assertTrue(line.contains("2026-01-01T17:45:00Z..2026-01-01T18:00:00Z import="), line);
        assertFalse(line.matches(".*\\b1\\d{12}\\b.*"), "no epoch milliseconds: " + line);
    }
}
