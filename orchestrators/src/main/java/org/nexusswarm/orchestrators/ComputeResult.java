package org.nexusswarm.orchestrators;

import java.util.List;
import org.nexusswarm.actors.SwarmMessage;

/**
 * The orchestrator's answer to a {@link ComputeRequest}.
 *
 * @param certified    true when at least a quorum of replicas produced the same completed output
 * @param value        the certified value; {@code NaN} when not certified
 * @param outputDigest the certified output digest; empty when not certified
 * @param agreeing     replicas behind the certified digest (or, uncertified, the largest agreeing group)
 * @param replicas     replicas dispatched
 * @param dissenters   delegators that answered something else or nothing usable, as known when this was sent
 */
public record ComputeResult(
        String requestId,
        boolean certified,
        double value,
        String outputDigest,
        int agreeing,
        int replicas,
        List<String> dissenters) implements SwarmMessage {

    public ComputeResult {
        if (requestId == null || outputDigest == null) {
            throw new IllegalArgumentException("requestId and outputDigest are required");
        }
        dissenters = List.copyOf(dissenters == null ? List.of() : dissenters);
    }
}
