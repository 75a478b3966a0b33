package org.nexusswarm.safety.api.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.safety.api.credential.IssuerKeys;

/** Attacks on a signed pack manifest: each altered, added or removed file, foreign key or bad signature refused. */
class PackManifestTest {

    private static IssuerKeys publisher;
    private static PackFiles pack;
    @TempDir
    static Path dir;
    private static TrustedPublishers trust;

    @BeforeAll
    static void setUp() {
        publisher = IssuerKeys.generate(true);
        pack = PackFiles.of("test", "org/x/pack/", Map.of(
                "org/x/pack/Logic.class", new byte[] {1, 2, 3},
                "org/x/pack/Pack.class", new byte[] {4, 5},
                "policies/rail.conf", "rule {}".getBytes(StandardCharsets.UTF_8)));
        Path file = dir.resolve("trusted-pack-publishers");
        TrustedPublishers.append(file, publisher.did(), publisher.mlDsaPublicKey());
        trust = TrustedPublishers.load(file);
    }

    private static PackManifest signed(boolean pq) {
        return PackManifest.sign("x", "org.x.pack.Pack", "1.0", List.of("rail"), pack, publisher, pq);
    }

    private static PackFiles with(Map<String, byte[]> changes, String... removed) {
        Map<String, byte[]> files = new TreeMap<>(pack.entries());
        files.putAll(changes);
        for (String r : removed) {
            files.remove(r);
        }
        return PackFiles.of("test", "org/x/pack/", files);
    }

    @Test
    void aValidManifestAdmitsThePackAfterAFileRoundTrip() {
        PackManifest m = PackManifest.parse(signed(true).toJson());
        assertEquals(List.of(), m.problems(pack, trust, true));
        assertEquals(List.of(), PackManifest.parse(signed(false).toJson()).problems(pack, trust, false));
    }

    @Test
    void alteredAddedAndRemovedFilesAreRefused() {
        PackManifest m = signed(false);
        List<String> altered = m.problems(with(Map.of("org/x/pack/Logic.class", new byte[] {1, 2, 4})), trust, false);
        assertEquals(1, altered.size(), altered.toString());
        assertTrue(altered.get(0).startsWith("file org/x/pack/Logic.class was altered (manifest sha256 "), altered.get(0));
        assertEquals(List.of("file org/x/pack/Evil.class is in the pack but not in the manifest"),
                m.problems(with(Map.of("org/x/pack/Evil.class", new byte[] {9})), trust, false));
        assertEquals(List.of("file policies/rail.conf is listed in the manifest but missing from the pack"),
                m.problems(with(Map.of(), "policies/rail.conf"), trust, false));
    }

    @Test
    void untrustedSignerUnsignedAndBadSignaturesAreRefused() {
        PackManifest foreign = PackManifest.sign("x", "org.x.pack.Pack", "1.0", List.of("rail"), pack,
                IssuerKeys.generate(false), false);
        assertTrue(foreign.problems(pack, trust, false).get(0).startsWith("manifest is signed by untrusted publisher"));

        PackManifest m = signed(false);
        PackManifest unsigned = new PackManifest(m.pack(), m.packClass(), m.version(), m.rails(), m.files(),
                m.publisher(), m.publisherMlDsa65(), Optional.empty(), Optional.empty());
        assertEquals(List.of("manifest is unsigned (no Ed25519 signature)"), unsigned.problems(pack, trust, false));

        byte[] sig = m.ed25519Signature().orElseThrow().clone();
        sig[5] ^= 1;
        PackManifest flipped = new PackManifest(m.pack(), m.packClass(), m.version(), m.rails(), m.files(),
                m.publisher(), m.publisherMlDsa65(), Optional.of(sig), Optional.empty());
        assertTrue(flipped.problems(pack, trust, false).get(0).startsWith("bad Ed25519 signature"));

        // The attacker edits the manifest to cover his file: the signature no longer matches.
        Map<String, String> files = new TreeMap<>(m.files());
        files.put("org/x/pack/Logic.class", PackFiles.sha256(new byte[] {6, 6, 6}));
        PackManifest edited = new PackManifest(m.pack(), m.packClass(), m.version(), m.rails(), new TreeMap<>(files),
                m.publisher(), m.publisherMlDsa65(), m.ed25519Signature(), Optional.empty());
        assertTrue(edited.problems(with(Map.of("org/x/pack/Logic.class", new byte[] {6, 6, 6})), trust, false)
                .get(0).startsWith("bad Ed25519 signature"));
    }

    @Test
    void postQuantumRequiredMissingOrBadIsRefused() {
        assertEquals(List.of("post-quantum proof required but the manifest has no ML-DSA-65 signature"),
                signed(false).problems(pack, trust, true));
        PackManifest m = signed(true);
        byte[] sig = m.mlDsa65Signature().orElseThrow().clone();
        sig[10] ^= 1;
        PackManifest bad = new PackManifest(m.pack(), m.packClass(), m.version(), m.rails(), m.files(), m.publisher(),
                m.publisherMlDsa65(), m.ed25519Signature(), Optional.of(sig));
        assertTrue(bad.problems(pack, trust, true).get(0).startsWith("bad ML-DSA-65 signature"));
        // Even when the rail does not require it, a present but bad ML-DSA-65 signature is refused.
        assertTrue(bad.problems(pack, trust, false).get(0).startsWith("bad ML-DSA-65 signature"));
    }

    @Test
    void aManifestBringingItsOwnPostQuantumKeyForATrustedDidIsRefused() throws Exception {
        IssuerKeys other = IssuerKeys.generate(true);
        Path file = dir.resolve("ed-only");
        TrustedPublishers.append(file, publisher.did(), Optional.empty());
        assertTrue(signed(true).problems(pack, TrustedPublishers.load(file), true).get(0)
                .startsWith("the manifest's ML-DSA-65 key is not the one trusted"));
        assertTrue(Files.readString(file).contains(publisher.did().value()));
        assertEquals(1, TrustedPublishers.load(file).size());
        assertTrue(other.postQuantum());
    }
}
