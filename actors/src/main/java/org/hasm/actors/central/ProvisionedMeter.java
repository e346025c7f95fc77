package org.hasm.actors.central;

import java.nio.charset.StandardCharsets;
import org.hasm.actors.crypto.ChannelKey;
import org.hasm.actors.crypto.CommandKind;
import org.hasm.actors.crypto.CommandSigner;
import org.hasm.actors.crypto.FrameKind;
import org.hasm.actors.crypto.GcmFrameOpener;
import org.hasm.actors.crypto.GcmFrameSealer;
import org.hasm.actors.crypto.InvocationCounter;
import org.hasm.actors.crypto.OffSwitchKeys;
import org.hasm.actors.crypto.Opened;
import org.hasm.actors.crypto.SignedLogAnchor;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.crypto.SystemTitle;
import org.hasm.actors.crypto.TechnicianCredentialIssuer;
import org.hasm.actors.crypto.TechnicianScope;
import org.hasm.actors.crypto.TopUpKey;
import org.hasm.actors.crypto.TopUpTokenIssuer;
import org.hasm.actors.crypto.VerifyingKey;
import org.hasm.actors.meter.CsSecurityKeys;
import org.hasm.actors.meter.OffSwitchSecurityKeys;

/**
 * One meter as the central system knows it: the keys it shares with the meter, the private half of
 * the meter's off-switch key pair, and the counters of what it has sent. It makes the frames the
 * central system sends (sealed commands, signed switch commands, top-up tokens, technician
 * credentials) and opens what the meter sends back. Not thread-safe: one owner at a time.
 */
public final class ProvisionedMeter {
    private final String meterId;
    private final String centralSystemId;
    private final ChannelKey channelKey;
    private final OffSwitchKeys offSwitchKeys;
    private final ChannelKey reportKey;
    private final TopUpKey topUpKey;
    private final CommandSigner commandSigner;
    private final VerifyingKey commandVerifyingKey;
    private final TechnicianCredentialIssuer credentials;
    private final SigningKeys csLogKey;
    private final SigningKeys offSwitchLogKey;
    private GcmFrameSealer toMeter;
    private GcmFrameOpener fromMeter;
    private GcmFrameOpener switchReports;
    private TopUpTokenIssuer topUps;
    private long commandSequence;
    private long switchSequence;

    ProvisionedMeter(String meterId, String centralSystemId, ChannelKey channelKey, OffSwitchKeys offSwitchKeys,
                     ChannelKey reportKey, TopUpKey topUpKey, CommandSigner commandSigner, VerifyingKey commandVerifyingKey,
                     TechnicianCredentialIssuer credentials, SigningKeys csLogKey, SigningKeys offSwitchLogKey) {
        this.csLogKey = csLogKey;
        this.offSwitchLogKey = offSwitchLogKey;
        this.meterId = meterId;
        this.centralSystemId = centralSystemId;
        this.channelKey = channelKey;
        this.offSwitchKeys = offSwitchKeys;
        this.reportKey = reportKey;
        this.topUpKey = topUpKey;
        this.commandSigner = commandSigner;
        this.commandVerifyingKey = commandVerifyingKey;
        this.credentials = credentials;
        this.toMeter = new GcmFrameSealer(channelKey, SystemTitle.ofCentralSystem(centralSystemId), InvocationCounter.fresh());
        this.fromMeter = new GcmFrameOpener(channelKey, SystemTitle.ofMeter(meterId));
        this.switchReports = new GcmFrameOpener(reportKey, SystemTitle.ofMeter(meterId));
        this.topUps = new TopUpTokenIssuer(meterId, topUpKey, 0);
    }

    public String meterId() {
        return meterId;
    }

    /** What the meter's CsSecurity is provisioned with. */
    public CsSecurityKeys csSecurityKeys() {
        return new CsSecurityKeys(meterId, centralSystemId, channelKey, commandVerifyingKey, topUpKey, csLogKey);
    }

    /** What the meter's OffSwitchSecurity is provisioned with: no private key. */
    public OffSwitchSecurityKeys offSwitchSecurityKeys() {
        return new OffSwitchSecurityKeys(offSwitchKeys.publicKey(), reportKey, offSwitchLogKey, 0, 0);
    }

    /** A signed ordinary command sealed in a frame for the meter's CsSecurity. */
    public byte[] command(CommandKind kind, String payload, long nowEpochSeconds) {
        byte[] signed = commandSigner.sign(meterId, ++commandSequence, nowEpochSeconds, kind,
                payload.getBytes(StandardCharsets.UTF_8)).encode();
        return toMeter.seal(FrameKind.COMMAND, signed);
    }

