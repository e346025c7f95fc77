package org.hasm.policy.diagram;

import java.util.EnumSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.MessageType;
import org.hasm.policy.Part;

/**
 * The paper's Fig. 1 drawn from a policy: parts grouped by processor, memory, physical component and
 * external party; one edge per (sender, receiver) labelled with the allowed message types. As in the
 * paper, physical components are drawn with full lines, software modules and segments dashed.
 */
public final class PolicyDiagram {
    public enum Format { MERMAID, DOT }

    private record Group(String id, String title, Set<Part> parts) {
    }

    private final FlowPolicy policy;

    public PolicyDiagram(FlowPolicy policy) {
        this.policy = policy;
    }

    public String render(Format format) {
        return format == Format.MERMAID ? mermaid() : dot();
    }

    private static List<Group> groups() {
        return List.of(
                new Group("components", "Physical components", Part.ofKind(Part.Kind.COMPONENT)),
                new Group("p1", "Processor P1", modulesOn(Part.Processor.P1)),
                new Group("p2", "Processor P2", modulesOn(Part.Processor.P2)),
                new Group("memory", "Memory segments", Part.ofKind(Part.Kind.SEGMENT)),
                new Group("external", "External parties", Part.ofKind(Part.Kind.EXTERNAL)),
                new Group("environment", "Physical world", Part.ofKind(Part.Kind.ENVIRONMENT)));
    }

    private static Set<Part> modulesOn(Part.Processor processor) {
        Set<Part> parts = EnumSet.noneOf(Part.class);
        for (Part p : Part.ofKind(Part.Kind.MODULE)) {
            if (p.processor() == processor) {
                parts.add(p);
            }
        }
        return parts;
    }

    private record Edge(Part sender, Part receiver, String label) {
    }

    /** One edge per connected (sender, receiver), labelled with its types in catalogue order. */
    private List<Edge> edges() {
        List<Edge> edges = new ArrayList<>();
        for (Part s : Part.values()) {
            for (Part r : Part.values()) {
                Set<MessageType> types = policy.typesOn(s, r);
                if (!types.isEmpty()) {
                    String label = types.size() == wildcardSize() ? "*"
                            : types.stream().map(Enum::name).collect(Collectors.joining(", "));
                    edges.add(new Edge(s, r, label));
                }
            }
        }
        return edges;
    }

    private static long wildcardSize() {
        return java.util.Arrays.stream(MessageType.values()).filter(t -> !t.kernelOnly()).count();
    }

    private String mermaid() {
        StringBuilder out = new StringBuilder();
        out.append("%% hasm meter information-flow policy: ").append(policy.source()).append('\n');
        out.append("flowchart LR\n");
        for (Group g : groups()) {
            out.append("  subgraph ").append(g.id()).append("[\"").append(g.title()).append("\"]\n");
            for (Part p : g.parts()) {
                out.append("    ").append(p).append(p.kind() == Part.Kind.SEGMENT ? "[(\"" : "[\"").append(p)
                        .append(p.kind() == Part.Kind.SEGMENT ? "\")]\n" : "\"]\n");
            }
            out.append("  end\n");
        }
        for (Edge e : edges()) {
            out.append("  ").append(e.sender()).append(" -->|\"").append(e.label()).append("\"| ").append(e.receiver()).append('\n');
        }
        out.append("  classDef software stroke-dasharray: 5 5\n");
        out.append("  class ").append(Part.ofKind(Part.Kind.MODULE).stream().map(Enum::name).collect(Collectors.joining(",")))
                .append(',').append(Part.ofKind(Part.Kind.SEGMENT).stream().map(Enum::name).collect(Collectors.joining(",")))
                .append(" software\n");
        return out.toString();
    }

    private String dot() {
        StringBuilder out = new StringBuilder();
        out.append("// hasm meter information-flow policy: ").append(policy.source()).append('\n');
        out.append("digraph meter {\n  rankdir=LR;\n  node [shape=box, fontname=\"Helvetica\"];\n");
        out.append("  edge [fontname=\"Helvetica\", fontsize=9];\n");
        for (Group g : groups()) {
            out.append("  subgraph cluster_").append(g.id()).append(" {\n    label=\"").append(g.title()).append("\";\n");
            for (Part p : g.parts()) {
                String style = switch (p.kind()) {
                    case MODULE -> "style=dashed";
                    case SEGMENT -> "style=dashed, shape=cylinder";
                    case ENVIRONMENT -> "shape=ellipse";
                    default -> "style=solid";
                };
                out.append("    ").append(p).append(" [").append(style).append("];\n");
            }
            out.append("  }\n");
        }
        for (Edge e : edges()) {
            out.append("  ").append(e.sender()).append(" -> ").append(e.receiver()).append(" [label=\"").append(e.label()).append("\"];\n");
        }
        out.append("}\n");
        return out.toString();
    }
}
