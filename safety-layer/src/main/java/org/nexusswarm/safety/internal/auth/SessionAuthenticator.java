package org.nexusswarm.safety.internal.auth;

import java.util.Optional;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.SignedEnvelope;

/**
 * Seals outbound envelopes with a MAC where the recipient's session key is known, and checks an inbound
 * envelope's authenticator by its scheme: an {@link SignedEnvelope#ED25519} signature
 * with the sender DID's key (one asymmetric verify), an {@link SignedEnvelope#HMAC_SHA256} tag with the
 * session key of (sender -> this entity) (one HMAC, the key derived once per peer). Anything else is refused.
 *
 * <p>The caller has already checked that the sender's DID is admitted under {@code envelope.sender()}; a MAC
 * additionally needs the sender's session key announced by that same DID ({@link PeerKeys}). Note that a MAC
 * convinces only the receiver: unlike a signature it is no evidence to a third party.
 */
public final class SessionAuthenticator {

    /** The asymmetric check; {@link Ed25519#verify} in production, replaceable in tests. */
    @FunctionalInterface
    public interface SignatureCheck {
        boolean verify(byte[] publicKey, byte[] message, byte[] signature);
    }

    private final SessionKeys self;
    private final PeerKeys peers;
    private final SignatureCheck ed25519;
    /** Per sender, the MAC of its admitted session key (bounded like {@link SessionKeys}'s cache). */
    private final java.util.Map<String, Receiving> receiving = new java.util.concurrent.ConcurrentHashMap<>();

    /** Authentication for the entity owning {@code self}: what it sends, and what is addressed to it. */
    public SessionAuthenticator(SessionKeys self, PeerKeys peers) {
        this(self, peers, Ed25519::verify);
    }

    public SessionAuthenticator(SessionKeys self, PeerKeys peers, SignatureCheck ed25519) {
        this.self = self;
        this.peers = peers;
        this.ed25519 = ed25519;
    }

    /** Empty when the envelope's signature or tag is authentic for {@code senderDid}; else why not. */
    public Optional<String> problem(SignedEnvelope envelope, Did senderDid) {
        if (!envelope.isSigned()) {
            return Optional.of("envelope from " + envelope.sender() + " is not signed");
        }
        if (SignedEnvelope.ED25519.equals(envelope.scheme())) {
            return ed25519.verify(senderDid.publicKey(), envelope.signedBytes(), envelope.signature())
                    ? Optional.empty()
                    : Optional.of("Ed25519 signature does not verify for " + senderDid.shortForm());
        }
        if (!envelope.isMacked()) {
            return Optional.of("unknown authentication scheme '" + clip(envelope.scheme()) + "'");
        }
        var announced = peers.of(envelope.sender());
        if (announced.isEmpty()) {
            return Optional.of("no session key is known for " + envelope.sender());
        }
        if (!announced.get().did().equals(senderDid.value())) {
            return Optional.of("the session key of " + envelope.sender() + " was announced by another DID");
        }
        Receiving receiving = receiving(envelope.sender(), announced.get());
        if (receiving.problem() != null) {
            return Optional.of(receiving.problem());
        }
        return receiving.mac().verify(envelope.signedBytes(), envelope.signature())
                ? Optional.empty()
                : Optional.of("HMAC-SHA256 tag does not verify for " + envelope.sender() + " -> " + self.self());
    }

    /**
     * An envelope from this entity ({@code identity}, admitted as {@code self.self()}) to {@code recipient}:
     * MAC'd when the recipient's session key is admitted in {@link PeerKeys}, else signed with Ed25519.
     */
    public SignedEnvelope seal(org.nexusswarm.actors.identity.Signer identity, String recipient, long nonce, long hlc, byte[] payload) {
        var announced = peers.of(recipient);
        if (announced.isEmpty()) {
            return SignedEnvelope.sign(identity, self.self(), recipient, nonce, hlc, payload);
        }
        return SignedEnvelope.macked(identity.did().value(), self.self(), recipient, nonce, hlc, payload,
                self.sendingKey(recipient, announced.get().x25519PublicKey()));
    }

    /**
     * The receiving MAC for {@code sender} under its admitted {@code announcement}: derived once per announcement
     * (a new announcement, e.g. a rotated key, is a new instance in {@link PeerKeys} and derives afresh).
     */
    private Receiving receiving(String sender, SessionKeyAnnouncement announcement) {
        Receiving r = receiving.get(sender);
        if (r != null && r.announcement() == announcement) {
            return r;
        }
        try {
            r = new Receiving(announcement,
                    new SessionKeys.PreparedMac(self.receivingKey(sender, announcement.x25519PublicKey())), null);
        } catch (IllegalArgumentException e) {
            r = new Receiving(announcement, null, e.getMessage());
        }
        if (receiving.size() >= SessionKeys.DEFAULT_CACHE_CAPACITY) {
            var it = receiving.keySet().iterator();
            if (it.hasNext()) {
                receiving.remove(it.next());
            }
        }
        receiving.put(sender, r);
        return r;
    }

    /** A peer's announcement and the MAC it yields (or why it yields none). */
    private record Receiving(SessionKeyAnnouncement announcement, SessionKeys.PreparedMac mac, String problem) {}

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
