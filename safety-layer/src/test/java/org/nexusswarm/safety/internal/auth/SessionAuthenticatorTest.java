package org.nexusswarm.safety.internal.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.IdentityDirectory;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.actors.serialization.SwarmKryo;

/** Hot-path authentication: MAC'd envelopes are checked with HMAC only; signed ones with Ed25519. */
class SessionAuthenticatorTest {

    private final SwarmKeyPair aIdentity = Ed25519.generate();
    private final SwarmKeyPair bIdentity = Ed25519.generate();
    private final SwarmKeyPair cIdentity = Ed25519.generate();
    private final SessionKeys aKeys = SessionKeys.generate("agent:a");
    private final SessionKeys bKeys = SessionKeys.generate("agent:b");
    private final SessionKeys cKeys = SessionKeys.generate("agent:c");
    private final IdentityDirectory directory = new IdentityDirectory();
    private final PeerKeys peers = new PeerKeys(directory);
    private final AtomicInteger ed25519Calls = new AtomicInteger();
    private final SessionAuthenticator.SignatureCheck countingEd25519 = (key, message, signature) -> {
        ed25519Calls.incrementAndGet();
        return Ed25519.verify(key, message, signature);
    };
    private final byte[] payload = {1, 2, 3};

    SessionAuthenticatorTest() {
        directory.admit(aIdentity.did(), "agent:a");
        directory.admit(bIdentity.did(), "agent:b");
        directory.admit(cIdentity.did(), "agent:c");
        assertEquals(Optional.empty(), peers.admit(SessionKeyAnnouncement.sign(aIdentity, "agent:a", aKeys, 1)));
        assertEquals(Optional.empty(), peers.admit(SessionKeyAnnouncement.sign(bIdentity, "agent:b", bKeys, 1)));
        assertEquals(Optional.empty(), peers.admit(SessionKeyAnnouncement.sign(cIdentity, "agent:c", cKeys, 1)));
    }

    private SessionAuthenticator at(SessionKeys self) {
        return new SessionAuthenticator(self, peers, countingEd25519);
    }

    @Test
    void aRotatedSessionKeyIsUsedFromItsAnnouncementOn() {
        SessionAuthenticator atB = at(bKeys);
        SignedEnvelope before = at(aKeys).seal(aIdentity, "agent:b", 1, 11, payload);
        assertEquals(Optional.empty(), atB.problem(before, aIdentity.did()));
        // agent:a rotates its X25519 key: B's cached MAC for the old announcement must not be used any more.
        SessionKeys rotated = SessionKeys.generate("agent:a");
        assertEquals(Optional.empty(), peers.admit(SessionKeyAnnouncement.sign(aIdentity, "agent:a", rotated, 2)));
        assertTrue(atB.problem(before, aIdentity.did()).isPresent(), "a tag under the old session key is refused");
        SignedEnvelope after = at(rotated).seal(aIdentity, "agent:b", 2, 11, payload);
        assertTrue(after.isMacked());
        assertEquals(Optional.empty(), atB.problem(after, aIdentity.did()));
        assertEquals(0, ed25519Calls.get());
    }

    @Test
    void mackedEnvelopesAreVerifiedWithoutAnyEd25519Call() {
        SignedEnvelope envelope = at(aKeys).seal(aIdentity, "agent:b", 7, 11, payload);
        assertTrue(envelope.isMacked(), "a peer with an announced session key gets a MAC");
        SessionAuthenticator atB = at(bKeys);
        for (int i = 0; i < 1000; i++) {
            assertEquals(Optional.empty(), atB.problem(envelope, aIdentity.did()));
        }
        assertEquals(0, ed25519Calls.get(), "no asymmetric verify on the hot path");
        SwarmKryo kryo = SwarmKryo.withoutActorRefs();
        SignedEnvelope received = (SignedEnvelope) kryo.fromBytes(kryo.toBytes(envelope));
        assertEquals(Optional.empty(), atB.problem(received, aIdentity.did()), "survives the wire");
    }

