package org.hasm.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyParserTest {
    private static final String GOOD = """
            # a comment line
            Environment -> Clock : TimeSignal   # trailing comment
            Clock → Metrology : Tick
            """;

    @Test
    void readsFlowsCommentsAndBothArrows() throws Exception {
        FlowPolicy policy = PolicyTexts.parse(GOOD);
        assertTrue(policy.allows(Part.Environment, Part.Clock, MessageType.TimeSignal));
        assertTrue(policy.allows(Part.Clock, Part.Metrology, MessageType.Tick));
        assertEquals(2, policy.flows().size());
        assertEquals(3, policy.lineOf(new Flow(Part.Clock, Part.Metrology, MessageType.Tick)));
    }

    @ParameterizedTest(name = "line 3 ''{0}'' -> {1}")
    @CsvSource(delimiter = '|', value = {
            "Clock Metrology Tick                    | malformed line",
            "Clock -> Metrology Tick                 | malformed line",
            "-> Metrology : Tick                     | malformed line",
            "Clockwork -> Metrology : Tick           | unknown part 'Clockwork'",
            "Clock -> Metrologee : Tick              | unknown part 'Metrologee'",
            "Clock -> Display : Tock                 | unknown message type 'Tock'",
            "Clock -> Display : Tick, , SwitchStatus | empty message type",
            "Clock -> Display :                      | no message types",
            "Clock -> Display : KernelWiring         | message type 'KernelWiring' is sent only by the kernel",
            "Clock -> Clock : Tick                   | a part does not send to itself",
            "Environment -> Clock : TimeSignal       | duplicate flow 'Environment -> Clock : TimeSignal' (first allowed on line 1)",
    })
    void everyBadLineIsReportedWithItsNumber(String badLine, String expected) {
        String text = "Environment -> Clock : TimeSignal\n# fine so far\n" + badLine + "\nClock -> Display : Tick\n";
        PolicyFileException e = assertThrows(PolicyFileException.class, () -> PolicyTexts.parse(text));
        assertEquals(3, e.line(), e.getMessage());
        assertTrue(e.problem().startsWith(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith("test-policy.txt:3: "), e.getMessage());
    }

    @Test
    void aFileWithoutFlowsIsRefused() {
        PolicyFileException e = assertThrows(PolicyFileException.class, () -> PolicyTexts.parse("# only comments\n\n"));
        assertTrue(e.problem().contains("allows no flow"), e.getMessage());
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.policy");
        PolicyFileException e = assertThrows(PolicyFileException.class, () -> FlowPolicy.load(missing));
        assertEquals(missing + ": no such file", e.getMessage());
    }

    @Test
    void aUserFileLoadsAndMatchesTheShippedOneWhenCopied(@TempDir Path dir) throws Exception {
        Path copy = dir.resolve("meter.policy");
        Files.writeString(copy, PolicyTexts.shipped());
        assertEquals(FlowPolicy.shipped().flows(), FlowPolicy.load(copy).flows());
    }
}
