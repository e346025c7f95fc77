package org.hasm.actors.concentrator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.hasm.actors.crypto.SystemTitle;
import org.hasm.policy.kernel.PolicyMessage;
import org.slf4j.Logger;

/**
 * The meters attached to one concentrator: which group and member index each is, how to reach its
 * Communications, and which meter a frame's claimed sender names. Kept apart because forwarding, the
 * central system's downlink and aggregation all look meters up here, and a meter whose node restarted is
 * attached again. Not thread-safe: owned by one actor.
 */
final class MeterRoster {

    /** @param communications the way to the meter's Communications: its kernel channel, or a bridge on its node */
    record Member(String meterId, String group, int index, Consumer<PolicyMessage> communications) {
    }

    private final String concentratorId;
    /** The actor's logger, asked for at each line as the actor itself does. */
    private final Supplier<Logger> log;
    /** Per group, its members by index; a slot is null until that meter is attached. */
    private final Map<String, Member[]> groups = new HashMap<>();
    private final Map<String, Member> members = new HashMap<>();
    private final Map<SystemTitle, String> senders = new HashMap<>();

    MeterRoster(String concentratorId, List<AggregationGroup> groups, Supplier<Logger> log) {
        this.concentratorId = concentratorId;
        this.log = log;
        for (AggregationGroup g : groups) {
            this.groups.put(g.id(), new Member[g.size()]);
        }
    }

    /** Attaches a meter, or again the same meter at the same place through a new way (its node restarted). */
    void attach(String meterId, String group, int meterIndex, Consumer<PolicyMessage> communications) {
        Member[] slots = groups.get(group);
        Member earlier = members.get(meterId);
        if (earlier != null && earlier.group().equals(group) && earlier.index() == meterIndex) {
            // its meters node restarted: the meter is reached through the new one from now on
            log.get().info("{}: meter {} attached again", concentratorId, meterId);
            members.remove(meterId);
            slots[meterIndex] = null;
        }
        if (slots == null || meterIndex < 0 || meterIndex >= slots.length || slots[meterIndex] != null
                || members.containsKey(meterId)) {
            log.get().error("{}: cannot attach meter {} as member {} of group {}: unknown group, index out of "
                    + "range or already taken", concentratorId, meterId, meterIndex, group);
            return;
        }
        Member m = new Member(meterId, group, meterIndex, communications);
        slots[meterIndex] = m;
        members.put(meterId, m);
        senders.put(SystemTitle.ofMeter(meterId), meterId);
    }

    /** @return the attached meter, or null */
    Member member(String meterId) {
        return members.get(meterId);
    }

    /** @return member {@code index} of {@code group}, or null while none is attached there */
    Member member(String group, int index) {
        return groups.get(group)[index];
    }

    /** The meter a frame's claimed sender names, if attached here: for routing only, never checked here. */
    Optional<String> meterOf(SystemTitle sender) {
        return Optional.ofNullable(senders.get(sender));
    }
}
