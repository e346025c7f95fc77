package org.hasm.actors.forensics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

/**
 * An anchor deleted at the central system by someone who also renumbered the account's later events
 * leaves no hole in the account's journal; the meters' anchoring rhythm still gives it away.
 */
class MissingAnchorTest {
    private static final int EVERY = 96;
    private static final BiPredicate<Long, Long> NOTHING_REFUSED = (after, before) -> false;

    private static CentralAnchors.Recorded anchor(long seq, long event) {
        return new CentralAnchors.Recorded(seq, new byte[32], event);
    }

    private final List<CentralAnchors.Recorded> everyAnchor = List.of(anchor(96, 10), anchor(192, 20), anchor(288, 30));

    @Test
    void anchorsAsOftenAsTheMeterSendsThemAreComplete() {
        assertEquals(Optional.empty(), StoreVerification.missingAnchor(everyAnchor, 300, EVERY, NOTHING_REFUSED));
        // the owner anchors when it hears of its own entries; the segment's notes may come in between
        List<CentralAnchors.Recorded> late = List.of(anchor(96 + StoreVerification.ANCHOR_SLACK, 10));
        assertEquals(Optional.empty(), StoreVerification.missingAnchor(late, 150, EVERY, NOTHING_REFUSED));
    }

    @Test
    void aMissingAnchorInTheMiddleIsNamedByTheFirstEntryItLeavesUncovered() {
        List<CentralAnchors.Recorded> withoutSecond = List.of(everyAnchor.get(0), everyAnchor.get(2));
        Optional<StoreVerification.Problem> p = StoreVerification.missingAnchor(withoutSecond, 300, EVERY, NOTHING_REFUSED);
        assertEquals(97, p.orElseThrow().seq());
        assertEquals("MISSING_ANCHOR", p.get().reason());
        assertTrue(p.get().detail().contains("between entries 96 and 288"), p.get().detail());
    }

    @Test
    void aMissingLastAnchorLeavesTheTailUncovered() {
        Optional<StoreVerification.Problem> p = StoreVerification.missingAnchor(everyAnchor.subList(0, 2), 300, EVERY,
                NOTHING_REFUSED);
        assertEquals(193, p.orElseThrow().seq());
        assertTrue(p.get().detail().contains("entries 193..300"), p.get().detail());
    }

    @Test
    void aFrameRefusedInBetweenMayHaveBeenTheAnchorSoNothingIsClaimed() {
        List<CentralAnchors.Recorded> withoutSecond = List.of(everyAnchor.get(0), everyAnchor.get(2));
        BiPredicate<Long, Long> refusedAt15 = (after, before) -> after < 15 && 15 < before;
        assertEquals(Optional.empty(), StoreVerification.missingAnchor(withoutSecond, 300, EVERY, refusedAt15));
    }
}
