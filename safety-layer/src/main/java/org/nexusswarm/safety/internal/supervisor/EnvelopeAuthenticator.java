package org.nexusswarm.safety.internal.supervisor;

import java.util.Optional;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.identity.IdentityDirectory;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.actors.serialization.UnregisteredTypeException;
import org.nexusswarm.memory.chronotope.HybridLogicalClock;
import org.nexusswarm.safety.internal.auth.ReplayGuard;
import org.nexusswarm.safety.internal.auth.SessionAuthenticator;
import org.nexusswarm.safety.internal.auth.Staleness;
import org.nexusswarm.safety.internal.provenance.ProvenanceFrame;
import org.nexusswarm.safety.api.registry.SafetySettings;

/**
 * Decides whether an inbound envelope may reach an entity's logic. Checks, cheapest first: size, recipient,
 * presence of a signature, admitted sender (and that the DID speaks for the claimed sender), authenticity
 * (an HMAC with the pair's session key for entity-to-entity traffic — no asymmetric operation on the hot
 * path — or an Ed25519 signature for outside principals), replay (the per-sender nonce window of the
 * entity's state) and staleness, and last the payload's type (decoded only once the bytes are authentic). A
 * {@link ProvenanceFrame} payload is unwrapped here: the logic gets the framed message, the supervisor the chain.
 */
final class EnvelopeAuthenticator {

    /** The outcome: either the decoded payload, or a refusal code with a readable detail. */
    sealed interface Result permits Authentic, Rejected {}

    /**
     * {@code upstream}: the cause chain the sender's supervisor claimed for the intent that sent this (empty when
     * none, or when the sender is not a supervised entity), already unwrapped from {@code payload}.
     */
    record Authentic(SwarmMessage payload, java.util.List<String> upstream) implements Result {
        Authentic(SwarmMessage payload) {
            this(payload, java.util.List.of());
        }
    }

    record Rejected(RefusalCode code, String detail) implements Result {}

    private final IdentityDirectory directory;
    private final SessionAuthenticator sessions;
    private final SwarmKryo payloads;
    private final SafetySettings settings;

    EnvelopeAuthenticator(IdentityDirectory directory, SessionAuthenticator sessions, SwarmKryo payloads,
            SafetySettings settings) {
        this.directory = directory;
        this.sessions = sessions;
        this.payloads = payloads;
        this.settings = settings;
    }

    /** {@code self.toString()}, remembered for the last address asked (an entity always passes its own). */
    private String addressText(EntityAddress self) {
        AddressText last = lastSelf;
        if (last == null || last.address() != self) {
            last = new AddressText(self, self.toString());
            lastSelf = last;
        }
        return last.text();
    }

    private record AddressText(EntityAddress address, String text) {}

    private AddressText lastSelf;

    Result check(SignedEnvelope envelope, EntityAddress self, ReplayGuard replay, long nowMillis) {
        if (envelope.payloadSize() > settings.maxPayloadBytes()) {
            return new Rejected(RefusalCode.OVERSIZED, "payload of " + envelope.payloadSize()
                    + " bytes exceeds the limit of " + settings.maxPayloadBytes());
        }
        if (!addressText(self).equals(envelope.recipient())) {
            return new Rejected(RefusalCode.WRONG_RECIPIENT,
                    "envelope is addressed to " + envelope.recipient() + ", not to " + self);
        }
        if (!envelope.isSigned()) {
            return new Rejected(RefusalCode.MISSING_SIGNATURE, "envelope from " + envelope.sender() + " is not signed");
        }
        var principal = directory.lookup(envelope.senderDid());
        if (principal.isEmpty()) {
            return new Rejected(RefusalCode.UNKNOWN_SENDER,
                    "sender DID " + envelope.senderDid() + " is not admitted on this swarm");
        }
        if (!principal.get().name().equals(envelope.sender())) {
            return new Rejected(RefusalCode.UNKNOWN_SENDER, "DID " + principal.get().did().shortForm()
                    + " is admitted as " + principal.get().name() + ", not as " + envelope.sender());
        }
        Optional<String> forged = sessions.problem(envelope, principal.get().did());
        if (forged.isPresent()) {
            return new Rejected(RefusalCode.BAD_SIGNATURE, forged.get());
        }
        ReplayGuard.Verdict verdict = replay.check(envelope.sender(), envelope.nonce());
        if (verdict != ReplayGuard.Verdict.FRESH) {
            return new Rejected(RefusalCode.REPLAYED, "nonce " + envelope.nonce() + " from " + envelope.sender()
                    + (verdict == ReplayGuard.Verdict.REPLAYED ? " was seen before" : " is too far behind its newest"));
        }
        Optional<String> stale = Staleness.check(HybridLogicalClock.physical(envelope.hlc()), nowMillis,
                settings.maxEnvelopeAge(), settings.maxClockSkew());
        if (stale.isPresent()) {
            return new Rejected(RefusalCode.STALE, stale.get());
        }
        // The decoder refuses every hostile payload with a typed exception (never an Error), so every decode
        // failure here becomes a journaled Refused with a reply; the detail names the decoder's reason.
        try {
            Object decoded = payloads.fromBytes(envelope.payload());
            if (decoded instanceof ProvenanceFrame frame) {
                Object inner = payloads.fromBytes(frame.payload());
                if (inner instanceof ProvenanceFrame) {
                    return new Rejected(RefusalCode.UNREGISTERED_TYPE, "a provenance frame inside a provenance frame");
                }
                if (inner instanceof SwarmMessage message) {
                    return new Authentic(message, frame.upstream());
                }
                return new Rejected(RefusalCode.UNREGISTERED_TYPE, "framed payload is not a swarm message");
            }
            if (decoded instanceof SwarmMessage message) {
                return new Authentic(message);
            }
            return new Rejected(RefusalCode.UNREGISTERED_TYPE, "payload is not a swarm message");
        } catch (UnregisteredTypeException e) {
            return new Rejected(RefusalCode.UNREGISTERED_TYPE, e.getMessage());
        }
    }
}
