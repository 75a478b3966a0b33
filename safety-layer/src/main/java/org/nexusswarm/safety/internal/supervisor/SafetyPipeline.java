package org.nexusswarm.safety.internal.supervisor;


import java.util.List;
import java.util.Optional;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.safety.internal.auth.ReplayGuard;
import org.nexusswarm.safety.internal.auth.SessionAuthenticator;
import org.nexusswarm.safety.internal.monitor.EscalationLevel;
import org.nexusswarm.safety.internal.monitor.TrajectoryStats;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.registry.EntitySpec;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * The checks a safety supervisor makes for one entity — inbound authentication and the outbound decision —
 * without the journal. The supervisor runs exactly these; benchmarks use this class to measure their cost
 * against a plain Pekko tell. Not thread-safe: one instance per actor.
 */
public final class SafetyPipeline {

    private final EntitySpec spec;
    private final EnvelopeAuthenticator authenticator;
    private final SessionAuthenticator sessions;
    private final PayloadParameters payloadParameters;
    private ReplayGuard replay = ReplayGuard.empty();
    private TrajectoryStats stats = TrajectoryStats.empty(java.time.Duration.ofHours(1));

    public SafetyPipeline(SafetyRegistry registry, EntitySpec spec) {
        this.spec = spec;
        this.payloadParameters = PayloadParameters.of(spec.logic());
        this.sessions = new SessionAuthenticator(registry.services().sessionKeys(spec.address()),
                registry.services().peerKeys());
        this.authenticator = new EnvelopeAuthenticator(registry.identities(), sessions, SwarmKryo.withoutActorRefs(),
                registry.settings());
    }

    /** The outcome of authentication: the decoded payload, or why the envelope was refused. */
    public record Inbound(org.nexusswarm.actors.SwarmMessage payload, String refusal) {
        public boolean accepted() {
            return refusal == null;
        }
    }

    /** Authenticates an inbound envelope and decodes its payload, as the supervisor does before journaling. */
    public Inbound authenticate(SignedEnvelope envelope, long nowMillis) {
        EnvelopeAuthenticator.Result r = authenticator.check(envelope, spec.address(), replay, nowMillis);
        if (r instanceof EnvelopeAuthenticator.Rejected rejected) {
            return new Inbound(null, rejected.code() + ": " + rejected.detail());
        }
        replay = replay.accept(envelope.sender(), envelope.nonce());
        return new Inbound(((EnvelopeAuthenticator.Authentic) r).payload(), null);
    }

    /** Decides an outbound intent under {@code policies}; empty when allowed, else the outcome as text. */
    public Optional<String> decide(Intent intent, List<Policy> policies, long nowMillis) {
        // As the supervisor: policy judges the parameters read from the payload.
        PayloadParameters.Result read = payloadParameters.check(intent);
        if (read instanceof PayloadParameters.Read r) {
            intent = new Intent(intent.intentId(), intent.actionClass(), intent.target(), intent.payload(),
                    r.parameters());
        }
        Optional<PayloadParameters.Refusal> refusal = read instanceof PayloadParameters.Refusal r
                ? Optional.of(r) : Optional.empty();
        OutboundDecider.Outcome o = OutboundDecider.decide(intent, refusal, new OutboundDecider.Situation(
                spec.credential(), Optional.empty(), false, spec.place(), policies, stats, EscalationLevel.NONE,
                nowMillis));
        if (o instanceof OutboundDecider.Allow allow) {
            stats = stats.record(new org.nexusswarm.safety.internal.monitor.Observation(nowMillis, intent.actionClass(), true,
                    allow.envelopeUse()));
            return Optional.empty();
        }
        return Optional.of(o.toString());
    }

    /** Seals a payload for {@code recipient} as the supervisor would (session MAC when announced). */
    public SignedEnvelope seal(EntityAddress recipient, long nonce, long hlc, byte[] payload) {
        return sessions.seal(spec.signer(), recipient.toString(), nonce, hlc, payload);
    }
}
