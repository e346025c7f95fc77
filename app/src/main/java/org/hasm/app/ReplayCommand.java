package org.hasm.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code hasm replay}: forensics over the logs a simulation left behind. Every subcommand only reads:
 * it never writes to the logs, and opens the database read-only where the driver allows.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Forensics over the meters' logs and the central system's journals (read-only).",
                "verify: every chain and anchor; timeline: one meter's segments in time order; state: a meter at"
                        + " an instant; explain: the cause of every switch-off, credit change and tariff change."},
        subcommands = {ReplayVerifyCommand.class, ReplayTimelineCommand.class, ReplayStateCommand.class,
                ReplayExplainCommand.class})
final class ReplayCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
