package org.hasm.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import org.hasm.actors.central.LogKeyRegister;
import org.hasm.actors.forensics.StoreVerification;
import org.hasm.actors.forensics.VerificationOutput;
import org.hasm.actors.meter.MeterConfig;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.persistence.jdbc.StorageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code hasm replay verify}: every chain against every anchor, and the central accounts; exit 1 if anything fails. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Prove the logs untouched: every segment's hash chain, checked against the anchors the central"
                + " system holds, and every central account's journal checked for deleted events.",
                "Prints a summary and the segments that fail (all of them with --all); exit code 1 if any does."})
final class ReplayVerifyCommand implements Callable<Integer> {
    enum Format { table, json, html }

    /** Stores with more rows than this get a progress bar. */
    private static final long PROGRESS_FROM_ROWS = 200_000;

    @Mixin
    StorageOptions storage;

    @Option(names = "--meter", paramLabel = "ID", split = ",",
            description = "Verify only these meters (repeat or separate by commas; default: every meter).")
    List<String> meters;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
            description = "table, json or html (a self-contained page) (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--all", description = "List every segment and account, not only those that fail.")
    boolean all;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the output to FILE instead of the console: a new"
            + " file outside the data directory (an existing one only with --force).")
    Path outFile;

    @Mixin
    OutputTarget.Force force;

    @Option(names = "--anchor-every", paramLabel = "N",
            description = "The meters anchor each segment at least every N entries (default: ${DEFAULT-VALUE}, the"
                    + " meters' default); a longer stretch without an anchor is reported as MISSING_ANCHOR.")
    int anchorEvery = MeterConfig.DEFAULT.anchorEveryEntries();

    @Option(names = "--keys", paramLabel = "FILE",
            description = "The meters' public log keys, the register 'hasm simulate' wrote (default: "
                    + LogKeyRegister.FILE_NAME + " in --data; with --db, give the one in the run's report directory)."
                    + " Every anchor's signature is checked with it.")
    Path keysFile;

    @picocli.CommandLine.Mixin
    CentralDataOption central;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        if (anchorEvery < 1) {
            throw new UserError("--anchor-every must be at least 1, not " + anchorEvery);
        }
        if (outFile != null) {
            OutputTarget.file("--out", outFile, force.force, storage.readHere(central.centralData));
        }
        JournalStore store = storage.existing();
        LogKeyRegister keys = keys();
        Set<String> wanted = meters == null ? Set.of() : new LinkedHashSet<>(meters);
        StoreVerification.Result result;
        try {
            Set<String> unknown = StoreVerification.unknownMeters(store, wanted);
            if (!unknown.isEmpty()) {
                throw new UserError("unknown meter" + (unknown.size() > 1 ? "s " : " ") + String.join(", ", unknown) + ": "
                        + store.describe() + " holds no log and no account of " + (unknown.size() > 1 ? "them" : "it"));
            }
            try (Bar bar = new Bar()) {
                result = StoreVerification.verify(store, central.centralStore(storage, store), keys, wanted, anchorEvery, bar);
            }
        } catch (StorageException e) {
            throw new UserError(e.getMessage());
        }
        String text = switch (format) {
            case table -> VerificationOutput.table(result, all);
            case json -> VerificationOutput.json(result, all);
            case html -> VerificationOutput.html(result, all);
        };
        PrintWriter out = spec.commandLine().getOut();
        if (outFile == null) {
            out.print(text);
        } else {
            OutputTarget.write("--out", outFile, text);
            out.println(VerificationOutput.summary(result));
            out.println(VerificationOutput.ending(result));
            out.println("written to " + outFile);
        }
        out.flush();
        return result.intact() ? 0 : HasmCommand.CHECK_FAILED;
    }

    /** The register given, or the one simulate left in the data directory. */
    private LogKeyRegister keys() {
        Path file = keysFile != null ? keysFile : storage.db == null ? storage.data.resolve(LogKeyRegister.FILE_NAME) : null;
        if (file == null) {
            throw new UserError("--keys FILE is needed with --db: the meters' public log keys, " + LogKeyRegister.FILE_NAME
                    + " in the report directory of the run");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserError("no key register " + file + (keysFile == null ? " (written by 'hasm simulate' beside its"
                    + " database; give another with --keys FILE)" : ""));
        }
        try {
            return LogKeyRegister.read(file);
        } catch (LogKeyRegister.Malformed e) {
            throw new UserError(e.getMessage());
        } catch (IOException e) {
            throw new UserError("cannot read the key register " + file + ": " + OutputTarget.reason(e));
        }
    }

    /** A progress bar on stderr, shown only for a large store. */
    private static final class Bar implements StoreVerification.Progress, AutoCloseable {
        private ProgressBar bar;
        private long done;

        @Override
        public void total(long rows) {
            if (rows < PROGRESS_FROM_ROWS) {
                return;
            }
            bar = ProgressBars.bar("rows", rows);
        }

        @Override
        public void row() {
            // stepTo in blocks: the bar's own counter is an atomic the reading loop need not touch per row
            if (bar != null && (++done & 1023) == 0) {
                bar.stepTo(done);
            }
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.stepTo(done);
                bar.close();
            }
        }
    }
}
