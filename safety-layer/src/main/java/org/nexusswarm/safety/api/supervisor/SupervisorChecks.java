package org.nexusswarm.safety.api.supervisor;

import java.util.List;
import java.util.Optional;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.registry.EntitySpec;
import org.nexusswarm.safety.api.registry.SafetyRegistry;
import org.nexusswarm.safety.internal.supervisor.SafetyPipeline;

/**
 * The checks a safety supervisor makes for one entity (inbound authentication, the outbound decision, sealing)
 * without its journal: what benchmarks measure against a plain Pekko tell. Not thread-safe: one per actor.
 */
public final class SupervisorChecks {

    /** The outcome of authentication: the decoded payload, or why the envelope was refused. */
    public record Inbound(SwarmMessage payload, String refusal) {
        public boolean accepted() {
            return refusal == null;
        }
    }

    private final SafetyPipeline pipeline;

    public SupervisorChecks(SafetyRegistry registry, EntitySpec spec) {
        this.pipeline = new SafetyPipeline(registry, spec);
    }

    /** Authenticates an inbound envelope and decodes its payload, as the supervisor does before journaling. */
    public Inbound authenticate(SignedEnvelope envelope, long nowMillis) {
        SafetyPipeline.Inbound in = pipeline.authenticate(envelope, nowMillis);
        return new Inbound(in.payload(), in.refusal());
    }

    /** Decides an outbound intent under {@code policies}; empty when allowed, else the outcome as text. */
    public Optional<String> decide(Intent intent, List<Policy> policies, long nowMillis) {
        return pipeline.decide(intent, policies, nowMillis);
    }

    /** Seals a payload for {@code recipient} as the supervisor would (session MAC when announced). */
    public SignedEnvelope seal(EntityAddress recipient, long nonce, long hlc, byte[] payload) {
        return pipeline.seal(recipient, nonce, hlc, payload);
    }
}