    /**
     * An acknowledgement of every reading up to {@code readingsUntil} (interval end, epoch millis), sealed
     * for the meter's CsSecurity: the frame's authentication and anti-replay counter are what stop anyone
     * else from making a meter release readings.
     */
    public byte[] acknowledgement(long readingsUntil) {
        return toMeter.seal(FrameKind.ACKNOWLEDGEMENT, Long.toString(readingsUntil).getBytes(StandardCharsets.UTF_8));
    }

    /** A switch command signed with this meter's off-switch key, for its OffSwitchSecurity. */
    public byte[] switchCommand(boolean on, long nowEpochSeconds) {
        return offSwitchKeys.sign(++switchSequence, nowEpochSeconds, on ? CommandKind.SWITCH_ON : CommandKind.SWITCH_OFF,
                new byte[0]).encode();
    }

    public byte[] topUpToken(long amountCents, long nowEpochSeconds) {
        return topUps.issue(amountCents, nowEpochSeconds).encode();
    }

    public byte[] technicianCredential(String technicianId, long notBefore, long notAfter, TechnicianScope scope) {
        return credentials.issue(technicianId, meterId, notBefore, notAfter, scope).encode();
    }

    /** The public halves of the meter's two log keys, for the key register replay verifies anchors with. */
    public LogKeyRegister.LogKeys logKeys() {
        return new LogKeyRegister.LogKeys(csLogKey.verifyingKey(), offSwitchLogKey.verifyingKey());
    }

    /** Checks an anchor of a segment kept by CsSecurity or its peers (log key of CsSecurity). */
    public boolean anchorVerifiesFromCsSecurity(SignedLogAnchor anchor) {
        return meterId.equals(anchor.meterId()) && anchor.verifies(csLogKey.verifyingKey());
    }

    /** Checks an anchor of the OffSwitchLog (OffSwitchSecurity's own log key). */
    public boolean anchorVerifiesFromOffSwitchSecurity(SignedLogAnchor anchor) {
        return meterId.equals(anchor.meterId()) && anchor.verifies(offSwitchLogKey.verifyingKey());
    }

    /**
     * Continues after what a MeterAccount persisted, so an account restarted with fresh keys from the
     * registry neither reuses an IV or sequence nor accepts an old frame again. Never moves a counter back:
     * the registry may hand out the same, still live, instance.
     */
    public void resumeAfter(Counters c) {
        if (c.framesToMeter() > toMeter.lastUsedCounter()) {
            toMeter = new GcmFrameSealer(channelKey, SystemTitle.ofCentralSystem(centralSystemId),
                    InvocationCounter.resumingAfter(c.framesToMeter()));
        }
        if (c.framesFromMeter() > fromMeter.lastAcceptedCounter()) {
            fromMeter = new GcmFrameOpener(channelKey, SystemTitle.ofMeter(meterId), c.framesFromMeter());
        }
        if (c.switchReports() > switchReports.lastAcceptedCounter()) {
            switchReports = new GcmFrameOpener(reportKey, SystemTitle.ofMeter(meterId), c.switchReports());
        }
        if (c.topUpTokens() > topUps.lastIssuedTokenId()) {
            topUps = new TopUpTokenIssuer(meterId, topUpKey, c.topUpTokens());
        }
        commandSequence = Math.max(commandSequence, c.commands());
        switchSequence = Math.max(switchSequence, c.switchCommands());
    }

    /** The same keys with every counter at zero: what a key store gives back after a restart. */
    ProvisionedMeter reloaded() {
        return new ProvisionedMeter(meterId, centralSystemId, channelKey, offSwitchKeys, reportKey, topUpKey, commandSigner,
                commandVerifyingKey, credentials, csLogKey, offSwitchLogKey);
    }

    /** The counters to persist: last frame sealed and opened per channel, last sequence and token id. */
    public Counters counters() {
        return new Counters(toMeter.lastUsedCounter(), fromMeter.lastAcceptedCounter(), switchReports.lastAcceptedCounter(),
                commandSequence, switchSequence, topUps.lastIssuedTokenId());
    }

    public record Counters(long framesToMeter, long framesFromMeter, long switchReports, long commands, long switchCommands,
                           long topUpTokens) {
    }

    /** A frame the meter's CsSecurity sealed. */
    public Opened openFromMeter(byte[] frame) {
        return fromMeter.open(frame);
    }

    /** A report OffSwitchSecurity sealed. */
    public Opened openSwitchReport(byte[] frame) {
        return switchReports.open(frame);
    }
}
