package org.hasm.policy.verify;

import java.util.List;
import org.hasm.policy.Flow;
import org.hasm.policy.Rule;

/**
 * The verifier's finding for one rule. When the rule fails, {@code path} is the shortest offending
 * path (one flow for a forbidden edge, several for a forbidden route) and {@code detail} says why.
 */
public record RuleVerdict(Rule rule, boolean holds, List<Flow> path, String detail) {
    public RuleVerdict {
        path = List.copyOf(path);
    }

    static RuleVerdict holds(Rule rule) {
        return new RuleVerdict(rule, true, List.of(), "");
    }

    static RuleVerdict fails(Rule rule, List<Flow> path, String detail) {
        return new RuleVerdict(rule, false, path, detail);
    }
}
