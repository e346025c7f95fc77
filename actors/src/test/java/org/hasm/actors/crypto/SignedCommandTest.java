package org.hasm.actors.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SignedCommandTest {
    private static final long NOW = 1_452_160_800L;
    private static final byte[] TARIFF = "peak 0.31 off-peak 0.17".getBytes(StandardCharsets.UTF_8);

    private final SecureRandom random = Fixtures.random("signed command test");
    private final SigningKeys centralKey = SigningKeys.generate(random);
    private final CommandSigner central = new CommandSigner(centralKey);
    private final OffSwitchKeys offSwitchA = OffSwitchKeys.generate("meter-A", random);
    private final OffSwitchKeys offSwitchB = OffSwitchKeys.generate("meter-B", random);

    private CommandVerifier csSecurityAtA() {
        return CommandVerifier.forCentralSystemCommands("meter-A", centralKey.verifyingKey(), 0);
    }

    private CommandVerifier offSwitchSecurityAtA() {
        return CommandVerifier.forSwitchCommands(offSwitchA.publicKey(), 0);
    }

    @Test
    void signedCommandVerifies() {
        SignedCommand tariff = central.sign("meter-A", 1, NOW, CommandKind.SET_TARIFF, TARIFF);
        assertEquals(CommandVerdict.ACCEPTED, csSecurityAtA().verify(tariff));
    }

    @Test
    void anyChangedByteOfTheWireFormFailsToVerify() {
        byte[] wire = central.sign("meter-A", 1, NOW, CommandKind.SET_TARIFF, TARIFF).encode();

        for (int i = 0; i < wire.length; i++) {
            for (int delta : new int[] {1, 0x80}) {
                byte[] changed = wire.clone();
                changed[i] ^= (byte) delta;
                Optional<SignedCommand> decoded = SignedCommand.decode(changed);
                if (decoded.isPresent()) {
                    assertNotEquals(CommandVerdict.ACCEPTED, csSecurityAtA().verify(decoded.get()), "byte " + i);
                }
            }
        }
    }

    @Test
    void changedFieldsFailTheSignature() {
        SignedCommand genuine = central.sign("meter-A", 5, NOW, CommandKind.SET_TARIFF, TARIFF);
        byte[] otherPayload = TARIFF.clone();
        otherPayload[0] ^= 1;

        SignedCommand[] forgeries = {
                new SignedCommand("meter-A", 6, NOW, CommandKind.SET_TARIFF, TARIFF, genuine.signature()),
                new SignedCommand("meter-A", 5, NOW + 1, CommandKind.SET_TARIFF, TARIFF, genuine.signature()),
                new SignedCommand("meter-A", 5, NOW, CommandKind.CLOCK_SYNC, TARIFF, genuine.signature()),
                new SignedCommand("meter-A", 5, NOW, CommandKind.SET_TARIFF, otherPayload, genuine.signature()),
                new SignedCommand("meter-A", 5, NOW, CommandKind.SET_TARIFF, TARIFF, new byte[3]),
        };
        for (SignedCommand forgery : forgeries) {
            assertEquals(CommandVerdict.BAD_SIGNATURE, csSecurityAtA().verify(forgery), forgery.toString());
        }
    }

    @Test
    void wireFormRoundTripsAndJunkDoesNotDecode() {
        SignedCommand command = central.sign("meter-A", 9, NOW, CommandKind.SET_LOAD_LIMIT, TARIFF);
        assertEquals(Optional.of(command), SignedCommand.decode(command.encode()));

        byte[] wire = command.encode();
        for (int length = 0; length < wire.length; length++) {
            assertTrue(SignedCommand.decode(Arrays.copyOf(wire, length)).isEmpty(), "length " + length);
        }
        for (int i = 0; i < 500; i++) {
            byte[] junk = new byte[random.nextInt(200)];
            random.nextBytes(junk);
            assertTrue(SignedCommand.decode(junk).isEmpty());
        }
    }

    @Test
    void commandForMeterAIsRefusedAtMeterB() {
        SignedCommand forA = central.sign("meter-A", 1, NOW, CommandKind.SET_TARIFF, TARIFF);
        CommandVerifier atB = CommandVerifier.forCentralSystemCommands("meter-B", centralKey.verifyingKey(), 0);

        assertEquals(CommandVerdict.WRONG_METER, atB.verify(forA));
    }

    @Test
    void switchCommandForMeterAIsRefusedAtMeterB() {
        SignedCommand offForA = offSwitchA.sign(1, NOW, CommandKind.SWITCH_OFF, new byte[0]);

        assertEquals(CommandVerdict.WRONG_METER,
                CommandVerifier.forSwitchCommands(offSwitchB.publicKey(), 0).verify(offForA));
    }

    @Test
    void switchCommandSignedWithAnotherMetersOffSwitchKeyIsRefused() {
        SignedCommand relabelled = SignedCommand.sign(
                SigningKeys.of(offSwitchB.privateKeyBytes()), "meter-A", 1, NOW, CommandKind.SWITCH_OFF, new byte[0]);

        assertEquals(CommandVerdict.BAD_SIGNATURE, offSwitchSecurityAtA().verify(relabelled));
    }

    @Test
    void switchCommandForMeterAFailsUnderMeterBsOffSwitchPublicKey() {
        SignedCommand offForA = offSwitchA.sign(1, NOW, CommandKind.SWITCH_OFF, new byte[0]);
        OffSwitchPublicKey wronglyProvisioned = new OffSwitchPublicKey("meter-A", offSwitchB.publicKey().key());

        assertEquals(CommandVerdict.BAD_SIGNATURE,
                CommandVerifier.forSwitchCommands(wronglyProvisioned, 0).verify(offForA));
    }

    @Test
    void switchCommandVerifiesWithTheMetersOffSwitchPublicKeyAlone() {
        OffSwitchPublicKey provisioned = new OffSwitchPublicKey("meter-A",
                VerifyingKey.of(offSwitchA.publicKey().key().toBytes()));
        CommandVerifier atA = CommandVerifier.forSwitchCommands(provisioned, 0);

        assertEquals(CommandVerdict.ACCEPTED, atA.verify(offSwitchA.sign(1, NOW, CommandKind.SWITCH_OFF, new byte[0])));
        assertEquals(CommandVerdict.ACCEPTED, atA.verify(offSwitchA.sign(2, NOW, CommandKind.SWITCH_ON, new byte[0])));
    }

    @Test
    void centralCommandKeyCannotSwitchAndOffSwitchKeyCannotSetTariffs() {
        assertThrows(IllegalArgumentException.class,
                () -> central.sign("meter-A", 1, NOW, CommandKind.SWITCH_OFF, new byte[0]));
        assertThrows(IllegalArgumentException.class,
                () -> offSwitchA.sign(1, NOW, CommandKind.SET_TARIFF, TARIFF));

        SignedCommand switchUnderCentralKey =
                SignedCommand.sign(centralKey, "meter-A", 1, NOW, CommandKind.SWITCH_OFF, new byte[0]);
        assertEquals(CommandVerdict.BAD_SIGNATURE, offSwitchSecurityAtA().verify(switchUnderCentralKey));
        assertEquals(CommandVerdict.KIND_NOT_ALLOWED, csSecurityAtA().verify(switchUnderCentralKey));
    }

    @Test
    void replayedCommandIsRefusedAndTheSequenceSurvivesExportAndImport() {
        CommandVerifier atA = offSwitchSecurityAtA();
        SignedCommand first = offSwitchA.sign(1, NOW, CommandKind.SWITCH_OFF, new byte[0]);
        SignedCommand second = offSwitchA.sign(2, NOW, CommandKind.SWITCH_ON, new byte[0]);

        assertEquals(CommandVerdict.ACCEPTED, atA.verify(first));
        assertEquals(CommandVerdict.REPLAYED, atA.verify(first));
        CommandVerifier restored = CommandVerifier.forSwitchCommands(offSwitchA.publicKey(),
                atA.lastAcceptedSequence());
        assertEquals(CommandVerdict.REPLAYED, restored.verify(first));
        assertEquals(CommandVerdict.ACCEPTED, restored.verify(second));
    }

    @Test
    void offSwitchKeysRestoredFromStorageSignTheSame() {
        OffSwitchKeys restored = OffSwitchKeys.of("meter-A", offSwitchA.privateKeyBytes());
        assertEquals(offSwitchA.publicKey(), restored.publicKey());
    }

    @Test
    void signaturesAreDomainSeparatedFromTechnicianCredentials() {
        TechnicianCredential credential = new TechnicianCredentialIssuer(centralKey)
                .issue("tech-7", "meter-A", NOW, NOW + 3600, TechnicianScope.MAINTENANCE);
        SignedCommand borrowed = new SignedCommand("meter-A", 1, NOW, CommandKind.SET_TARIFF, TARIFF,
                credential.signature());
        assertEquals(CommandVerdict.BAD_SIGNATURE, csSecurityAtA().verify(borrowed));
    }
}
