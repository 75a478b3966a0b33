package org.nexusswarm.delegators;

import java.util.List;
import org.nexusswarm.actors.SwarmMessage;

/**
 * A unit of delegated work: run {@code taskKind} over {@code inputs} with at most {@code fuelBudget} steps.
 *
 * @param taskId unique per replica (an orchestrator uses {@code requestId + "/" + replicaIndex})
 */
public record TaskRequest(String taskId, String taskKind, List<Double> inputs, long fuelBudget)
        implements SwarmMessage {

    public TaskRequest {
        if (taskId == null || taskId.isBlank()) {
            throw new IllegalArgumentException("taskId is required");
        }
        if (taskKind == null || taskKind.isBlank()) {
            throw new IllegalArgumentException("taskKind is required");
        }
        if (fuelBudget < 0) {
            throw new IllegalArgumentException("fuelBudget must be >= 0, got " + fuelBudget);
        }
        // List.copyOf also rejects null elements, so the runtime never meets one.
        inputs = List.copyOf(inputs == null ? List.of() : inputs);
    }
}
