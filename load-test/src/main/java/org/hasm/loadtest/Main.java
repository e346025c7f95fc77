package org.hasm.loadtest;

import java.io.PrintWriter;
import org.hasm.actors.cli.HasmCommand;
import picocli.CommandLine;

/** The {@code hasm} jar's entry point: every command of {@link HasmCommand} plus {@code load-test}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // Initialise logging before any thread logs, or SLF4J prints a warning about replayed calls.
        org.slf4j.LoggerFactory.getILoggerFactory();
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line; the exit code is returned, never thrown. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return HasmCommand.run(commandLine(), out, err, args);
    }

    static CommandLine commandLine() {
        return new CommandLine(new HasmCommand()).addSubcommand(new LoadTestCommand());
    }
}
