package org.hasm.app;

import java.nio.file.Path;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.PolicyFileException;
import picocli.CommandLine.Option;

/** {@code --policy FILE}: the meter's flow policy, the shipped one unless given. */
final class PolicyOption {
    @Option(names = "--policy", paramLabel = "FILE",
            description = "Information-flow policy file (one flow per line: Sender -> Receiver : Type, ...). "
                    + "Default: the policy shipped with hasm.")
    Path file;

    FlowPolicy load() {
        if (file == null) {
            return FlowPolicy.shipped();
        }
        InputFile.check("--policy", file);
        try {
            return FlowPolicy.load(file);
        } catch (PolicyFileException e) {
            throw new UserError(e.getMessage());
        }
    }
}
