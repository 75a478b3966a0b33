package org.nexusswarm.safety.supervisor;

import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.IdentityDirectory;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.actors.serialization.UnregisteredTypeException;

/**
 * Decides whether an inbound envelope may reach an entity's logic. Checks, cheapest first: size, recipient,
 * presence of a signature, admitted sender (and that the DID speaks for the claimed sender), the Ed25519
 * signature, and last the payload's type (decoded only once the bytes are known to be authentic).
 */
final class EnvelopeAuthenticator {

    /** The outcome: either the decoded payload, or a refusal code with a readable detail. */
    sealed interface Result permits Authentic, Rejected {}

    record Authentic(SwarmMessage payload) implements Result {}

    record Rejected(RefusalCode code, String detail) implements Result {}

    private final IdentityDirectory directory;
    private final SwarmKryo payloads;
    private final int maxPayloadBytes;

    EnvelopeAuthenticator(IdentityDirectory directory, SwarmKryo payloads, int maxPayloadBytes) {
        this.directory = directory;
        this.payloads = payloads;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    Result check(SignedEnvelope envelope, EntityAddress self) {
        if (envelope.payloadSize() > maxPayloadBytes) {
            return new Rejected(RefusalCode.OVERSIZED,
                    "payload of " + envelope.payloadSize() + " bytes exceeds the limit of " + maxPayloadBytes);
        }
        if (!self.toString().equals(envelope.recipient())) {
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
        Did did = principal.get().did();
        if (!Ed25519.verify(did.publicKey(), envelope.signedBytes(), envelope.signature())) {
            return new Rejected(RefusalCode.BAD_SIGNATURE,
                    "Ed25519 signature does not verify for " + did.shortForm());
        }
        try {
            Object decoded = payloads.fromBytes(envelope.payload());
            if (decoded instanceof SwarmMessage message) {
                return new Authentic(message);
            }
            return new Rejected(RefusalCode.UNREGISTERED_TYPE, "payload is not a swarm message");
        } catch (UnregisteredTypeException e) {
            return new Rejected(RefusalCode.UNREGISTERED_TYPE, e.getMessage());
        }
    }
}
