package org.hasm.policy.verify;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.hasm.policy.Flow;
import org.hasm.policy.FlowPolicy;
import org.hasm.policy.Rule;

/**
 * Names the rule a disallowed flow would break: the first of P2–P10 that holds for the policy but
 * fails once the flow is added, else P1 (default deny). Results are cached because a flood repeats
 * the same few flows.
 */
public final class RuleAttribution {
    private final FlowPolicy policy;
    private final Map<Flow, Rule> cache = new ConcurrentHashMap<>();

    public RuleAttribution(FlowPolicy policy) {
        this.policy = policy;
    }

    public Rule ruleBrokenBy(Flow flow) {
        return cache.computeIfAbsent(flow, this::compute);
    }

    private Rule compute(Flow flow) {
        PolicyVerifier before = new PolicyVerifier(policy);
        PolicyVerifier after = new PolicyVerifier(policy.with(List.of(flow)));
        for (Rule rule : Rule.values()) {
            if (rule.isStatic() && rule != Rule.P1 && before.verify(rule).holds() && !after.verify(rule).holds()) {
                return rule;
            }
        }
        return Rule.P1;
    }
}
