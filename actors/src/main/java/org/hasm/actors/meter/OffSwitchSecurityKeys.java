package org.hasm.actors.meter;

import org.hasm.actors.crypto.ChannelKey;
import org.hasm.actors.crypto.GcmFrameSealer;
import org.hasm.actors.crypto.InvocationCounter;
import org.hasm.actors.crypto.OffSwitchPublicKey;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.crypto.SystemTitle;

/**
 * What OffSwitchSecurity holds, and nobody else: the public half of the meter's off-switch key pair
 * (it can check switch commands, forge none) and the key that authenticates its reports to the
 * central system, and its own log key that signs the OffSwitchLog's chain heads.
 */
public record OffSwitchSecurityKeys(OffSwitchPublicKey offSwitchKey, ChannelKey reportKey, SigningKeys logKey,
                                    long lastAcceptedSequence, long lastReportCounter) {
    GcmFrameSealer reportSealer() {
        return new GcmFrameSealer(reportKey, SystemTitle.ofMeter(offSwitchKey.meterId()),
                InvocationCounter.resumingAfter(lastReportCounter));
    }
}
