package org.hasm.policy.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hasm.policy.Flow;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.UseCase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Completeness: a policy that keeps the safety rules must still carry every use case of the paper. */
class UseCaseCompletenessTest {
    private static final FlowPolicy SHIPPED = FlowPolicy.shipped();

    /**
     * The shipped flows no use case takes, and why a policy without them still does everything
     * (docs/policy.md lists the same). Nothing else may be removed without a use case failing.
     */
    static final Map<Flow, String> HARMLESS = Map.of(
            new Flow(Part.Clock, Part.DcSecurity, MessageType.Tick),
            "DcSecurity ignores the time: a round is named by the reading's interval",
            new Flow(Part.Computations, Part.MetrologyLog, MessageType.ReadSegment),
            "Computations never reads its log back, it only appends",
            new Flow(Part.MetrologyLog, Part.Computations, MessageType.SegmentContents),
            "the answer to a read Computations never makes",
            new Flow(Part.CsSecurity, Part.SecurityLog, MessageType.ReadSegment),
            "CsSecurity restarts from OperationalParameters, never reads its log back",
            new Flow(Part.SecurityLog, Part.CsSecurity, MessageType.SegmentContents),
            "the answer to a read CsSecurity never makes");

    @Test
    void theShippedPolicyCarriesEveryUseCase() {
        List<UseCaseVerdict> verdicts = new PolicyVerifier(SHIPPED).verifyUseCases();
        assertEquals(UseCase.values().length, verdicts.size());
        for (UseCaseVerdict v : verdicts) {
            assertTrue(v.holds(), v.useCase() + " (" + v.useCase().title() + ") lacks " + v.missing());
        }
    }

    @Test
    void withoutTheActuationNoSwitchUseCaseHasItsPathAndTheSafetyRulesStillHold() {
        Flow actuate = new Flow(Part.OffSwitchSecurity, Part.OffSwitch, MessageType.Actuate);
        PolicyVerifier verifier = new PolicyVerifier(SHIPPED.without(List.of(actuate)));

        assertTrue(verifier.verifyAll().stream().allMatch(RuleVerdict::holds), "a missing flow breaks no safety rule");
        assertEquals(EnumSet.of(UseCase.U7, UseCase.U8, UseCase.U9, UseCase.U10), failing(verifier));
        for (UseCaseVerdict v : verifier.verifyUseCases()) {
            assertEquals(v.holds() ? List.of() : List.of(actuate), v.missing(), v.useCase().toString());
        }
        assertEquals("off-switch: remote switch-off", UseCase.U8.title());
    }

    @Test
    void withoutComputationsToTheMetrologyLogNoReadingIsBilledFedBackOrAggregated() {
        List<Flow> line = SHIPPED.flows().stream()
                .filter(f -> f.sender() == Part.Computations && f.receiver() == Part.MetrologyLog).toList();
        assertEquals(2, line.size(), "the line 'Computations -> MetrologyLog : AppendEntry, ReadSegment'");
        PolicyVerifier verifier = new PolicyVerifier(SHIPPED.without(line));

        assertTrue(verifier.verifyAll().stream().allMatch(RuleVerdict::holds));
        assertEquals(EnumSet.of(UseCase.U1, UseCase.U3, UseCase.U6, UseCase.U12), failing(verifier));
        Flow append = new Flow(Part.Computations, Part.MetrologyLog, MessageType.AppendEntry);
        verifier.verifyUseCases().stream().filter(v -> !v.holds())
                .forEach(v -> assertEquals(List.of(append), v.missing(), v.useCase().toString()));
    }

    static Stream<Flow> shippedFlows() {
        return SHIPPED.flows().stream();
    }

    /** Every single flow of the shipped policy is either on a use case's path, and missed by name, or harmless. */
    @ParameterizedTest(name = "without {0}")
    @MethodSource("shippedFlows")
    void removingAnyShippedFlowFailsAUseCaseThatNamesItOrIsHarmless(Flow removed) {
        Set<UseCase> failing = failing(new PolicyVerifier(SHIPPED.without(List.of(removed))));
        if (HARMLESS.containsKey(removed)) {
            assertTrue(failing.isEmpty(), removed + " is called harmless but " + failing + " need it");
            return;
        }
        assertFalse(failing.isEmpty(), removed + " is on no use case's path: add it to one, or to HARMLESS with why");
        assertEquals(Set.copyOf(UseCase.taking(removed)), failing);
        for (UseCaseVerdict v : new PolicyVerifier(SHIPPED.without(List.of(removed))).verifyUseCases()) {
            assertEquals(v.holds() ? List.of() : List.of(removed), v.missing(), v.useCase().toString());
        }
    }

    @Test
    void everyHarmlessFlowIsInTheShippedPolicyAndEveryPathFlowToo() {
        assertTrue(SHIPPED.flows().containsAll(HARMLESS.keySet()), "a stale entry in HARMLESS");
        for (UseCase u : UseCase.values()) {
            Set<Flow> notShipped = u.path().stream().filter(f -> !SHIPPED.flows().contains(f)).collect(Collectors.toSet());
            assertTrue(notShipped.isEmpty(), u + " takes flows the shipped policy does not have: " + notShipped);
        }
    }

    private static Set<UseCase> failing(PolicyVerifier verifier) {
        Set<UseCase> failing = EnumSet.noneOf(UseCase.class);
        verifier.verifyUseCases().stream().filter(v -> !v.holds()).forEach(v -> failing.add(v.useCase()));
        return failing;
    }
}
