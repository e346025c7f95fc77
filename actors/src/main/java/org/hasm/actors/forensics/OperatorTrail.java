package org.hasm.actors.forensics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.hasm.actors.central.OperatorGateway;

/** The operator gateway's journal (P16) seen from one meter: the requests that named it and what became of them. */
public final class OperatorTrail {
    /** One gateway event that concerns a meter. */
    public record Step(long time, String kind, String requestId, String detail) {
    }

    /** What happened to one request: its attempts (request, approvals), whether it was scheduled, and by whom. */
    public record Request(String requestId, List<OperatorGateway.AttemptRecorded> attempts, OperatorGateway.BulkScheduled scheduled) {
        public String outcome() {
            return attempts.isEmpty() ? "?" : attempts.get(attempts.size() - 1).outcome().name();
        }

        public String describe() {
            StringBuilder s = new StringBuilder("request " + requestId);
            for (OperatorGateway.AttemptRecorded a : attempts) {
                s.append("; ").append(a.action()).append(" by ").append(a.operatorId()).append(' ').append(a.outcome())
                        .append(" at ").append(ForensicTime.show(a.at()));
            }
            if (scheduled != null) {
                s.append(scheduled.unilateral() ? "; executed by one operator under the quorum threshold"
                        : "; executed with a quorum");
            }
            return s.toString();
        }
    }

    private final Map<String, List<OperatorGateway.AttemptRecorded>> attempts = new HashMap<>();
    private final Map<String, Set<String>> meters = new HashMap<>();
    private final Map<String, OperatorGateway.BulkScheduled> scheduled = new HashMap<>();
    private final List<OperatorGateway.Event> events;

    public OperatorTrail(List<OperatorGateway.Event> events) {
        this.events = List.copyOf(events);
        for (OperatorGateway.Event e : events) {
            if (e instanceof OperatorGateway.AttemptRecorded a) {
                attempts.computeIfAbsent(a.requestId(), k -> new ArrayList<>()).add(a);
            } else if (e instanceof OperatorGateway.BulkHeld h) {
                meters.computeIfAbsent(h.request().requestId(), k -> new HashSet<>()).addAll(h.request().meterIds());
            } else if (e instanceof OperatorGateway.BulkScheduled b) {
                meters.computeIfAbsent(b.requestId(), k -> new HashSet<>()).addAll(b.meterIds());
                scheduled.put(b.requestId(), b);
            }
        }
    }

    public Optional<Request> request(String requestId) {
        if (requestId == null || !attempts.containsKey(requestId)) {
            return Optional.empty();
        }
        return Optional.of(new Request(requestId, List.copyOf(attempts.get(requestId)), scheduled.get(requestId)));
    }

    /** The requests that named this meter, in the order the gateway first recorded them. */
    public List<Request> requestsNaming(String meterId) {
        Map<String, Request> out = new LinkedHashMap<>();
        for (OperatorGateway.Event e : events) {
            if (e instanceof OperatorGateway.AttemptRecorded a && meters.getOrDefault(a.requestId(), Set.of()).contains(meterId)) {
                out.computeIfAbsent(a.requestId(), id -> request(id).orElseThrow());
            }
        }
        return List.copyOf(out.values());
    }

    /** The gateway's events about this meter, for a timeline. */
    public List<Step> steps(String meterId) {
        List<Step> out = new ArrayList<>();
        for (OperatorGateway.Event e : events) {
            if (e instanceof OperatorGateway.AttemptRecorded a && meters.getOrDefault(a.requestId(), Set.of()).contains(meterId)) {
                out.add(new Step(a.at(), "operator-" + a.action(), a.requestId(), a.operatorId() + " " + a.outcome() + " ("
                        + a.meters() + " meters)" + (a.reason() == null ? "" : ": " + a.reason())));
            } else if (e instanceof OperatorGateway.SwitchesReleased r) {
                for (OperatorGateway.Release release : r.releases()) {
                    if (release.meterId().equals(meterId)) {
                        out.add(new Step(release.at(), "switch-released", release.requestId(),
                                (release.on() ? "SWITCH_ON" : "SWITCH_OFF") + " released to the meter's account"));
                    }
                }
            }
        }
        return out;
    }
}
