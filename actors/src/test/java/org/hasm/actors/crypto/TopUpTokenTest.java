package org.hasm.actors.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopUpTokenTest {
    private static final long NOW = 1_452_160_800L;
    private static final int WINDOW = 8;

    private final SecureRandom random = Fixtures.random("top-up token test");
    private final TopUpKey keyA = TopUpKey.generate(random);
    private final TopUpKey keyB = TopUpKey.generate(random);
    private final TopUpTokenIssuer vendingA = new TopUpTokenIssuer("meter-A", keyA, 0);
    private final TopUpTokenAcceptor meterA = new TopUpTokenAcceptor("meter-A", keyA, TokenIdWindow.empty(WINDOW));

    @Test
    void tokenIsAcceptedOnceAndRefusedOnReuse() {
        TopUpToken token = vendingA.issue(2_000, NOW);

        assertEquals(TopUpVerdict.ACCEPTED, meterA.accept(token));
        assertEquals(TopUpVerdict.ALREADY_USED, meterA.accept(token));
    }

    @Test
    void tokenForAnotherMeterIsRefused() {
        TopUpToken forB = new TopUpTokenIssuer("meter-B", keyB, 0).issue(2_000, NOW);
        TopUpToken forBUnderAsKey = new TopUpTokenIssuer("meter-B", keyA, 0).issue(2_000, NOW);

        assertEquals(TopUpVerdict.WRONG_METER, meterA.accept(forB));
        assertEquals(TopUpVerdict.WRONG_METER, meterA.accept(forBUnderAsKey));
    }

    @Test
    void tokenMadeWithAnotherMetersKeyIsRefused() {
        TopUpToken forged = new TopUpTokenIssuer("meter-A", keyB, 0).issue(2_000, NOW);
        assertEquals(TopUpVerdict.BAD_MAC, meterA.accept(forged));
    }

    @Test
    void changedAmountOrAnyOtherFieldIsRefused() {
        TopUpToken genuine = vendingA.issue(2_000, NOW);
        TopUpToken[] changed = {
                new TopUpToken("meter-A", 1, 200_000, NOW, genuine.mac()),
                new TopUpToken("meter-A", 2, 2_000, NOW, genuine.mac()),
                new TopUpToken("meter-A", 1, 2_000, NOW + 60, genuine.mac()),
        };
        for (TopUpToken token : changed) {
            assertEquals(TopUpVerdict.BAD_MAC, meterA.accept(token), token.toString());
        }
        assertEquals(TopUpVerdict.ACCEPTED, meterA.accept(genuine), "refusals do not consume the id");
    }

    @Test
    void anyChangedByteOfTheWireFormIsRefused() {
        byte[] wire = vendingA.issue(2_000, NOW).encode();
        for (int i = 0; i < wire.length; i++) {
            byte[] changed = wire.clone();
            changed[i] ^= 0x01;
            Optional<TopUpToken> decoded = TopUpToken.decode(changed);
            if (decoded.isPresent()) {
                assertNotEquals(TopUpVerdict.ACCEPTED, meterA.accept(decoded.get()), "byte " + i);
            }
        }
        assertEquals(TopUpVerdict.ACCEPTED, meterA.accept(TopUpToken.decode(wire).orElseThrow()));
    }

    @Test
    void truncatedOrRandomWireFormsDoNotDecode() {
        byte[] wire = vendingA.issue(2_000, NOW).encode();
        for (int length = 0; length < wire.length; length++) {
            assertTrue(TopUpToken.decode(Arrays.copyOf(wire, length)).isEmpty(), "length " + length);
        }
        for (int i = 0; i < 500; i++) {
            byte[] junk = new byte[random.nextInt(120)];
            random.nextBytes(junk);
            assertTrue(TopUpToken.decode(junk).isEmpty());
        }
    }

    @Test
    void tokensInsideTheWindowAreAcceptedInAnyOrder() {
        List<TopUpToken> tokens = new ArrayList<>();
        for (int i = 0; i < WINDOW; i++) {
            tokens.add(vendingA.issue(500, NOW));
        }
        for (int i = tokens.size() - 1; i >= 0; i--) {
            assertEquals(TopUpVerdict.ACCEPTED, meterA.accept(tokens.get(i)), "token " + (i + 1));
        }
    }

    @Test
    void unusedTokenBelowTheWindowIsRefusedAsTooOld() {
        TopUpToken early = vendingA.issue(500, NOW);
        TopUpToken last = null;
        for (int i = 0; i < WINDOW; i++) {
            last = vendingA.issue(500, NOW);
        }

        assertEquals(TopUpVerdict.ACCEPTED, meterA.accept(last));
        assertEquals(WINDOW + 1, last.tokenId());
        assertEquals(TopUpVerdict.TOO_OLD, meterA.accept(early));
    }

    @Test
    void windowStateSurvivesExportAndImport() {
        TopUpToken one = vendingA.issue(100, NOW);
        TopUpToken two = vendingA.issue(100, NOW);
        TopUpToken three = vendingA.issue(100, NOW);
        meterA.accept(one);
        meterA.accept(three);

        TokenIdWindow.State state = meterA.windowState();
        TopUpTokenAcceptor restored = new TopUpTokenAcceptor("meter-A", keyA, TokenIdWindow.restore(state));

        assertEquals(state, restored.windowState());
        assertEquals(TopUpVerdict.ALREADY_USED, restored.accept(one));
        assertEquals(TopUpVerdict.ALREADY_USED, restored.accept(three));
        assertEquals(TopUpVerdict.ACCEPTED, restored.accept(two));
    }

    @Test
    void windowMemoryStaysBounded() {
        for (int i = 0; i < 10 * WINDOW; i++) {
            assertEquals(TopUpVerdict.ACCEPTED, meterA.accept(vendingA.issue(100, NOW)));
        }
        TokenIdWindow.State state = meterA.windowState();
        assertEquals(10 * WINDOW, state.highest());
        assertTrue(state.usedIds().length <= WINDOW);
    }

    @Test
    void issuerResumesAfterItsLastIssuedIdAndRefusesNonPositiveAmounts() {
        vendingA.issue(100, NOW);
        TopUpTokenIssuer resumed = new TopUpTokenIssuer("meter-A", keyA, vendingA.lastIssuedTokenId());
        assertEquals(2, resumed.issue(100, NOW).tokenId());
        assertThrows(IllegalArgumentException.class, () -> resumed.issue(0, NOW));
        assertThrows(IllegalArgumentException.class, () -> resumed.issue(-500, NOW));
    }
}
