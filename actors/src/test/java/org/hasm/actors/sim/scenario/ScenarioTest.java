package org.hasm.actors.sim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hasm.actors.sim.scenario.Action.TamperingConcentrator.Mode;
import org.hasm.actors.sim.scenario.Scenario.Aggregation;
import org.hasm.actors.sim.scenario.Scenario.Concentrator;
import org.hasm.policy.Part;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioTest {
    /** The top-level scenarios/ directory, which the actors jar carries as classpath resources. */
    private static final Path SHIPPED = Path.of("..", "scenarios");

    @Test
    void theShippedDirectoryHoldsExactlyTheBuiltInScenarios() throws Exception {
        try (Stream<Path> files = Files.list(SHIPPED)) {
            Set<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".conf"))
                    .map(n -> n.substring(0, n.length() - 5)).collect(Collectors.toSet());
            assertEquals(Set.copyOf(Scenario.BUILT_IN), names);
        }
    }

    @Test
    void byNameAndByFileGiveTheSameScenario() {
        for (String name : Scenario.BUILT_IN) {
            Scenario byName = Scenario.load(name);
            Scenario byFile = Scenario.load(SHIPPED.resolve(name + ".conf").toString());
            assertEquals(name, byName.name());
            assertEquals("scenarios/" + name + ".conf", byName.source());
            assertEquals(withoutSource(byName), withoutSource(byFile), name);
            assertFalse(byName.description().isBlank(), name);
            assertFalse(byName.expect().isEmpty(), name + " promises nothing its test could assert");
        }
    }

    @Test
    void aShippedFileNameWorksFromAnyDirectory() {
        assertEquals("scenarios/theft.conf", Scenario.load("theft.conf").source());
    }

    @Test
    void neighbourhoodIsTheDefaultMixedThousandHouseholdsForOneDay() {
        Scenario s = Scenario.loadDefault();
        assertEquals("neighbourhood", s.name());
        assertEquals(1000, s.meters());
        assertEquals(1, s.days());
        assertEquals(42, s.seed());
        assertEquals(Duration.ofMinutes(15), s.interval());
        assertEquals(96, s.intervals());
        assertTrue(s.speed().asFastAsPossible());
        assertEquals(new Scenario.Shares(0.2, 0.15, 0.4, 0.1), s.shares());
        assertEquals(Aggregation.ZERO_SUM, s.aggregation());
        assertEquals(Concentrator.HONEST, s.concentrator());
        assertEquals(List.of(new Scenario.TimelineEvent(new ScenarioTime(1, 12, 0),
                new Action.TariffChange(15000, 35000, 18, 22))), s.timeline());
        assertEquals(0, s.expected(Expectation.READINGS_LOST).getAsLong());
        assertEquals(0, s.expected(Expectation.FALSE_ALERTS).getAsLong());
        assertEquals(0.2, s.toSettings(4).prepaidShare());
        assertEquals(96, s.toSettings(4).intervals());
    }

    @Test
    void theft() {
        Scenario s = Scenario.load("theft");
        assertEquals(24, s.meters());
        assertEquals(7, s.seed());
        assertEquals(List.of(new Scenario.TimelineEvent(new ScenarioTime(1, 17, 0),
                new Action.Theft(17, 0.6, Optional.of(new ScenarioTime(2, 0, 0))))), s.timeline());
        assertEquals(68, s.timeline().get(0).at().intervalIndex(s.interval()));
        assertEquals(4, s.expected(Expectation.THEFT_DETECTED_WITHIN_INTERVALS).getAsLong());
    }

    @Test
    void blackoutAttack() {
        Scenario s = Scenario.load("blackout-attack");
        assertEquals(1000, s.meters());
        assertEquals(3, s.timeline().size());
        Action.OperatorBulkSwitchOff all = (Action.OperatorBulkSwitchOff) s.timeline().get(0).action();
        assertEquals(Optional.empty(), all.meters());
        assertEquals(1000, all.count(s.meters()));
        assertEquals("mallory", all.operator());
        assertEquals(List.of(), all.approvals());
        assertEquals(40, ((Action.OperatorBulkSwitchOff) s.timeline().get(2).action()).count(s.meters()));
        assertEquals(50, s.expected(Expectation.MAX_SWITCH_OFFS).getAsLong());
        assertEquals(3, s.expected(Expectation.BULK_ATTEMPTS_LOGGED).getAsLong());
        assertEquals(0, s.expected(Expectation.OFF_SWITCH_ENTRIES_LOST).getAsLong());
    }

    @Test
    void logFlood() {
        Scenario s = Scenario.load("log-flood");
        assertEquals(50, s.meters());
        assertEquals(new Action.LogFlood(0, 20_000), s.timeline().get(1).action());
        assertEquals(0, s.expected(Expectation.OFF_SWITCH_ENTRIES_LOST).getAsLong());
    }

    @Test
    void prepaidWeek() {
        Scenario s = Scenario.load("prepaid-week");
        assertEquals(300, s.meters());
        assertEquals(7, s.days());
        assertEquals(7 * 96, s.intervals());
        assertEquals(0.5, s.shares().prepaid());
        assertEquals(new Action.TopUp(0, 2000), s.timeline().get(0).action());
        assertEquals(new Action.TariffChange(12000, 30000, 17, 21), s.timeline().get(2).action());
        assertEquals(30000, ((Action.TariffChange) s.timeline().get(2).action()).tariff().priceAt(18 * 3_600_000L));
        assertEquals(Duration.ofDays(5), s.timeline().get(2).at().sinceStart());
        assertEquals(7, s.expected(Expectation.BILLS_PER_METER).getAsLong());
    }

    @Test
    void compromisedModule() {
        Scenario s = Scenario.load("compromised-module");
        assertEquals(new Action.CompromisedModule(9, Part.Communications), s.timeline().get(0).action());
        assertEquals(new Action.CompromisedModule(12, Part.Computations), s.timeline().get(1).action());
        assertEquals(1, s.expected(Expectation.MIN_POLICY_DROPS).getAsLong());
        assertEquals(0, s.expected(Expectation.UNAUTHORISED_SWITCH_OFFS).getAsLong());
    }

    @Test
    void tamperingConcentrator() {
        Scenario s = Scenario.load("tampering-concentrator");
        assertEquals(Concentrator.TAMPERING, s.concentrator());
        assertEquals(new Action.TamperingConcentrator(Mode.EDIT, 20), s.timeline().get(0).action());
        assertEquals(new Action.TamperingConcentrator(Mode.REPLAY, 20), s.timeline().get(1).action());
        assertEquals(40, s.expected(Expectation.TAMPERED_FRAMES_DETECTED).getAsLong());
    }

    @Test
    void everyShippedScenarioSurvivesJacksonCbor() throws Exception {
        // the modules Pekko's jackson-cbor serializer registers
        var cbor = com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper.builder()
                .addModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module())
                .addModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
                .addModule(new com.fasterxml.jackson.module.paramnames.ParameterNamesModule()).build();
        for (String name : Scenario.BUILT_IN) {
            Scenario s = Scenario.load(name);
            assertEquals(s, cbor.readValue(cbor.writeValueAsBytes(s), Scenario.class), name);
        }
    }

    @Test
    void overridesApplyOnTopAndAreCheckedAgain() {
        Scenario s = Scenario.load("prepaid-week").withMeters(20).withSeed(99);
        assertEquals(20, s.meters());
        assertEquals(99, s.seed());
        assertEquals(7, s.days());

        ScenarioException fewerDays = assertThrows(ScenarioException.class, () -> Scenario.load("prepaid-week").withDays(2));
        assertEquals("scenarios/prepaid-week.conf with --days 2: timeline[1].at: day 3 19:30 is after the end of the run (2 days)",
                fewerDays.getMessage());
        ScenarioException fewerMeters = assertThrows(ScenarioException.class, () -> Scenario.load("theft").withMeters(10));
        assertEquals("scenarios/theft.conf with --meters 10: timeline[0].meter: expected a meter number from 0 to 9, got 17",
                fewerMeters.getMessage());
    }

    @Test
    void timelineIsInTimeOrder(@TempDir Path dir) throws Exception {
        Path f = write(dir, """
                meters = 10
                days = 2
                timeline = [
                  { at = "day 2 01:00", action = top-up, meter = 1, cents = 100 }
                  { at = "day 1 23:45", action = top-up, meter = 2, cents = 100 }
                ]
                """);
        Scenario s = Scenario.load(f.toString());
        assertEquals("s", s.name());
        assertEquals(List.of(new ScenarioTime(1, 23, 45), new ScenarioTime(2, 1, 0)),
                s.timeline().stream().map(Scenario.TimelineEvent::at).toList());
    }

    // -- bad input: one line each, naming the file, the line, the path and what was expected

    @Test
    void unknownNameListsTheKnownOnes() {
        ScenarioException e = assertThrows(ScenarioException.class, () -> Scenario.load("thef"));
        assertEquals("--scenario thef: no such file, and no such scenario; known: blackout-attack, compromised-module,"
                + " log-flood, neighbourhood, prepaid-week, tampering-concentrator, theft", e.getMessage());
    }

    @Test
    void missingFile(@TempDir Path dir) {
        String f = dir.resolve("nope.conf").toString();
        ScenarioException e = assertThrows(ScenarioException.class, () -> Scenario.load(f));
        assertOneLine(e, "--scenario " + f + ": no such file, and no such scenario; known: ");
    }

    @Test
    void hoconSyntaxErrorGivesItsLine(@TempDir Path dir) throws Exception {
        Path f = write(dir, "meters = 10\ntimeline = [\n  { at = \"day 1 10:00\", action = top-up\n]\n");
        ScenarioException e = assertThrows(ScenarioException.class, () -> Scenario.load(f.toString()));
        assertOneLine(e, f + ":4: not valid HOCON: ");
        assertEquals(4, e.line());
    }

    @Test
    void unknownAction(@TempDir Path dir) throws Exception {
        Path f = write(dir, "meters = 10\ntimeline = [\n  { at = \"day 1 10:00\", action = switch-everything-off }\n]\n");
        ScenarioException e = assertThrows(ScenarioException.class, () -> Scenario.load(f.toString()));
        assertEquals(f + ":3: timeline[0].action: expected one of operator-bulk-switch-off, theft, log-flood, top-up,"
                + " tariff-change, compromised-module, tampering-concentrator, got \"switch-everything-off\"", e.getMessage());
    }

    @Test
    void badTime(@TempDir Path dir) throws Exception {
        Path f = write(dir, "meters = 10\ntimeline = [\n  { at = \"tomorrow 18:00\", action = top-up, meter = 1, cents = 5 }\n]\n");
        ScenarioException e = assertThrows(ScenarioException.class, () -> Scenario.load(f.toString()));
        assertEquals(f + ":3: timeline[0].at: expected a time like \"day 1 18:00\" (day from 1, hour 0-23), got \"tomorrow 18:00\"",
                e.getMessage());
        Path g = write(dir, "timeline = [ { at = \"day 1 24:00\", action = top-up, meter = 1, cents = 5 } ]\n");
        assertOneLine(assertThrows(ScenarioException.class, () -> Scenario.load(g.toString())), g + ":1: timeline[0].at: expected a time");
    }

    @Test
    void timeAfterTheEndOfTheRun(@TempDir Path dir) throws Exception {
        Path f = write(dir, """
                meters = 10
                days = 1
                timeline = [
                  { at = "day 1 10:00", action = top-up, meter = 1, cents = 5 }
                  { at = "day 2 10:00", action = log-flood, meter = 1, commands = 5 }
                ]
                """);
        ScenarioException e = assertThrows(ScenarioException.class, () -> Scenario.load(f.toString()));
        assertEquals(f + ":5: timeline[1].at: day 2 10:00 is after the end of the run (1 day)", e.getMessage());
    }

    @Test
    void negativeMeters(@TempDir Path dir) throws Exception {
        Path f = write(dir, "name = x\n\nmeters = -5\n");
        ScenarioException e = assertThrows(ScenarioException.class, () -> Scenario.load(f.toString()));
        assertEquals(f + ":3: meters: expected 1 to 100,000 households, got -5", e.getMessage());
    }

    @Test
    void wrongTypesAndUnknownKeys(@TempDir Path dir) throws Exception {
        assertMessage(dir, "meters = lots\n", ":1: meters: expected a whole number, got \"lots\"");
        assertMessage(dir, "meter = 5\n", ":1: meter: unknown key; expected one of aggregation, concentrator, days,"
                + " description, expect, interval, meters, name, seed, shares, speed, timeline");
        assertMessage(dir, "shares { prepaid = 1.5 }\n", ":1: shares.prepaid: expected a share from 0 to 1, got 1.5");
        assertMessage(dir, "aggregation = rsa\n", ":1: aggregation: expected one of zero-sum, paillier, got \"rsa\"");
        assertMessage(dir, "speed = fast\n", ":1: speed: expected as-fast-as-possible or a factor above 0 (simulated seconds"
                + " per second), got \"fast\"");
        assertMessage(dir, "interval = 7 minutes\n", ":1: interval: expected an interval of whole minutes that divides a day,"
                + " like 15 minutes, got 7 minutes");
        assertMessage(dir, "expect { max-switchoffs = 5 }\n", ":1: expect.max-switchoffs: unknown key; expected one of ");
        assertMessage(dir, "timeline = { at = 1 }\n", ":1: timeline: expected a list");
        assertMessage(dir, "meters = 10\ntimeline = [ { at = \"day 1 10:00\", action = theft, meter = 10, fraction = 0.5 } ]\n",
                ":2: timeline[0].meter: expected a meter number from 0 to 9, got 10");
        assertMessage(dir, "timeline = [ { at = \"day 1 10:00\", action = theft, meter = 1, fraction = 0.5, until = \"day 1 09:00\" } ]\n",
                ":1: timeline[0].until: day 1 09:00 is not after the theft starts (day 1 10:00)");
        assertMessage(dir, "timeline = [ { at = \"day 1 10:00\", action = theft, meter = 1 } ]\n",
                ":1: timeline[0].fraction: expected a number, got nothing");
        assertMessage(dir, "timeline = [ { at = \"day 1 10:00\", action = log-flood, meter = 1, commands = 5, speed = 3 } ]\n",
                ":1: timeline[0].speed: unknown key; expected one of action, at, commands, meter");
        assertMessage(dir, "timeline = [ { at = \"day 1 10:00\", action = compromised-module, meter = 1, part = Clock } ]\n",
                ":1: timeline[0].part: expected one of Communications, Computations, CreditBalance, CsSecurity, DcSecurity,"
                        + " OffSwitchSecurity, got \"Clock\"");
        assertMessage(dir, "timeline = [ { at = \"day 1 10:00\", action = tampering-concentrator, mode = edit, count = 3 } ]\n",
                ":1: timeline[0].action: tampering-concentrator needs concentrator = tampering at the top of the file");
        assertMessage(dir, "meters = 10\ntimeline = [ { at = \"day 1 10:00\", action = operator-bulk-switch-off, meters = 11,"
                + " operator = eve } ]\n", ":2: timeline[0].meters: expected all or 1 to 10 meters, got 11");
        assertMessage(dir, "timeline = [ { at = \"day 1 10:00\", action = operator-bulk-switch-off, meters = all,"
                + " operator = eve, approvals = [eve] } ]\n", ":1: timeline[0].approvals: the operator eve cannot approve their own request");
    }

    private static void assertMessage(Path dir, String text, String expectedAfterFile) throws Exception {
        Path f = write(dir, text);
        ScenarioException e = assertThrows(ScenarioException.class, () -> Scenario.load(f.toString()), text);
        assertOneLine(e, f + expectedAfterFile);
    }

    private static void assertOneLine(ScenarioException e, String prefix) {
        assertTrue(e.getMessage().startsWith(prefix), () -> "expected a message starting with\n  " + prefix + "\nbut was\n  " + e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    private static Scenario withoutSource(Scenario s) {
        return new Scenario(s.name(), s.description(), "", s.meters(), s.days(), s.seed(), s.interval(), s.speed(), s.shares(),
                s.aggregation(), s.concentrator(), s.timeline(), s.expect());
    }

    private static Path write(Path dir, String text) throws Exception {
        return Files.writeString(dir.resolve("s.conf"), text);
    }
}
