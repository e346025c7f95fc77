package org.hasm.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command with the input a hostile or careless user gives it (issue 20, items 7, 9 and 10), through the
 * command line: one line on stderr starting {@code hasm: }, exit code 2 (1 when only writing the output failed),
 * no exception or stack trace, and a store that the command only reads left byte for byte as it was.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    @TempDir
    static Path dir;

    /** One small run's store and report, shared by the class: read by every replay case, never written. */
    private Path data;
    private Path report;
    private Map<String, String> untouched;

    private record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    @BeforeAll
    void simulate() throws Exception {
        data = dir.resolve("data");
        report = dir.resolve("report");
        Run r = hasm("simulate", "--meters", "3", "--days", "1", "--data", data.toString(), "--report", report.toString());
        assertEquals(0, r.exit(), r.all());
        untouched = digest(data);
    }

    private static Run hasm(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = HasmCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** The command fails with {@code exit}, one line on stderr that contains {@code says}, and no trace of an exception. */
    private static Run refused(int exit, String says, String... args) {
        Run r = hasm(args);
        assertEquals(exit, r.exit(), r.all());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("hasm: ") && r.err().contains(says), "expected '" + says + "' in: " + r.err());
        assertFalse(r.all().contains("Exception") || r.all().contains("at org.") || r.all().contains("internal error"), r.all());
        return r;
    }

    private static Run usage(String says, String... args) {
        return refused(HasmCommand.USAGE, says, args);
    }

    /** Every file under {@code root} by its path, with the SHA-256 of its bytes. */
    private static Map<String, String> digest(Path root) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(p).toString(),
                        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
            }
        }
        return files;
    }

    private void assertStoreUntouched() throws Exception {
        assertEquals(untouched, digest(data), "the store the command read is as it was, byte for byte");
    }

    // item 7: no output into a store, none over a file hasm did not write, every target checked up front

    @Test
    void verifyNeverWritesIntoTheStoreItReadsNotEvenWithForce() throws Exception {
        usage("is inside the data directory", "replay", "verify", "--data", data.toString(), "--format", "json",
                "--out", data.resolve("hasm.mv.db").toString());
        usage("is inside the data directory", "replay", "verify", "--data", data.toString(), "--format", "json",
                "--out", data.resolve("hasm.mv.db").toString(), "--force");
        usage("is inside the data directory", "replay", "verify", "--data", data.toString(),
                "--out", data.resolve("verify.txt").toString());
        usage("is inside the data directory", "replay", "verify", "--data", data.toString(),
                "--out", data.resolve(".").resolve("..").resolve("data").resolve("hasm.trace.db").toString());
        usage("is a directory, not a file", "replay", "verify", "--data", data.toString(), "--out", data.toString());
        usage("is a hasm database file", "policy", "diagram", "--out", data.resolve("hasm.mv.db").toString(), "--force");
        assertStoreUntouched();
    }

    @Test
    void verifyOverwritesAnExistingFileOnlyWithForce() throws Exception {
        Path existing = dir.resolve("notes.txt");
        Files.writeString(existing, "the investigator's notes\n");
        usage("exists", "replay", "verify", "--data", data.toString(), "--format", "json", "--out", existing.toString());
        assertEquals("the investigator's notes\n", Files.readString(existing));

        Run forced = hasm("replay", "verify", "--data", data.toString(), "--format", "json", "--out", existing.toString(), "--force");
        assertEquals(0, forced.exit(), forced.all());
        assertTrue(Files.readString(existing).contains("\"intact\""), Files.readString(existing));
        assertStoreUntouched();
    }

    @Test
    void diagramOutNeedsForceOverAFileAndSaysWhyItCannotWrite() throws Exception {
        Path file = dir.resolve("fig1.mmd");
        assertEquals(0, hasm("policy", "diagram", "--out", file.toString()).exit());
        usage("exists", "policy", "diagram", "--out", file.toString());
        assertEquals(0, hasm("policy", "diagram", "--out", file.toString(), "--force").exit());
        usage("no such directory", "policy", "diagram", "--out", "/nonexistent/x");
        Path aFile = dir.resolve("plain-file");
        Files.writeString(aFile, "x");
        usage(aFile + " is a file, not a directory", "policy", "diagram", "--out", aFile.resolve("x").toString());
    }

    @Test
    void aReportDirectoryWithOtherFilesNeedsForceAndIsCheckedBeforeTheRun() throws Exception {
        Path mine = dir.resolve("my-documents");
        Files.createDirectories(mine);
        Files.writeString(mine.resolve("thesis.tex"), "chapter 1");
        Path newData = dir.resolve("not-created");
        Run r = usage("holds other files than a hasm report", "simulate", "--meters", "3", "--days", "1",
                "--data", newData.toString(), "--report", mine.toString());
        assertFalse(Files.exists(newData), "refused before the store was made: " + r.out());
        usage("holds other files than a hasm report", "load-test", "--meters", "2", "--duration", "1s", "--warm-up", "0",
                "--data", newData.toString(), "--report", mine.toString());
        assertFalse(Files.exists(newData));
        assertEquals("chapter 1", Files.readString(mine.resolve("thesis.tex")));
        usage("is inside the data directory", "simulate", "--meters", "3", "--days", "1", "--data", newData.toString(),
                "--report", newData.resolve("report").toString());
    }

    @Test
    void anEarlierReportIsWrittenAgainWithoutForce() throws Exception {
        Path again = dir.resolve("report-again");
        Files.createDirectories(again);
        for (String f : new String[] {"report.html", "summary.json", "readings.csv"}) {
            Files.copy(report.resolve(f), again.resolve(f));
        }
        Files.writeString(again.resolve("summary.json"), "{}");
        Run r = hasm("simulate", "--meters", "3", "--days", "1", "--data", dir.resolve("data-again").toString(),
                "--report", again.toString());
        assertEquals(0, r.exit(), r.all());
        assertTrue(Files.readString(again.resolve("summary.json")).contains("fingerprint"), "the new run's summary");
    }

    @Test
    void anUnwritableReportOrDataDirectoryIsOneLineBeforeAnythingStarts() throws Exception {
        Path locked = dir.resolve("locked");
        Files.createDirectories(locked);
        try (Unwritable u = Unwritable.make(locked)) {
            Run sim = usage("cannot create a file in " + locked, "simulate", "--meters", "3", "--days", "1",
                    "--data", dir.resolve("d-locked").toString(), "--report", locked.resolve("report").toString());
            assertFalse(Files.exists(dir.resolve("d-locked")), sim.out());
            usage("cannot create a file in " + locked, "simulate", "--meters", "3", "--days", "1",
                    "--data", locked.toString(), "--report", dir.resolve("r-locked").toString());
            Run lt = usage("cannot create a file in " + locked, "load-test", "--meters", "2", "--duration", "1s",
                    "--warm-up", "0", "--data", locked.toString(), "--report", dir.resolve("r-locked").toString());
            assertFalse(lt.out().contains("accounts started"), lt.out());
        }
        Path aFile = dir.resolve("data-is-a-file");
        Files.writeString(aFile, "x");
        usage("is a file, not a directory", "simulate", "--data", aFile.resolve("sub").toString(),
                "--report", dir.resolve("r-file").toString());
        usage("is a file, not a directory", "load-test", "--data", aFile.toString(), "--report", dir.resolve("r-file").toString());
    }

    // item 9: user mistakes that were internal errors or stack traces

    @Test
    void aTimeTooLargeForALongIsOneLine() throws Exception {
        usage("--from '99999999999999999999' is out of range", "replay", "timeline", "--data", data.toString(),
                "--meter", "m00000", "--from", "99999999999999999999");
        usage("--at '99999999999999999999' is out of range", "replay", "state", "--data", data.toString(),
                "--meter", "m00000", "--at", "99999999999999999999");
        assertStoreUntouched();
    }

    @Test
    void aLoadTestDurationPastAWeekIsRefusedBeforeTheAccountsStart() {
        Run r = usage("--duration 9999999h is longer than a stage may last", "load-test", "--duration", "9999999h",
                "--meters", "2", "--data", dir.resolve("lt-data").toString(), "--report", dir.resolve("lt-report").toString());
        assertFalse(r.out().contains("accounts started") || Files.exists(dir.resolve("lt-data")), r.out());
        usage("--warm-up 9999999h is longer", "load-test", "--warm-up", "9999999h", "--meters", "2",
                "--data", dir.resolve("lt-data").toString(), "--report", dir.resolve("lt-report").toString());
    }

    @Test
    void oneHouseholdIsNoNeighbourhood() {
        usage("at least 2 households", "simulate", "--meters", "1", "--data", dir.resolve("never").toString());
        assertFalse(Files.exists(dir.resolve("never")));
    }

    // item 10: messages that said something else than what was wrong

    @Test
    void aTruncatedOrEmptyDatabaseFileIsNotAReadableStoreAndStaysAsItWas() throws Exception {
        String[][] commands = {{"replay", "verify"}, {"replay", "timeline", "--meter", "m00000"}, {"replay", "explain", "--all"}};
        for (long size : new long[] {4096, 8192, Files.size(data.resolve("hasm.mv.db")) / 2, 0}) {
            for (int c = 0; c < commands.length; c++) {
                // a copy per command: in one JVM, H2 keeps the lock of a file it failed to open (a process runs one command)
                Path copy = dir.resolve("truncated-" + size + "-" + c);
                Files.createDirectories(copy);
                Files.copy(data.resolve("hasm.mv.db"), copy.resolve("hasm.mv.db"));
                try (var channel = java.nio.channels.FileChannel.open(copy.resolve("hasm.mv.db"),
                        java.nio.file.StandardOpenOption.WRITE)) {
                    channel.truncate(size);
                }
                Map<String, String> before = digest(copy);
                String[] args = Stream.concat(Stream.of(commands[c]), Stream.of("--data", copy.toString())).toArray(String[]::new);
                Run r = usage("is not a readable hasm store", args);
                assertTrue(r.err().contains(size == 0 ? "it is empty (0 bytes)" : "corrupt or truncated"), r.err());
                assertFalse(r.err().contains("read only") || r.err().contains("NonWritableChannel"), r.err());
                assertEquals(before, digest(copy), "the damaged file is evidence too: left as it was");
            }
        }
    }

    @Test
    void aBinaryEmptyOrDevicePolicyOrScenarioIsNamedForWhatItIs() throws Exception {
        Path binary = dir.resolve("random.bin");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0x80, 'x'});
        Path empty = dir.resolve("empty.conf");
        Files.writeString(empty, "");
        Path newData = dir.resolve("never");
        usage("--policy " + binary + " is not a text file (UTF-8)", "policy", "verify", "--policy", binary.toString());
        usage("--policy " + empty + " is empty", "policy", "verify", "--policy", empty.toString());
        usage("--scenario " + binary + " is not a text file (UTF-8)", "simulate", "--scenario", binary.toString(),
                "--data", newData.toString());
        usage("--scenario " + empty + " is empty", "simulate", "--scenario", empty.toString(), "--data", newData.toString());
        usage("--scenario /dev/null is not a regular file", "simulate", "--scenario", "/dev/null", "--data", newData.toString());
        assertFalse(Files.exists(newData), "no run on the default scenario instead");
    }

    @Test
    void dataThatIsAFileIsCalledAFile() throws Exception {
        Path aFile = dir.resolve("hasm-data-file");
        Files.writeString(aFile, "x");
        usage("--data " + aFile + " is a file, not a directory", "replay", "verify", "--data", aFile.toString());
        usage("--data " + aFile + " is a file, not a directory", "replay", "state", "--data", aFile.toString(),
                "--meter", "m00000", "--at", "day 1 12:00");
        usage("--data " + aFile + " is a file, not a directory", "simulate", "--data", aFile.toString());
    }

    @Test
    void epochMillisecondsAreTimesFromZero() throws Exception {
        Run all = hasm("replay", "timeline", "--data", data.toString(), "--meter", "m00000", "--format", "json");
        Run fromZero = hasm("replay", "timeline", "--data", data.toString(), "--meter", "m00000", "--format", "json", "--from", "0");
        assertEquals(0, fromZero.exit(), fromZero.all());
        assertEquals(all.out(), fromZero.out(), "every entry is at or after 0");
        usage("--at 1970-01-01T00:00:00Z is outside the log of m00000", "replay", "state", "--data", data.toString(),
                "--meter", "m00000", "--at", "0");
        assertStoreUntouched();
    }

    @Test
    void optionsThatContradictOrGoWithAnAbsentOneAreRefused() throws Exception {
        usage("give --data DIR (the embedded H2 database) or --db URL (PostgreSQL), not both", "replay", "verify",
                "--data", data.toString(), "--db", "jdbc:postgresql://localhost:1/hasm");
        usage("not both", "simulate", "--data", dir.resolve("never").toString(), "--db", "jdbc:postgresql://localhost:1/hasm",
                "--report", dir.resolve("never-report").toString());
        usage("not both", "load-test", "--data", dir.resolve("never").toString(), "--db", "jdbc:postgresql://localhost:1/hasm",
                "--report", dir.resolve("never-report").toString());
        usage("--host is the address of this node in a cluster: it goes with --join", "simulate", "--host", "10.0.0.1",
                "--data", dir.resolve("never").toString(), "--report", dir.resolve("never-report").toString());
        assertFalse(Files.exists(dir.resolve("never")));
        assertStoreUntouched();
    }

    /** A directory no file can be created in, for root too (immutable), or the test is skipped where neither works. */
    record Unwritable(Path dir, boolean immutable) implements AutoCloseable {
        static Unwritable make(Path dir) throws Exception {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
            if (!writable(dir)) {
                return new Unwritable(dir, false);
            }
            boolean immutable = chattr("+i", dir) && !writable(dir);
            if (!immutable) {
                Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(immutable, "cannot make a directory unwritable here");
            return new Unwritable(dir, true);
        }

        private static boolean writable(Path dir) {
            try {
                Files.delete(Files.createTempFile(dir, "probe", ""));
                return true;
            } catch (java.io.IOException e) {
                return false;
            }
        }

        private static boolean chattr(String flag, Path dir) throws InterruptedException {
            try {
                Process p = new ProcessBuilder("chattr", flag, dir.toString()).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                return p.waitFor() == 0;
            } catch (java.io.IOException e) {
                return false; // no chattr on this system
            }
        }

        @Override
        public void close() throws Exception {
            if (immutable) {
                chattr("-i", dir);
            }
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
