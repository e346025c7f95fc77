package org.hasm.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** However many segments retry, the user reads one line when the database goes and one when it is back. */
class JournalHealthTest {
    private final List<String> said = new ArrayList<>();
    private final AtomicLong clock = new AtomicLong();
    private final JournalHealth health = new JournalHealth(said::add, clock::get);

    @Test
    void sixtyThousandFailingJournalsMakeOneLineAndTheirRecoveryAnother() {
        for (int round = 0; round < 3; round++) { // each journal fails again at every backoff attempt
            for (int i = 0; i < 60_000; i++) {
                health.failed("metrology-log|m" + i);
            }
        }
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.get(0).startsWith("database unreachable: "), said.get(0));
        assertEquals(60_000, health.failing());

        for (int i = 0; i < 59_999; i++) {
            health.resumed("metrology-log|m" + i);
        }
        assertEquals(1, said.size(), "still one journal waiting");
        clock.addAndGet(Duration.ofSeconds(12).toNanos());
        health.resumed("metrology-log|m59999");
        assertEquals("database reachable again after 12 s: every journal writes again", said.get(1));
        assertEquals(2, said.size());
        assertEquals(1, health.outages());
    }

    @Test
    void aLongOutageIsRemindedAtMostEveryThirtySeconds() {
        health.failed("a");
        clock.addAndGet(Duration.ofSeconds(10).toNanos());
        health.failed("b");
        clock.addAndGet(Duration.ofSeconds(25).toNanos());
        health.failed("c");
        health.failed("d");
        assertEquals(List.of("database still unreachable after 35 s: 3 segment journals are waiting"), said.subList(1, said.size()));
    }

    @Test
    void aJournalThatRecoversWithoutHavingFailedSaysNothing() {
        health.resumed("never-failed");
        assertEquals(List.of(), said);
        assertEquals(0, health.outages());
    }
}
