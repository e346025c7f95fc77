package org.hasm.actors.central;

import java.security.SecureRandom;
import org.hasm.actors.crypto.ChannelKey;
import org.hasm.actors.crypto.CommandSigner;
import org.hasm.actors.crypto.OffSwitchKeys;
import org.hasm.actors.crypto.SigningKeys;
import org.hasm.actors.crypto.TechnicianCredentialIssuer;
import org.hasm.actors.crypto.TopUpKey;
import org.hasm.actors.crypto.VerifyingKey;

/**
 * The central system's key factory: one fleet command key (it signs ordinary commands and technician
 * credentials, never switch commands) and, per meter, independent keys (P15): the end-to-end channel
 * key, the off-switch key pair, the off-switch report key, the top-up key and the log keys of CsSecurity and
 * OffSwitchSecurity (in a deployment the meter makes its log key pairs and enrols the public halves). The seed of the real
 * central system: it builds and checks the frames the central system sends and receives.
 */
public final class Provisioning {
    private final String centralSystemId;
    private final SecureRandom random;
    private final SigningKeys commandKey;

    public Provisioning(String centralSystemId, SecureRandom random) {
        this.centralSystemId = centralSystemId;
        this.random = random;
        this.commandKey = SigningKeys.generate(random);
    }

    public String centralSystemId() {
        return centralSystemId;
    }

    public VerifyingKey commandVerifyingKey() {
        return commandKey.verifyingKey();
    }

    /** Fresh, independent keys for one meter. */
    public ProvisionedMeter provision(String meterId) {
        return provision(meterId, random);
    }

    /**
     * Keys for one meter drawn from {@code meterRandom} alone, so they do not depend on which meters were
     * provisioned before it (the simulation's seeded fleet derives any meter's keys on any node this way).
     */
    public ProvisionedMeter provision(String meterId, SecureRandom meterRandom) {
        return new ProvisionedMeter(meterId, centralSystemId, ChannelKey.generate(meterRandom),
                OffSwitchKeys.generate(meterId, meterRandom), ChannelKey.generate(meterRandom), TopUpKey.generate(meterRandom),
                new CommandSigner(commandKey), commandKey.verifyingKey(), new TechnicianCredentialIssuer(commandKey),
                SigningKeys.generate(meterRandom), SigningKeys.generate(meterRandom));
    }
}
