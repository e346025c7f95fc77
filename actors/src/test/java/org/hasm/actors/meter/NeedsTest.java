package org.hasm.actors.meter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.hasm.policy.Flow;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;
import org.hasm.policy.UseCase;
import org.hasm.policy.kernel.DropCounter;
import org.hasm.policy.verify.RuleAttribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What each part declares it needs, against the shipped policy and the use cases' paths. */
class NeedsTest {
    private static final FlowPolicy SHIPPED = FlowPolicy.shipped();

    @Test
    void theShippedPolicyGivesEveryPartWhatItNeeds() {
        assertEquals(Optional.empty(), Needs.lackedBy(SHIPPED));
        Needs.requireAllowedBy(SHIPPED);
        assertEquals(10, Needs.ofStandardMeter().size(), "four components and six modules");
    }

    /** So a policy the kernel refuses also fails 'policy verify': the two checks cannot disagree. */
    @Test
    void everyFlowAPartNeedsIsOnAUseCasesPath() {
        for (Needs n : Needs.ofStandardMeter()) {
            for (Flow f : n.flows()) {
                assertFalse(UseCase.taking(f).isEmpty(), n.part() + " needs " + f + ", which no use case takes");
            }
        }
    }

    /**
     * What the meter's parts send on the use cases' paths is exactly what they declare: so the least policy of
     * {@link UseCasesOnTheLeastPolicyTest} gives each part only its declared flows, and a part that took a
     * channel or sent a type it does not declare would fail a use case there.
     */
    @Test
    void thePathsFlowsOutOfEveryPartAreExactlyThoseItDeclares() {
        Set<Flow> declared = new HashSet<>();
        Needs.ofStandardMeter().forEach(n -> declared.addAll(n.flows()));
        Set<Flow> inside = new HashSet<>();
        for (UseCase u : UseCase.values()) {
            u.path().stream().filter(f -> f.sender().isInternal()).forEach(inside::add);
        }
        Set<Flow> undeclared = new HashSet<>(inside);
        undeclared.removeAll(declared);
        assertEquals(Set.of(), undeclared, "sent on a use case's path, declared by no part");
        assertEquals(inside, declared);
    }

    static Stream<Arguments> needed() {
        return Needs.ofStandardMeter().stream().flatMap(n -> n.flows().stream().map(f -> Arguments.of(n.part(), f)));
    }

    @ParameterizedTest(name = "{0} needs {1}")
    @MethodSource("needed")
    void aPolicyWithoutANeededFlowIsRefusedBeforeTheMeterIsAssembled(Part part, Flow flow) {
        FlowPolicy lacking = SHIPPED.without(List.of(flow));
        Needs.IncompletePolicyException e = assertThrows(Needs.IncompletePolicyException.class,
                () -> new Meter.Blueprint("m1", lacking, p -> null, Map.of(), new RuleAttribution(lacking), new DropCounter()));
        assertTrue(e.getMessage().startsWith("the policy lacks " + flow + ", which " + part + " needs (use case U"),
                e.getMessage());
    }

    @Test
    void theRefusalNamesTheFirstUseCaseAndTheOthers() {
        Flow actuate = new Flow(Part.OffSwitchSecurity, Part.OffSwitch, MessageType.Actuate);
        assertEquals("the policy lacks OffSwitchSecurity -> OffSwitch : Actuate, which OffSwitchSecurity needs (use case U7,"
                        + " off-switch: switch-off when the prepaid credit is exhausted; also U8, U9, U10)",
                Needs.lackedBy(SHIPPED.without(List.of(actuate))).orElseThrow().describe());
    }
}
