package org.hasm.policy.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hasm.policy.Flow;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.Part;
import org.hasm.policy.PolicyFileException;
import org.hasm.policy.PolicyTexts;
import org.hasm.policy.Rule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PolicyVerifierTest {

    @Test
    void theShippedPolicyProvesEveryStaticRule() {
        List<RuleVerdict> verdicts = new PolicyVerifier(FlowPolicy.shipped()).verifyAll();
        assertEquals(10, verdicts.size());
        for (RuleVerdict v : verdicts) {
            assertTrue(v.holds(), v.rule() + " fails on the shipped policy: " + v.detail() + " " + v.path());
        }
    }

    /** One line added to the shipped policy, and exactly the rules it must break. */
    static Stream<Arguments> mutations() {
        return Stream.of(
                Arguments.of("Computations -> Display : *", EnumSet.of(Rule.P1)),
                Arguments.of("CsSecurity -> OffSwitch : Actuate", EnumSet.of(Rule.P2, Rule.P3)),
                Arguments.of("CreditBalance -> OffSwitch : ZeroCredit", EnumSet.of(Rule.P2, Rule.P3)),
                Arguments.of("CreditBalance -> OffSwitchSecurity : SwitchCommandFrame", EnumSet.of(Rule.P3)),
                Arguments.of("TopUpGateway -> CreditBalance : TopUpToken", EnumSet.of(Rule.P4)),
                Arguments.of("Communications -> CreditBalance : TopUpToken", EnumSet.of(Rule.P5)),
                Arguments.of("Computations -> Communications : ReadingReport", EnumSet.of(Rule.P6)),
                Arguments.of("HanGateway -> Communications : ConsumptionFeedback", EnumSet.of(Rule.P7)),
                Arguments.of("Communications -> HanGateway : CsFrame", EnumSet.of(Rule.P7)),
                Arguments.of("Computations -> SecurityLog : AppendEntry", EnumSet.of(Rule.P8)),
                Arguments.of("CsSecurity -> DcSecurity : ReadingReport", EnumSet.of(Rule.P9)),
                Arguments.of("Computations -> OffSwitchSecurity : ZeroCredit", EnumSet.of(Rule.P10)));
    }

    @ParameterizedTest(name = "{0} breaks {1}")
    @MethodSource("mutations")
    void aMutatedPolicyBreaksExactlyTheExpectedRules(String extraLine, Set<Rule> expected) throws Exception {
        String text = PolicyTexts.shipped() + "\n" + extraLine + "\n";
        FlowPolicy policy = PolicyTexts.parse(text);
        int addedLine = (int) text.lines().count();

        List<RuleVerdict> verdicts = new PolicyVerifier(policy).verifyAll();
        Set<Rule> failing = verdicts.stream().filter(v -> !v.holds()).map(RuleVerdict::rule)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Rule.class)));
        assertEquals(expected, failing);

        for (RuleVerdict v : verdicts) {
            if (!v.holds()) {
                assertFalse(v.path().isEmpty(), v.rule() + " failed without a path");
                assertTrue(v.path().stream().anyMatch(f -> policy.lineOf(f) == addedLine),
                        v.rule() + " path " + v.path() + " does not go through the added line " + addedLine);
            }
        }
    }

    @Test
    void theCreditBalancePathIsTheShortestOneAroundOffSwitchSecurity() throws Exception {
        FlowPolicy policy = PolicyTexts.parse(PolicyTexts.shipped() + "\nCsSecurity -> OffSwitch : Actuate\n");
        RuleVerdict p3 = new PolicyVerifier(policy).verify(Rule.P3);
        assertFalse(p3.holds());
        // CreditBalance -> CsSecurity (CreditFeedback) -> OffSwitch: two hops, never through OffSwitchSecurity
        assertEquals(List.of(Part.CreditBalance, Part.CsSecurity, Part.OffSwitch), parts(p3.path()));
    }

    @Test
    void attributionNamesTheRuleAFlowWouldBreak() {
        RuleAttribution attribution = new RuleAttribution(FlowPolicy.shipped());
        assertEquals(Rule.P2, attribution.ruleBrokenBy(new Flow(Part.Computations, Part.OffSwitch,
                org.hasm.policy.MessageType.Actuate)));
        assertEquals(Rule.P7, attribution.ruleBrokenBy(new Flow(Part.HanGateway, Part.Communications,
                org.hasm.policy.MessageType.ApplianceSwitch)));
        // Display may receive CreditFeedback from CreditBalance but not from Clock: nothing but default deny.
        assertEquals(Rule.P1, attribution.ruleBrokenBy(new Flow(Part.Clock, Part.Display,
                org.hasm.policy.MessageType.CreditFeedback)));
    }

    private static List<Part> parts(List<Flow> path) {
        List<Part> parts = new java.util.ArrayList<>();
        parts.add(path.get(0).sender());
        path.forEach(f -> parts.add(f.receiver()));
        return parts;
    }
}
