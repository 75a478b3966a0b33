package org.nexusswarm.delegators;

import org.nexusswarm.actors.SwarmMessage;

/**
 * What a delegator reports for one {@link TaskRequest}.
 *
 * @param value        the task's output, {@code NaN} when {@code completed} is false
 * @param outputDigest SHA-256 hex of the canonical (taskKind, inputs, value) text, or of the error text when
 *                     the task did not complete; replicas that agree produce the same digest
 * @param fuelUsed     steps charged, never more than the request's budget
 * @param delegator    the reporting delegator's address ({@code delegator:...}); not part of the digest
 */
public record TaskResult(
        String taskId,
        String taskKind,
        double value,
        String outputDigest,
        long fuelUsed,
        boolean completed,
        String delegator) implements SwarmMessage {

    public TaskResult {
        if (taskId == null || taskKind == null || outputDigest == null || delegator == null) {
            throw new IllegalArgumentException("taskId, taskKind, outputDigest and delegator are required");
        }
        if (fuelUsed < 0) {
            throw new IllegalArgumentException("fuelUsed must be >= 0, got " + fuelUsed);
        }
    }
}
