package org.hasm.actors.meter;

import org.hasm.actors.crypto.ChannelKey;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.crypto.TopUpKey;
import org.hasm.actors.crypto.VerifyingKey;

/**
 * What CsSecurity holds, and nobody else: the meter's end-to-end key with the central system
 * (AES-GCM-128), the central system's public command and credential key, the meter's top-up key, and
 * the log key that signs the chain heads of the segments CsSecurity and its peers keep.
 */
public record CsSecurityKeys(String meterId, String centralSystemId, ChannelKey channelKey, VerifyingKey commandKey,
                             TopUpKey topUpKey, SigningKeys logKey) {
}
