package org.hasm.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.hasm.policy.Flow;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.diagram.PolicyDiagram;
import org.hasm.policy.verify.PolicyVerifier;
import org.hasm.policy.verify.RuleVerdict;
import org.hasm.policy.verify.UseCaseVerdict;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "policy", mixinStandardHelpOptions = true,
        description = "Check and draw the meter's information-flow policy.",
        subcommands = {PolicyCommand.Verify.class, PolicyCommand.Diagram.class})
final class PolicyCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Prove the static rules P1-P10 on the policy graph, and check completeness: that every use"
                    + " case of the paper (U1-U18) still has its path.",
                    "Prints one line per rule (id, statement, HOLDS/FAILS); for a failure, the shortest offending path"
                            + " with the policy line of each flow. Then one line per use case (id, application,"
                            + " HOLDS/FAILS); for a failure, the flows of its path the policy lacks."
                            + " Exit 1 if any rule or use case fails."})
    static final class Verify implements Callable<Integer> {
        @Mixin
        PolicyOption policy;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            FlowPolicy p = policy.load();
            PrintWriter out = spec.commandLine().getOut();
            out.println("policy: " + p.source() + " (" + p.flows().size() + " allowed flows)");
            List<RuleVerdict> verdicts = new PolicyVerifier(p).verifyAll();
            for (RuleVerdict v : verdicts) {
                out.printf(Locale.ROOT, "%-4s %-5s %s%n", v.rule(), v.holds() ? "HOLDS" : "FAILS", v.rule().statement());
                if (!v.holds()) {
                    out.println("           why:  " + v.detail());
                    out.println("           path: " + v.path().stream().map(f -> describe(p, f))
                            .collect(Collectors.joining("  then  ")));
                }
            }
            long failed = verdicts.stream().filter(v -> !v.holds()).count();
            out.println(failed == 0 ? "all " + verdicts.size() + " rules hold"
                    : failed + " of " + verdicts.size() + " rules fail");
            List<UseCaseVerdict> useCases = new PolicyVerifier(p).verifyUseCases();
            for (UseCaseVerdict v : useCases) {
                out.printf(Locale.ROOT, "%-4s %-5s %s%n", v.useCase(), v.holds() ? "HOLDS" : "FAILS", v.useCase().title());
                if (!v.holds()) {
                    out.println("           why:  the policy lacks " + (v.missing().size() == 1 ? "a flow" : "flows")
                            + " of this use case's path");
                    out.println("           lacks: " + v.missing().stream().map(Flow::toString)
                            .collect(Collectors.joining(", ")));
                }
            }
            long incomplete = useCases.stream().filter(v -> !v.holds()).count();
            out.println(incomplete == 0 ? "all " + useCases.size() + " use cases have their path"
                    : incomplete + " of " + useCases.size() + " use cases lack their path");
            return failed == 0 && incomplete == 0 ? 0 : HasmCommand.CHECK_FAILED;
        }

        private static String describe(FlowPolicy p, Flow f) {
            int line = p.lineOf(f);
            boolean wildcard = p.wildcards().contains(new FlowPolicy.Edge(f.sender(), f.receiver()));
            return (wildcard ? f.sender() + " -> " + f.receiver() + " : *" : f.toString()) + (line > 0 ? " (line " + line + ")" : "");
        }
    }

    @Command(name = "diagram", mixinStandardHelpOptions = true,
            description = "Draw the paper's Fig. 1 from the policy: parts grouped by processor, memory, component and"
                    + " external party; allowed flows as labelled edges.")
    static final class Diagram implements Callable<Integer> {
        enum Format { mermaid, dot }

        @Mixin
        PolicyOption policy;

        @Option(names = "--format", defaultValue = "mermaid", paramLabel = "FORMAT",
                description = "mermaid (paste into a Markdown ```mermaid block) or dot (graphviz). Default: ${DEFAULT-VALUE}.")
        Format format;

        @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of standard output (a new"
                + " file; an existing one only with --force).")
        Path out;

        @Mixin
        OutputTarget.Force force;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (out != null) {
                OutputTarget.file("--out", out, force.force, List.of());
            }
            String text = new PolicyDiagram(policy.load())
                    .render(format == Format.dot ? PolicyDiagram.Format.DOT : PolicyDiagram.Format.MERMAID);
            if (out == null) {
                spec.commandLine().getOut().print(text);
                spec.commandLine().getOut().flush();
                return 0;
            }
            OutputTarget.write("--out", out, text);
            spec.commandLine().getOut().println("wrote " + out);
            return 0;
        }
    }
}
