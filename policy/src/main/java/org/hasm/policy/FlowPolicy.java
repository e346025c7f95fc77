package org.hasm.policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The meter's information-flow policy: an explicit list of allowed (sender, receiver, type) flows,
 * everything else denied. Immutable; {@link #allows} is an array lookup because the guard calls it
 * on every message.
 */
public final class FlowPolicy {
    public static final String SHIPPED_RESOURCE = "/org/hasm/policy/meter-policy.txt";

    private static final int PARTS = Part.values().length;
    private static final int TYPES = MessageType.values().length;

    private final String source;
    private final Map<Flow, Integer> lines;
    private final Set<Edge> wildcards;
    private final boolean[] allowed;
    private final java.util.Map<Part, boolean[]> inboundColumns = new java.util.concurrent.ConcurrentHashMap<>();

    /** A (sender, receiver) pair declared with {@code *} for its types: everything may pass on it. */
    public record Edge(Part sender, Part receiver) {
        @Override
        public String toString() {
            return sender + " -> " + receiver;
        }
    }

    FlowPolicy(String source, Map<Flow, Integer> lines, Set<Edge> wildcards) {
        this.source = source;
        this.lines = Collections.unmodifiableMap(new LinkedHashMap<>(lines));
        this.wildcards = Set.copyOf(wildcards);
        this.allowed = new boolean[PARTS * PARTS * TYPES];
        for (Flow f : lines.keySet()) {
            allowed[index(f.sender(), f.receiver(), f.type())] = true;
        }
    }

    /** The policy shipped with hasm. */
    public static FlowPolicy shipped() {
        try (InputStream in = FlowPolicy.class.getResourceAsStream(SHIPPED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the shipped policy " + SHIPPED_RESOURCE + " is missing from the class path");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return PolicyParser.parse("meter-policy.txt (shipped)", text);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the shipped policy", e);
        } catch (PolicyFileException e) {
            throw new IllegalStateException("the shipped policy is invalid: " + e.getMessage(), e);
        }
    }

    /** A policy from a user's file; every problem is a {@link PolicyFileException} naming file and line. */
    public static FlowPolicy load(Path file) throws PolicyFileException {
        try {
            return PolicyParser.parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            throw new PolicyFileException(file.toString(), 0, "no such file");
        } catch (IOException e) {
            throw new PolicyFileException(file.toString(), 0, "cannot read: " + e.getMessage());
        }
    }

    public boolean allows(Part sender, Part receiver, MessageType type) {
        return allowed[index(sender, receiver, type)];
    }

    /**
     * What {@code receiver} may be sent, indexed by {@code sender.ordinal() * types + type.ordinal()}: the
     * guard's check on every message is one array load. Shared by every guard of this part in every meter
     * built from this policy; callers must not modify it.
     */
    public boolean[] inboundColumn(Part receiver) {
        return inboundColumns.computeIfAbsent(receiver, r -> {
            boolean[] column = new boolean[PARTS * TYPES];
            for (Part sender : Part.values()) {
                for (MessageType type : MessageType.values()) {
                    column[sender.ordinal() * TYPES + type.ordinal()] = allows(sender, r, type);
                }
            }
            return column;
        });
    }

    /** True if the policy has at least one flow from sender to receiver. */
    public boolean connects(Part sender, Part receiver) {
        int base = (sender.ordinal() * PARTS + receiver.ordinal()) * TYPES;
        for (int t = 0; t < TYPES; t++) {
            if (allowed[base + t]) {
                return true;
            }
        }
        return false;
    }

    public Set<MessageType> typesOn(Part sender, Part receiver) {
        Set<MessageType> types = EnumSet.noneOf(MessageType.class);
        for (MessageType t : MessageType.values()) {
            if (allows(sender, receiver, t)) {
                types.add(t);
            }
        }
        return types;
    }

    public Set<Part> receiversOf(Part sender) {
        Set<Part> out = EnumSet.noneOf(Part.class);
        for (Part r : Part.values()) {
            if (connects(sender, r)) {
                out.add(r);
            }
        }
        return out;
    }

    public Set<Flow> flows() {
        return lines.keySet();
    }

    public Set<Edge> wildcards() {
        return wildcards;
    }

    /** The line of the policy file that allowed this flow, or 0 if it was added programmatically. */
    public int lineOf(Flow flow) {
        return lines.getOrDefault(flow, 0);
    }

    public String source() {
        return source;
    }

    /** This policy plus more flows: used to ask "which rule would this flow break?". */
    public FlowPolicy with(List<Flow> extra) {
        Map<Flow, Integer> more = new LinkedHashMap<>(lines);
        for (Flow f : extra) {
            more.putIfAbsent(f, 0);
        }
        return new FlowPolicy(source + " + " + extra, more, wildcards);
    }

    /** This policy less some flows: used to ask "what does a policy without this flow still do?". */
    public FlowPolicy without(java.util.Collection<Flow> removed) {
        Map<Flow, Integer> fewer = new LinkedHashMap<>(lines);
        fewer.keySet().removeAll(removed);
        return new FlowPolicy(source + " - " + removed, fewer, wildcards);
    }

    private static int index(Part sender, Part receiver, MessageType type) {
        return (sender.ordinal() * PARTS + receiver.ordinal()) * TYPES + type.ordinal();
    }
}
