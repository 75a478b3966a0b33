package org.nexusswarm.actors.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.serialization.SwarmKryo;

class DidTest {

    private final SwarmKeyPair keys = Ed25519.generate();

    @Test
    void aDidEmbedsItsPublicKeyAndRoundTrips() {
        Did did = keys.did();
        assertTrue(did.value().startsWith(Did.PREFIX));
        assertArrayEquals(keys.publicKey(), did.publicKey());
        assertTrue(did.matches(keys.publicKey()));
        assertFalse(did.matches(Ed25519.generate().publicKey()));
        assertEquals(did, new Did(did.value()));
        assertEquals(did, Did.of(did.publicKey()));
        assertEquals(did.value(), did.toString());
        assertEquals(43, did.value().length() - Did.PREFIX.length(), "base64url of 32 bytes, unpadded");
        assertFalse(did.value().contains("=") || did.value().contains("+") || did.value().contains("/"));
    }

    @Test
    void aDidSurvivesKryo() {
        SwarmKryo kryo = SwarmKryo.withoutActorRefs();
        assertEquals(keys.did(), kryo.fromBytes(kryo.toBytes(keys.did())));
    }

    @Test
    void onlyNexusDidsAreAccepted() {
        assertThrows(IllegalArgumentException.class, () -> new Did("did:web:example.org"));
        assertThrows(IllegalArgumentException.class, () -> new Did(null));
        Did garbage = new Did(Did.PREFIX + "***not-base64***");
        assertEquals(0, garbage.publicKey().length);
        assertFalse(garbage.matches(keys.publicKey()));
    }

    @Test
    void theShortFormTruncatesTheKey() {
        Did did = keys.did();
        assertEquals(Did.PREFIX + did.value().substring(Did.PREFIX.length(), Did.PREFIX.length() + 10) + "…",
                did.shortForm());
        assertEquals(Did.PREFIX + "abc", new Did(Did.PREFIX + "abc").shortForm());
    }

    @Test
    void theDirectoryAdmitsLooksUpAndRemoves() {
        IdentityDirectory directory = new IdentityDirectory();
        directory.admit(keys.did(), "agent:a");
        assertEquals("agent:a", directory.lookup(keys.did().value()).orElseThrow().name());
        assertTrue(directory.lookup(null).isEmpty());
        assertTrue(directory.lookup(Ed25519.generate().did().value()).isEmpty());
        Map<String, IdentityDirectory.Principal> snapshot = directory.snapshot();
        directory.remove(keys.did());
        assertEquals(0, directory.size());
        assertEquals(1, snapshot.size(), "a snapshot is a copy");
    }
}
