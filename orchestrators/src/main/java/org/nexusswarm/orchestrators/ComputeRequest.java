package org.nexusswarm.orchestrators;

import java.util.List;
import org.nexusswarm.actors.SwarmMessage;

/**
 * An agent's request for certified computation: run {@code taskKind} over {@code inputs} on several
 * delegators and answer only with what a quorum of them agrees on.
 *
 * @param requestId unique per requester; replica task ids are {@code requestId + "/" + replicaIndex}
 */
public record ComputeRequest(String requestId, String taskKind, List<Double> inputs, long fuelBudget)
        implements SwarmMessage {

    public ComputeRequest {
        if (requestId == null || requestId.isBlank()) {
            throw new IllegalArgumentException("requestId is required");
        }
        if (taskKind == null || taskKind.isBlank()) {
            throw new IllegalArgumentException("taskKind is required");
        }
        if (fuelBudget < 0) {
            throw new IllegalArgumentException("fuelBudget must be >= 0, got " + fuelBudget);
        }
        inputs = List.copyOf(inputs == null ? List.of() : inputs);
    }
}
