package org.hasm.actors.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TechnicianCredentialTest {
    private static final long FROM = 1_452_160_800L;
    private static final long UNTIL = FROM + 4 * 3600;

    private final SecureRandom random = Fixtures.random("technician credential test");
    private final SigningKeys centralKey = SigningKeys.generate(random);
    private final TechnicianCredentialIssuer issuer = new TechnicianCredentialIssuer(centralKey);
    private final TechnicianCredentialVerifier atA =
            new TechnicianCredentialVerifier("meter-A", centralKey.verifyingKey());
    private final TechnicianCredential credential =
            issuer.issue("tech-7", "meter-A", FROM, UNTIL, TechnicianScope.MAINTENANCE);

    @Test
    void credentialIsValidInsideItsWindowOnly() {
        assertEquals(CredentialVerdict.NOT_YET_VALID, atA.check(credential, FROM - 1));
        assertEquals(CredentialVerdict.VALID, atA.check(credential, FROM));
        assertEquals(CredentialVerdict.VALID, atA.check(credential, UNTIL - 1));
        assertEquals(CredentialVerdict.EXPIRED, atA.check(credential, UNTIL));
    }

    @Test
    void credentialForAnotherMeterIsRefused() {
        TechnicianCredentialVerifier atB = new TechnicianCredentialVerifier("meter-B", centralKey.verifyingKey());
        assertEquals(CredentialVerdict.WRONG_METER, atB.check(credential, FROM));
    }

    @Test
    void extendedWindowWiderScopeOrOtherIssuerIsRefused() {
        TechnicianCredential extended = new TechnicianCredential("tech-7", "meter-A", FROM, UNTIL + 86_400,
                TechnicianScope.MAINTENANCE, credential.signature());
        TechnicianCredential widened = new TechnicianCredential("tech-7", "meter-A", FROM, UNTIL,
                TechnicianScope.METER_EXCHANGE, credential.signature());
        TechnicianCredential otherTechnician = new TechnicianCredential("tech-8", "meter-A", FROM, UNTIL,
                TechnicianScope.MAINTENANCE, credential.signature());
        TechnicianCredential selfIssued = new TechnicianCredentialIssuer(SigningKeys.generate(random))
                .issue("tech-7", "meter-A", FROM, UNTIL, TechnicianScope.MAINTENANCE);

        for (TechnicianCredential forged : new TechnicianCredential[] {extended, widened, otherTechnician, selfIssued}) {
            assertEquals(CredentialVerdict.BAD_SIGNATURE, atA.check(forged, FROM), forged.toString());
        }
    }

    @Test
    void wireFormRoundTripsAndChangedBytesNeverVerify() {
        byte[] wire = credential.encode();
        assertEquals(Optional.of(credential), TechnicianCredential.decode(wire));
        for (int i = 0; i < wire.length; i++) {
            byte[] changed = wire.clone();
            changed[i] ^= 0x01;
            TechnicianCredential.decode(changed).ifPresent(c ->
                    assertTrue(atA.check(c, FROM) != CredentialVerdict.VALID, "changed " + c));
        }
    }
}
