package org.hasm.policy.diagram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.hasm.policy.FlowPolicy;
import org.hasm.policy.Part;
import org.junit.jupiter.api.Test;

class PolicyDiagramTest {
    private final FlowPolicy policy = FlowPolicy.shipped();

    @Test
    void mermaidGroupsPartsAndDrawsEveryConnectedPairOnce() {
        String mermaid = new PolicyDiagram(policy).render(PolicyDiagram.Format.MERMAID);
        assertTrue(mermaid.contains("flowchart LR"));
        assertTrue(mermaid.contains("subgraph p2[\"Processor P2\"]\n    OffSwitchSecurity[\"OffSwitchSecurity\"]\n  end"), mermaid);
        assertTrue(mermaid.contains("  CreditBalance -->|\"ZeroCredit, CreditRestored\"| OffSwitchSecurity\n"), mermaid);
        int pairs = 0;
        for (Part s : Part.values()) {
            for (Part r : Part.values()) {
                boolean drawn = mermaid.contains("  " + s + " -->|") && mermaid.contains("| " + r + "\n")
                        && mermaid.lines().anyMatch(l -> l.startsWith("  " + s + " -->|") && l.endsWith("| " + r));
                assertEquals(policy.connects(s, r), drawn, s + " -> " + r);
                pairs += drawn ? 1 : 0;
            }
        }
        assertEquals(pairs, mermaid.lines().filter(l -> l.contains("-->|")).count());
        assertFalse(mermaid.lines().anyMatch(l -> l.startsWith("  HanGateway -->")), "the HAN diode has no inward edge");
    }

    @Test
    void dotIsOneDigraphWithAClusterPerGroupAndDashedSoftware() {
        String dot = new PolicyDiagram(policy).render(PolicyDiagram.Format.DOT);
        assertTrue(dot.contains("digraph meter {"));
        assertEquals(dot.chars().filter(c -> c == '{').count(), dot.chars().filter(c -> c == '}').count());
        assertEquals(6, dot.lines().filter(l -> l.contains("subgraph cluster_")).count());
        assertTrue(dot.contains("OffSwitchSecurity [style=dashed];"));
        assertTrue(dot.contains("OffSwitch [style=solid];"));
        assertTrue(dot.contains("OffSwitchSecurity -> OffSwitch [label=\"Actuate\"];"));
    }
}
