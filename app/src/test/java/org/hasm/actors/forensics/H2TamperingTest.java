package org.hasm.actors.forensics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.hasm.actors.central.LogKeyRegister;
import org.hasm.app.HasmCommand;
import org.hasm.persistence.Segment;
import org.hasm.persistence.jdbc.JournalStore;
import org.hasm.policy.Part;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tampering classes on the embedded H2 file database, and {@code hasm replay verify} on the same store. */
class H2TamperingTest extends TamperingContract {
    @TempDir
    static Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Override
    JournalStore store() {
        return JournalStore.h2(dir.resolve("data"));
    }

    /** What 'hasm simulate' writes beside the database; the contract's simulation runs without the command. */
    @BeforeAll
    void writeKeyRegister() throws Exception {
        keys.write(dir.resolve("data").resolve(LogKeyRegister.FILE_NAME));
    }

    private static void writeString(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private int hasm(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return HasmCommand.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void verifyExitsZeroOnAnUntouchedMeterAndOneOnATamperedOneNamingTheEntry() throws Exception {
        String data = dir.resolve("data").toString();
        Path file = dir.resolve("data").resolve(JournalStore.H2_DATABASE_NAME + ".mv.db");
        byte[] before = MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file));
        assertEquals(0, hasm("replay", "verify", "--data", data, "--meter", meter(0), "--all"), err.toString());
        assertTrue(out.toString().contains("all intact"), out.toString());
        assertTrue(out.toString().contains("every segment's newest entry is anchored (the run stopped cleanly)"), out.toString());
        assertTrue(out.toString().lines().anyMatch(l -> l.matches(meter(0) + " +metrology-log +\\d+ +\\d+ +- +ok")),
                "--all lists the intact segments too: " + out);
        assertTrue(MessageDigest.isEqual(before, MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))),
                "verify opened the database read-only: the file is byte for byte the same");

        String m = meter(10);
        Segment.Entry e = entries(m).get(9);
        write(m, e.seq(), new Segment.Entry(e.seq(), e.time(), e.kind(), e.key(), e.value() + "0", e.previousHash(), e.hash()));
        long bad = e.seq();
        assertEquals(HasmCommand.CHECK_FAILED, hasm("replay", "verify", "--data", data, "--meter", m + "," + meter(0)));
        assertTrue(out.toString().lines().anyMatch(l -> l.matches(m + " +" + Segment.journalName(Part.MetrologyLog)
                + " +\\d+ +\\d+ +" + bad + " +HASH_MISMATCH .*")), out.toString());
        assertFalse(out.toString().contains(meter(0) + " "), "only failing segments by default: " + out);

        assertEquals(HasmCommand.CHECK_FAILED, hasm("replay", "verify", "--data", data, "--meter", m, "--format", "json"));
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertFalse(json.get("intact").asBoolean());
        assertEquals(bad, json.get("segments").get(0).get("firstBadEntry").asLong());

        Path page = dir.resolve("verify.html");
        assertEquals(HasmCommand.CHECK_FAILED, hasm("replay", "verify", "--data", data, "--meter", m, "--format", "html",
                "--out", page.toString()));
        String html = Files.readString(page);
        assertTrue(html.startsWith("<!DOCTYPE html>") && html.contains("HASH_MISMATCH") && !html.contains("<script src"), html);
    }

    @Test
    void badArgumentsAreOneLineAndExitTwo() {
        assertEquals(HasmCommand.USAGE, hasm("replay", "verify", "--data", dir.resolve("no-such-dir").toString()));
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("hasm: no simulation data in "), err.toString());

        assertEquals(HasmCommand.USAGE, hasm("replay", "verify", "--data", dir.resolve("data").toString(), "--meter", "m4711"));
        assertEquals("hasm: unknown meter m4711: " + store().describe() + " holds no log and no account of it\n", err.toString());

        assertEquals(HasmCommand.USAGE, hasm("replay", "verify", "--data", dir.resolve("data").toString(), "--format", "pdf"));
        assertTrue(err.toString().lines().findFirst().orElse("").contains("pdf"), err.toString());

        assertEquals(HasmCommand.USAGE, hasm("replay", "verify", "--data", dir.resolve("data").toString(), "--keys",
                dir.resolve("no-such-register.json").toString()));
        assertEquals("hasm: no key register " + dir.resolve("no-such-register.json") + "\n", err.toString());

        Path notARegister = dir.resolve("not-a-register.json");
        assertTrue(notARegister.toFile().getParentFile().exists());
        writeString(notARegister, "{\"meters\": 3}");
        assertEquals(HasmCommand.USAGE, hasm("replay", "verify", "--data", dir.resolve("data").toString(), "--keys",
                notARegister.toString()));
        assertEquals("hasm: " + notARegister + " is not a key register of format " + LogKeyRegister.FORMAT + "\n", err.toString());

        assertEquals(0, hasm("replay", "verify", "--help"));
        assertTrue(out.toString().startsWith("Usage: hasm replay verify"), out.toString());
    }
}