    @Test
    void signedEnvelopesStillUseEd25519AndSealingFallsBackToIt() {
        directory.admit(Ed25519.generate().did(), "agent:d");
        SignedEnvelope toUnannounced = at(aKeys).seal(aIdentity, "agent:d", 1, 1, payload);
        assertFalse(toUnannounced.isMacked(), "no session key known for agent:d: Ed25519");
        SignedEnvelope signed = SignedEnvelope.sign(aIdentity, "agent:a", "agent:b", 1, 1, payload);
        assertEquals(Optional.empty(), at(bKeys).problem(signed, aIdentity.did()));
        assertEquals(1, ed25519Calls.get());
        assertTrue(at(bKeys).problem(signed, cIdentity.did()).orElseThrow().contains("Ed25519"));
    }

    @Test
    void tamperedOrMisdirectedMacsAreRefused() {
        SignedEnvelope envelope = at(aKeys).seal(aIdentity, "agent:b", 7, 11, payload);
        SignedEnvelope tampered = new SignedEnvelope(envelope.senderDid(), envelope.sender(), envelope.recipient(),
                envelope.nonce(), envelope.hlc(), new byte[] {1, 2, 4}, envelope.signature(), envelope.scheme());
        assertTrue(at(bKeys).problem(tampered, aIdentity.did()).orElseThrow().contains("does not verify"));
        SignedEnvelope renonced = new SignedEnvelope(envelope.senderDid(), envelope.sender(), envelope.recipient(),
                8, envelope.hlc(), envelope.payload(), envelope.signature(), envelope.scheme());
        assertTrue(at(bKeys).problem(renonced, aIdentity.did()).isPresent());
        // Delivered to C instead of B: C's key from A differs.
        assertTrue(at(cKeys).problem(envelope, aIdentity.did()).isPresent());
        // C MACs with its own key to B but claims to be A.
        SignedEnvelope forged = SignedEnvelope.macked(aIdentity.did().value(), "agent:a", "agent:b", 9, 9, payload,
                cKeys.sendingKey("agent:b", bKeys.publicKey()));
        assertTrue(at(bKeys).problem(forged, aIdentity.did()).isPresent());
        // Reflected: B's own envelope to A sent back to B.
        SignedEnvelope bToA = at(bKeys).seal(bIdentity, "agent:a", 3, 3, payload);
        SignedEnvelope reflected = new SignedEnvelope(aIdentity.did().value(), "agent:a", "agent:b", 3, 3, payload,
                bToA.signature(), bToA.scheme());
        assertTrue(at(bKeys).problem(reflected, aIdentity.did()).isPresent());
        assertEquals(0, ed25519Calls.get());
    }

    @Test
    void macsNeedAnAnnouncedKeyFromTheSameDid() {
        SignedEnvelope fromE = SignedEnvelope.macked(Ed25519.generate().did().value(), "agent:e", "agent:b", 1, 1,
                payload, new byte[32]);
        assertTrue(at(bKeys).problem(fromE, aIdentity.did()).orElseThrow().contains("no session key"));
        SwarmKeyPair other = Ed25519.generate();
        SignedEnvelope claimingA = SignedEnvelope.macked(other.did().value(), "agent:a", "agent:b", 1, 1, payload,
                aKeys.sendingKey("agent:b", bKeys.publicKey()));
        assertTrue(at(bKeys).problem(claimingA, other.did()).orElseThrow().contains("another DID"));
    }

    @Test
    void unsignedAndUnknownSchemesAreRefused() {
        SignedEnvelope unsigned = new SignedEnvelope(aIdentity.did().value(), "agent:a", "agent:b", 1, 1, payload,
                null);
        assertTrue(at(bKeys).problem(unsigned, aIdentity.did()).orElseThrow().contains("not signed"));
        SignedEnvelope odd = new SignedEnvelope(aIdentity.did().value(), "agent:a", "agent:b", 1, 1, payload,
                new byte[32], "rot13-" + "x".repeat(100));
        String problem = at(bKeys).problem(odd, aIdentity.did()).orElseThrow();
        assertTrue(problem.contains("unknown authentication scheme") && problem.length() < 100, problem);
        assertEquals(0, ed25519Calls.get());
    }
}
