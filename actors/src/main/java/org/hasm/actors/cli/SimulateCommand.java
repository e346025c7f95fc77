package org.hasm.actors.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.Part;
import org.hasm.policy.verify.PolicyVerifier;
import org.hasm.policy.verify.RuleVerdict;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The neighbourhood simulation. Until the meter, concentrator and central system exist (issues 4-6),
 * it checks what is built so far and says plainly what is not there yet.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Run a neighbourhood simulation.",
                "Today this checks the policy kernel the meters will run on; the meters, concentrator, central"
                        + " system and scenarios are not built yet."})
final class SimulateCommand implements Callable<Integer> {
    @Mixin
    PolicyOption policy;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        FlowPolicy p = policy.load();
        List<RuleVerdict> verdicts = new PolicyVerifier(p).verifyAll();
        long holding = verdicts.stream().filter(RuleVerdict::holds).count();
        out.println("hasm simulate: the neighbourhood simulation is not built yet.");
        out.println("Built so far:");
        out.printf("  policy kernel   %d parts (%d internal, %d external), %d allowed flows, %d/%d static rules hold%n",
                Part.values().length, Part.values().length - Part.ofKind(Part.Kind.EXTERNAL).size() - 1,
                Part.ofKind(Part.Kind.EXTERNAL).size(), p.flows().size(), holding, verdicts.size());
        out.println("  guard           drops forged, misrouted and off-policy messages; see 'hasm policy verify'");
        out.println("Not yet: meters (16 guarded actors each), journals, concentrator, central system, scenarios.");
        return holding == verdicts.size() ? 0 : HasmCommand.CHECK_FAILED;
    }
}
