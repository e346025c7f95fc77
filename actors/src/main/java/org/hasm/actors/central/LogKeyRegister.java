package org.hasm.actors.central;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.hasm.actors.crypto.SignedLogAnchor;
import org.hasm.actors.crypto.VerifyingKey;
import org.hasm.actors.link.SecurityModule;
import org.hasm.persistence.Segment;
import org.hasm.policy.Part;

/**
 * The public halves of every meter's two log keys, as provisioned: CsSecurity's, which signs the heads of
 * five segments, and OffSwitchSecurity's, which signs the OffSwitchLog's. It is the trust root of
 * {@code hasm replay verify}: kept apart from the database (a file written when the meters are
 * provisioned), so whoever rewrites the central system's journal cannot also choose the keys its
 * anchors are checked with.
 *
 * <p>File format (JSON): {@code {"format": "hasm/log-keys/v1", "meters": {"m00000": {"cs-security": HEX,
 * "off-switch-security": HEX}, ...}}}, each key the 32-byte Ed25519 public key in hex.
 */
public final class LogKeyRegister {
    public static final String FORMAT = "hasm/log-keys/v1";
    /** The name simulate gives the register beside the store it writes. */
    public static final String FILE_NAME = "log-keys.json";
    private static final String OFF_SWITCH_LOG = Segment.journalName(Part.OffSwitchLog);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One meter's two public log keys. */
    public record LogKeys(VerifyingKey csSecurity, VerifyingKey offSwitchSecurity) {
    }

    /** Whether an anchor is its meter's, and if not, why not. */
    public enum Verdict { SIGNED_BY_THE_METER, UNKNOWN_METER, WRONG_MODULE, BAD_SIGNATURE }

    private final Map<String, LogKeys> meters;

    private LogKeyRegister(Map<String, LogKeys> meters) {
        this.meters = meters;
    }

    public static LogKeyRegister of(Map<String, LogKeys> meters) {
        return new LogKeyRegister(new TreeMap<>(meters));
    }

    public Optional<LogKeys> keys(String meterId) {
        return Optional.ofNullable(meters.get(meterId));
    }

    /** The module that signs the heads of {@code segment} (P9/P10: the OffSwitchLog has its own). */
    public static SecurityModule signer(String segment) {
        return segment.equals(OFF_SWITCH_LOG) ? SecurityModule.OFF_SWITCH_SECURITY : SecurityModule.CS_SECURITY;
    }

    /** Whether {@code anchor} is signed by its meter's module that keeps its segment, under the provisioned key. */
    public Verdict check(SignedLogAnchor anchor, SecurityModule channel) {
        LogKeys keys = meters.get(anchor.meterId());
        if (keys == null) {
            return Verdict.UNKNOWN_METER;
        }
        SecurityModule signer = signer(anchor.segment());
        if (channel != signer) {
            return Verdict.WRONG_MODULE;
        }
        VerifyingKey key = signer == SecurityModule.OFF_SWITCH_SECURITY ? keys.offSwitchSecurity() : keys.csSecurity();
        return anchor.verifies(key) ? Verdict.SIGNED_BY_THE_METER : Verdict.BAD_SIGNATURE;
    }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode().put("format", FORMAT);
        ObjectNode all = root.putObject("meters");
        HexFormat hex = HexFormat.of();
        meters.forEach((id, k) -> all.putObject(id).put("cs-security", hex.formatHex(k.csSecurity().toBytes()))
                .put("off-switch-security", hex.formatHex(k.offSwitchSecurity().toBytes())));
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, toJson(), StandardCharsets.UTF_8);
    }

    /** Reads a register; {@link Malformed} with one line saying what is wrong. */
    public static LogKeyRegister read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (JsonProcessingException | java.nio.charset.MalformedInputException e) {
            throw new Malformed(file + " is not a key register (JSON of format " + FORMAT + ")");
        }
        if (root == null || !FORMAT.equals(root.path("format").asText()) || !root.path("meters").isObject()) {
            throw new Malformed(file + " is not a key register of format " + FORMAT);
        }
        Map<String, LogKeys> meters = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("meters").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> m = it.next();
            meters.put(m.getKey(), new LogKeys(key(file, m, "cs-security"), key(file, m, "off-switch-security")));
        }
        return new LogKeyRegister(meters);
    }

    private static VerifyingKey key(Path file, Map.Entry<String, JsonNode> meter, String module) {
        try {
            return VerifyingKey.of(HexFormat.of().parseHex(meter.getValue().path(module).asText()));
        } catch (IllegalArgumentException e) {
            throw new Malformed(file + ": meter " + meter.getKey() + " has no valid " + module + " key");
        }
    }

    /** A register file that cannot be read as one. */
    public static final class Malformed extends IllegalArgumentException {
        Malformed(String message) {
            super(message);
        }
    }
}
