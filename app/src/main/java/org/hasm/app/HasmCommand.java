package org.hasm.app;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code hasm} command line. Exit codes: 0 ok, 1 a check failed (a rule, a chain, an SLO; or the output
 * could not be written once the work was done),
 * 2 a usage error (bad option, bad file), 3 an internal error, 130 stopped by Ctrl-C ({@link SignalStop}).
 */
@Command(name = "hasm",
        mixinStandardHelpOptions = true,
        versionProvider = HasmCommand.Version.class,
        description = "High-assurance smart metering: a separation-kernel smart meter (Cleemput, Mustafa, Preneel,"
                + " HASE 2016) run as Apache Pekko actors.",
        subcommands = {PolicyCommand.class, SimulateCommand.class, ReplayCommand.class, NodeCommand.class,
                LoadTestCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:a check failed (or the output could not be written)", "2:usage error (bad option or input file)", "3:internal error", "130:stopped by Ctrl-C (143: by SIGTERM)"})
public final class HasmCommand implements Runnable {
    public static final int CHECK_FAILED = 1;
    public static final int USAGE = 2;
    public static final int INTERNAL = 3;
    /** Ctrl-C: 128 + SIGINT, what a shell reports for a process the signal ended. */
    public static final int STOPPED = 130;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // Initialise logging before any thread logs, or SLF4J prints a warning about replayed calls.
        org.slf4j.LoggerFactory.getILoggerFactory();
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line with the given streams; the exit code is returned, never thrown. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(new CommandLine(new HasmCommand()), out, err, args);
    }

    static int run(CommandLine cli, PrintWriter out, PrintWriter err, String... args) {
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof SignalStop.Stopped || SignalStop.stopping()) {
                // its waits failed because a signal stopped the actors, and SignalStop has said so; the JVM exits
                // with the signal's own status
                return STOPPED;
            }
            if (e instanceof OutputTarget.WriteFailed failed) {
                commandLine.getErr().println("hasm: " + failed.getMessage());
                return CHECK_FAILED; // the work was done, its output is missing: not a usage error
            }
            if (e instanceof UserError user) {
                commandLine.getErr().println("hasm: " + user.getMessage());
                return USAGE;
            }
            commandLine.getErr().println("hasm: internal error: " + e);
            if (System.getenv("HASM_DEBUG") != null) {
                e.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("(set HASM_DEBUG=1 for the stack trace)");
            }
            return INTERNAL;
        });
        cli.setParameterExceptionHandler((e, params) -> {
            CommandLine c = e.getCommandLine();
            c.getErr().println("hasm: " + e.getMessage());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            return USAGE;
        });
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = HasmCommand.class.getPackage().getImplementationVersion();
            return new String[] {"hasm " + (v == null ? "(development build)" : v) + " on Java "
                    + System.getProperty("java.version")};
        }
    }
}
