package org.nexusswarm.safety.internal.auth;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.IdentityDirectory;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.actors.serialization.SwarmKryo;

/** Session key announcements: admitted only from the DID admitted under that name, with a valid signature. */
class PeerKeysTest {

    private final SwarmKeyPair identity = Ed25519.generate();
    private final SessionKeys keys = SessionKeys.generate("agent:a");
    private final IdentityDirectory directory = new IdentityDirectory();
    private final PeerKeys peers = new PeerKeys(directory);

    PeerKeysTest() {
        directory.admit(identity.did(), "agent:a");
    }

    @Test
    void aSignedAnnouncementFromTheAdmittedDidIsAdmitted() {
        SessionKeyAnnouncement a = SessionKeyAnnouncement.sign(identity, "agent:a", keys, 100);
        assertTrue(a.verifies());
        assertEquals(Optional.empty(), peers.admit(a));
        assertArrayEquals(keys.publicKey(), peers.of("agent:a").orElseThrow().x25519PublicKey());
        assertEquals(1, peers.size());
        peers.remove("agent:a");
        assertEquals(Optional.empty(), peers.of("agent:a"));
        assertEquals(Optional.empty(), peers.of(null));
    }

    @Test
    void strangersImpostorsAndForgeriesAreRefused() {
        SwarmKeyPair stranger = Ed25519.generate();
        assertTrue(peers.admit(SessionKeyAnnouncement.sign(stranger, "agent:a", keys, 1)).orElseThrow()
                .contains("not admitted"));
        directory.admit(stranger.did(), "agent:s");
        assertTrue(peers.admit(SessionKeyAnnouncement.sign(stranger, "agent:a", keys, 1)).orElseThrow()
                .contains("admitted as agent:s"));
        SessionKeyAnnouncement genuine = SessionKeyAnnouncement.sign(identity, "agent:a", keys, 1);
        SessionKeyAnnouncement swappedKey = new SessionKeyAnnouncement(genuine.did(), genuine.name(),
                SessionKeys.generate("agent:x").publicKey(), genuine.issuedAtMillis(), genuine.signature());
        assertFalse(swappedKey.verifies());
        assertTrue(peers.admit(swappedKey).orElseThrow().contains("does not verify"));
        SessionKeyAnnouncement shortKey = new SessionKeyAnnouncement(genuine.did(), genuine.name(), new byte[5],
                1, genuine.signature());
        assertFalse(shortKey.verifies());
        assertFalse(new SessionKeyAnnouncement("nonsense", "agent:a", keys.publicKey(), 1, null).verifies());
        assertTrue(peers.admit(null).isPresent());
        assertTrue(peers.admit(new SessionKeyAnnouncement(genuine.did(), null, keys.publicKey(), 1, null)).isPresent());
        assertEquals(0, peers.size());
    }

    @Test
    void aNewerAnnouncementReplacesAnOlderOneButNotTheOtherWayRound() {
        SessionKeys rotated = SessionKeys.generate("agent:a");
        assertEquals(Optional.empty(), peers.admit(SessionKeyAnnouncement.sign(identity, "agent:a", keys, 100)));
        assertEquals(Optional.empty(), peers.admit(SessionKeyAnnouncement.sign(identity, "agent:a", rotated, 200)));
        assertArrayEquals(rotated.publicKey(), peers.of("agent:a").orElseThrow().x25519PublicKey());
        assertTrue(peers.admit(SessionKeyAnnouncement.sign(identity, "agent:a", keys, 150)).orElseThrow()
                .contains("newer"));
        assertArrayEquals(rotated.publicKey(), peers.of("agent:a").orElseThrow().x25519PublicKey());
        // The same announcement again is fine (idempotent).
        assertEquals(Optional.empty(), peers.admit(SessionKeyAnnouncement.sign(identity, "agent:a", rotated, 200)));
    }

    @Test
    void announcementsSurviveKryoAndCopyTheirArrays() {
        SessionKeyAnnouncement a = SessionKeyAnnouncement.sign(identity, "agent:a", keys, 100);
        SwarmKryo kryo = SwarmKryo.withoutActorRefs();
        SessionKeyAnnouncement copy = (SessionKeyAnnouncement) kryo.fromBytes(kryo.toBytes(a));
        assertEquals(a, copy);
        assertEquals(a.hashCode(), copy.hashCode());
        assertTrue(copy.verifies());
        a.signature()[0] ^= 1;
        a.x25519PublicKey()[0] ^= 1;
        assertTrue(a.verifies());
        assertFalse(a.toString().contains("["));
    }
}
