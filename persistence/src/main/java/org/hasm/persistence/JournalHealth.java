package org.hasm.persistence;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the user hears about the database: one line when segment journals start failing, a reminder at
 * most every 30 s while they are, and one line when all of them write again, whether one segment or
 * sixty thousand are retrying. Segments report here from their signal handlers; the lock is held only
 * for a set update, and only on failures and recoveries after them.
 */
public final class JournalHealth implements Extension {
    private static final Duration REMINDER = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger("hasm.storage");

    private final Set<String> failing = new HashSet<>();
    private final Consumer<String> user;
    private final LongSupplier nanoTime;
    private long since;
    private long lastSaid;
    private long outages;

    JournalHealth(Consumer<String> user, LongSupplier nanoTime) {
        this.user = user;
        this.nanoTime = nanoTime;
    }

    /** For a segment outside any system that reports (unit tests of other things). */
    public static JournalHealth ignoring() {
        return new JournalHealth(message -> { }, System::nanoTime);
    }

    /** The journal of {@code persistenceId} failed a write or a recovery; it retries with backoff. */
    public synchronized void failed(String persistenceId) {
        if (!failing.add(persistenceId)) {
            return;
        }
        long now = nanoTime.getAsLong();
        if (failing.size() == 1) {
            since = now;
            lastSaid = now;
            outages++;
            user.accept("database unreachable: meters keep running and their journals retry with backoff (up to 10 s"
                    + " apart); every entry confirmed so far is safe, new ones are confirmed once it is back");
        } else if (now - lastSaid >= REMINDER.toNanos()) {
            lastSaid = now;
            user.accept("database still unreachable after " + seconds(now - since) + " s: " + failing.size()
                    + " segment journals are waiting");
        }
    }

    /** The journal of {@code persistenceId} recovered after a failure. */
    public synchronized void resumed(String persistenceId) {
        if (failing.remove(persistenceId) && failing.isEmpty()) {
            user.accept("database reachable again after " + seconds(nanoTime.getAsLong() - since)
                    + " s: every journal writes again");
        }
    }

    /** Segment journals failing now. */
    public synchronized int failing() {
        return failing.size();
    }

    /** Outages seen so far (a run of failures that ended when every journal wrote again). */
    public synchronized long outages() {
        return outages;
    }

    private static long seconds(long nanos) {
        return Math.round(nanos / 1e9);
    }

    public static JournalHealth get(ActorSystem<?> system) {
        return Id.INSTANCE.apply(system);
    }

    /** The system's one instance; it speaks through the {@code hasm.storage} logger. */
    public static final class Id extends ExtensionId<JournalHealth> {
        static final Id INSTANCE = new Id();

        @Override
        public JournalHealth createExtension(ActorSystem<?> system) {
            return new JournalHealth(LOG::warn, System::nanoTime);
        }
    }
}
