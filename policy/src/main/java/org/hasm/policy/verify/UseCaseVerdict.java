package org.hasm.policy.verify;

import java.util.List;
import org.hasm.policy.Flow;
import org.hasm.policy.UseCase;

/**
 * The completeness check's finding for one use case: it holds when the policy allows every flow of its
 * path; otherwise {@code missing} lists the flows the policy lacks, in catalogue order.
 */
public record UseCaseVerdict(UseCase useCase, boolean holds, List<Flow> missing) {
    public UseCaseVerdict {
        missing = List.copyOf(missing);
    }
}
