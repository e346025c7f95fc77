package org.hasm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.hasm.policy.FlowPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 20, item 8: a policy that keeps the safety rules but lacks a flow a part needs used to pass
 * {@code policy verify} and hang {@code simulate}. Now verify names the use case and the flow, and
 * simulate refuses the policy in one line before anything starts.
 */
class IncompletePolicyCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int hasm(String... args) {
        return HasmCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    /** The shipped policy less one line, the removed flows, the part that needs them and the use cases that fail. */
    static Stream<Arguments> examples() {
        return Stream.of(
                Arguments.of("OffSwitchSecurity -> OffSwitch   : Actuate",
                        "OffSwitchSecurity -> OffSwitch : Actuate", "OffSwitchSecurity", new String[] {"U7", "U8", "U9", "U10"}),
                Arguments.of("Computations -> MetrologyLog     : AppendEntry, ReadSegment",
                        "Computations -> MetrologyLog : AppendEntry", "Computations", new String[] {"U1", "U3", "U6", "U12"}));
    }

    private static Path without(Path dir, String line) throws Exception {
        String shipped;
        try (var in = FlowPolicy.class.getResourceAsStream(FlowPolicy.SHIPPED_RESOURCE)) {
            shipped = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        assertTrue(shipped.lines().anyMatch(line::equals), "the shipped policy has the line " + line);
        Path file = dir.resolve("incomplete.policy");
        Files.writeString(file, shipped.lines().filter(l -> !l.equals(line)).reduce("", (a, b) -> a + b + "\n"));
        return file;
    }

    @ParameterizedTest(name = "without {0}")
    @MethodSource("examples")
    void verifyFailsTheUseCasesThatLackTheFlowAndNamesIt(String line, String flow, String part, String[] useCases,
                                                         @TempDir Path dir) throws Exception {
        Path file = without(dir, line);

        assertEquals(HasmCommand.CHECK_FAILED, hasm("policy", "verify", "--policy", file.toString()));
        String text = out.toString();
        assertTrue(text.contains("all 10 rules hold"), text);
        for (String u : useCases) {
            assertTrue(text.lines().anyMatch(l -> l.startsWith(String.format("%-4s FAILS ", u))), u + " fails:\n" + text);
        }
        assertEquals(useCases.length, text.lines().filter(l -> l.matches("U\\d+ +FAILS .*")).count(), text);
        assertEquals(useCases.length, text.lines().filter(l -> l.trim().equals("lacks: " + flow)).count(), text);
        assertTrue(text.contains(useCases.length + " of 18 use cases lack their path"), text);
        assertEquals("", err.toString());
    }

    @ParameterizedTest(name = "without {0}")
    @MethodSource("examples")
    void simulateRefusesThePolicyInOneLineBeforeAnythingStarts(String line, String flow, String part, String[] useCases,
                                                               @TempDir Path dir) throws Exception {
        Path file = without(dir, line);
        Path data = dir.resolve("data");

        int exit = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> hasm("simulate", "--policy", file.toString(),
                "--meters", "2", "--data", data.toString(), "--report", dir.resolve("report").toString()));

        assertEquals(HasmCommand.USAGE, exit, err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("hasm: the policy lacks " + flow + ", which " + part + " needs (use case "
                + useCases[0] + ", "), err.toString());
        assertFalse(err.toString().contains("Exception") || out.toString().contains("Exception"), err + "\n" + out);
        assertFalse(Files.exists(data), "nothing was started, not even the store");
    }

    @Test
    void theShippedPolicyHasEveryUseCasesPath() {
        assertEquals(0, hasm("policy", "verify"));
        assertEquals(18, out.toString().lines().filter(l -> l.matches("U\\d+ +HOLDS .*")).count(), out.toString());
        assertTrue(out.toString().contains("all 18 use cases have their path"), out.toString());
    }

    @Test
    void aFlowOnlyTheHarnessSendsIsRefusedByTheUseCaseCheck(@TempDir Path dir) throws Exception {
        // no part sends it (the consumer's finger does), so only the completeness check can miss it
        Path file = without(dir, "Environment -> Display           : ButtonPress");
        assertEquals(HasmCommand.USAGE, hasm("simulate", "--policy", file.toString(), "--meters", "2",
                "--data", dir.resolve("data").toString()));
        assertEquals("hasm: the policy lacks Environment -> Display : ButtonPress, which use case U9 (off-switch: local"
                + " switch-on after a top-up) needs; see 'hasm policy verify --policy " + file + "'", err.toString().trim());
    }
}
