package org.hasm.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the policy file format: one flow per line, {@code Sender -> Receiver : TypeA, TypeB}, {@code #}
 * starts a comment, {@code →} may stand for {@code ->}, and {@code *} in place of the types allows
 * every type on that edge (which the verifier then reports as a breach of P1, default deny).
 */
final class PolicyParser {
    private static final Pattern LINE = Pattern.compile("^\\s*(\\S+)\\s*(?:->|→)\\s*(\\S+)\\s*:\\s*(.*?)\\s*$");
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*");

    private PolicyParser() {
    }

    static FlowPolicy parse(String file, String text) throws PolicyFileException {
        Map<Flow, Integer> flows = new LinkedHashMap<>();
        Set<FlowPolicy.Edge> wildcards = new HashSet<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = stripComment(lines[i]);
            if (line.isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new PolicyFileException(file, lineNo,
                        "malformed line '" + line.trim() + "': expected 'Sender -> Receiver : MessageType[, MessageType...]'");
            }
            Part sender = part(file, lineNo, m.group(1));
            Part receiver = part(file, lineNo, m.group(2));
            if (sender == receiver) {
                throw new PolicyFileException(file, lineNo, "a part does not send to itself: '" + line.trim() + "'");
            }
            String typeList = m.group(3);
            if (typeList.isEmpty()) {
                throw new PolicyFileException(file, lineNo, "no message types after ':' in '" + line.trim() + "'");
            }
            List<MessageType> types = new ArrayList<>();
            if (typeList.equals("*")) {
                wildcards.add(new FlowPolicy.Edge(sender, receiver));
                Arrays.stream(MessageType.values()).filter(t -> !t.kernelOnly()).forEach(types::add);
            } else {
                for (String name : typeList.split(",", -1)) {
                    types.add(type(file, lineNo, name.trim(), line));
                }
            }
            for (MessageType type : types) {
                Flow flow = new Flow(sender, receiver, type);
                Integer first = flows.putIfAbsent(flow, lineNo);
                if (first != null && !typeList.equals("*")) {
                    throw new PolicyFileException(file, lineNo,
                            "duplicate flow '" + flow + "' (first allowed on line " + first + ")");
                }
            }
        }
        if (flows.isEmpty()) {
            throw new PolicyFileException(file, 0, "the policy allows no flow at all (is this the right file?)");
        }
        return new FlowPolicy(file, flows, wildcards);
    }

    private static String stripComment(String line) {
        int hash = line.indexOf('#');
        return hash < 0 ? line : line.substring(0, hash);
    }

    private static Part part(String file, int lineNo, String name) throws PolicyFileException {
        Optional<Part> part = NAME.matcher(name).matches() ? Part.named(name) : Optional.empty();
        if (part.isEmpty()) {
            throw new PolicyFileException(file, lineNo, "unknown part '" + name + "'; known parts: "
                    + Arrays.stream(Part.values()).map(Enum::name).collect(Collectors.joining(", ")));
        }
        return part.get();
    }

    private static MessageType type(String file, int lineNo, String name, String line) throws PolicyFileException {
        if (name.isEmpty()) {
            throw new PolicyFileException(file, lineNo, "empty message type in '" + line.trim() + "'");
        }
        Optional<MessageType> type = NAME.matcher(name).matches() ? MessageType.named(name) : Optional.empty();
        if (type.isEmpty()) {
            throw new PolicyFileException(file, lineNo, "unknown message type '" + name + "'; known types: "
                    + Arrays.stream(MessageType.values()).map(Enum::name).collect(Collectors.joining(", ")));
        }
        if (type.get().kernelOnly()) {
            throw new PolicyFileException(file, lineNo, "message type '" + name + "' is sent only by the kernel to a part"
                    + " itself and cannot be allowed between parts");
        }
        return type.get();
    }
}
