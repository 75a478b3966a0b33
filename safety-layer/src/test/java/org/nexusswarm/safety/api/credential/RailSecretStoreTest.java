package org.nexusswarm.safety.api.credential;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.safety.api.credential.CredentialKeystore.KeystoreException;
import org.nexusswarm.safety.api.credential.CredentialKeystore.Problem;

/**
 * Rail secrets in the node keystore and their password-protected export: two keystores holding the same imported
 * secret derive the same keys; wrong passwords, different secrets and plain-text leaks are refused.
 */
class RailSecretStoreTest {

    private static final char[] NODE_A = "node-a-keystore-pw".toCharArray();
    private static final char[] NODE_B = "node-b-keystore-pw".toCharArray();
    private static final char[] EXPORT = "export password 2026".toCharArray();

    @TempDir
    Path tmp;

    private static void refused(Problem expected, org.junit.jupiter.api.function.Executable action) {
        KeystoreException e = assertThrows(KeystoreException.class, action);
        assertEquals(expected, e.problem(), e.getMessage());
    }

    @Test
    void anImportedSecretDerivesTheSameKeysOnTheOtherNode() {
        Path a = tmp.resolve("a.bcfks");
        Path b = tmp.resolve("b.bcfks");
        RailSecretStore.Loaded created = RailSecretStore.loadOrCreate(a, NODE_A, "drought-watch");
        assertTrue(created.created());
        assertFalse(RailSecretStore.loadOrCreate(a, NODE_A, "drought-watch").created(), "created once");
        assertEquals(Optional.empty(), RailSecretStore.load(b, NODE_B, "drought-watch").map(RailSecret::fingerprint));

        Path export = tmp.resolve("dw.rail-secret");
        String fingerprint = RailSecretStore.export(a, NODE_A, "drought-watch", export, EXPORT);
        assertEquals(created.secret().fingerprint(), fingerprint);
        assertEquals(List.of("drought-watch"), RailSecretStore.importFrom(export, EXPORT, b, NODE_B));
        // Importing again is a no-op, not an error.
        assertEquals(List.of("drought-watch"), RailSecretStore.importFrom(export, EXPORT, b, NODE_B));

        RailSecret onA = RailSecretStore.load(a, NODE_A, "drought-watch").orElseThrow();
        RailSecret onB = RailSecretStore.load(b, NODE_B, "Drought-Watch").orElseThrow();
        assertEquals(List.of("drought-watch"), RailSecretStore.instances(b, NODE_B));
        assertEquals(onA.issuerKeys("drought-watch", true).did(), onB.issuerKeys("drought-watch", true).did());
        assertArrayEquals(onA.issuerKeys("drought-watch", true).mlDsaPublicKey().orElseThrow(),
                onB.issuerKeys("drought-watch", true).mlDsaPublicKey().orElseThrow());
        assertEquals(onA.entityKey("drought-watch", "drought-watch.agent-001").did(),
                onB.entityKey("drought-watch", "drought-watch.agent-001").did());
        // The secret entry is not a signing key: the keystore's key listing does not show it.
        try (CredentialKeystore store = CredentialKeystore.open(b, NODE_B)) {
            assertEquals(List.of(), store.aliases());
            assertEquals(List.of("rail:drought-watch"), store.secretAliases());
        }
    }

    @Test
    void anExportOpenedWithTheWrongPasswordIsRefused() {
        Path a = tmp.resolve("a.bcfks");
        RailSecretStore.loadOrCreate(a, NODE_A, "dw");
        Path export = tmp.resolve("dw.rail-secret");
        RailSecretStore.export(a, NODE_A, "dw", export, EXPORT);
        Path b = tmp.resolve("b.bcfks");
        refused(Problem.WRONG_PASSWORD, () -> RailSecretStore.importFrom(export, "wrong password!!".toCharArray(), b,
                NODE_B));
        assertFalse(Files.exists(b), "nothing was imported");
        refused(Problem.WRONG_PASSWORD, () -> RailSecretStore.load(a, NODE_B, "dw"));
    }

    @Test
    void aDifferentSecretForTheSameInstanceIsNeverOverwritten() {
        Path a = tmp.resolve("a.bcfks");
        Path b = tmp.resolve("b.bcfks");
        RailSecretStore.loadOrCreate(a, NODE_A, "dw");
        RailSecret own = RailSecretStore.loadOrCreate(b, NODE_B, "dw").secret();
        Path export = tmp.resolve("dw.rail-secret");
        RailSecretStore.export(a, NODE_A, "dw", export, EXPORT);
        refused(Problem.ALIAS_EXISTS, () -> RailSecretStore.importFrom(export, EXPORT, b, NODE_B));
        assertEquals(own.fingerprint(), RailSecretStore.load(b, NODE_B, "dw").orElseThrow().fingerprint());
    }

    @Test
    void exportsNeedAFreshFileAStrongPasswordAndAnExistingSecret() {
        Path a = tmp.resolve("a.bcfks");
        RailSecretStore.loadOrCreate(a, NODE_A, "dw");
        Path export = tmp.resolve("dw.rail-secret");
        assertThrows(IllegalArgumentException.class,
                () -> RailSecretStore.export(a, NODE_A, "dw", export, "short".toCharArray()));
        refused(Problem.NO_SUCH_ALIAS, () -> RailSecretStore.export(a, NODE_A, "other", export, EXPORT));
        RailSecretStore.export(a, NODE_A, "dw", export, EXPORT);
        refused(Problem.ALREADY_EXISTS, () -> RailSecretStore.export(a, NODE_A, "dw", export, EXPORT));
        refused(Problem.BAD_ALIAS, () -> RailSecretStore.loadOrCreate(a, NODE_A, "../etc"));
    }

    @Test
    void theSecretIsNeverInAFileInPlainText() throws Exception {
        Path a = tmp.resolve("a.bcfks");
        RailSecret secret = RailSecretStore.loadOrCreate(a, NODE_A, "dw").secret();
        Path export = tmp.resolve("dw.rail-secret");
        RailSecretStore.export(a, NODE_A, "dw", export, EXPORT);
        byte[] raw = secret.bytes();
        for (Path file : List.of(a, export)) {
            assertFalse(contains(Files.readAllBytes(file), raw), "raw rail secret found in " + file);
        }
    }

    @Test
    void derivationIsDomainSeparatedAndSecretBound() {
        RailSecret one = RailSecret.generate();
        RailSecret two = RailSecret.generate();
        assertNotEquals(one.fingerprint(), two.fingerprint());
        assertNotEquals(one.entityKey("dw", "x").did(), two.entityKey("dw", "x").did());
        assertNotEquals(one.entityKey("dw", "x").did(), one.entityKey("dw2", "x").did());
        assertNotEquals(one.entityKey("dw", "x").did(), one.entityKey("dw", "y").did());
        assertNotEquals(one.issuerKeys("dw", false).did(), one.feedKey("dw").did());
        // Length prefixes: moving characters between parts changes the info string.
        assertFalse(java.util.Arrays.equals(RailSecret.info("a", "bc", "p"), RailSecret.info("ab", "c", "p")));
        // Issued with derived keys, a credential verifies against the derived issuer.
        IssuerKeys issuer = one.issuerKeys("dw", true);
        var subject = one.entityKey("dw", "x").did();
        Credential c = Credential.issue(issuer, "dw/x", subject, List.of("a"), List.of("*"),
                Credential.Limits.UNLIMITED, 0, Long.MAX_VALUE);
        Credential again = Credential.issue(one.issuerKeys("dw", true), "dw/x", subject, List.of("a"), List.of("*"),
                Credential.Limits.UNLIMITED, 0, Long.MAX_VALUE);
        assertEquals(c, again, "Ed25519 and ML-DSA proofs are deterministic: byte-identical credentials");
        assertEquals(Optional.empty(), c.check(subject, TrustedIssuers.none().with(issuer.did(),
                issuer.mlDsaPublicKey().orElseThrow(), true), 1));
        assertFalse(Ed25519.verify(two.issuerKeys("dw", false).ed25519().publicKey(), c.signedBytes(), c.signature()));
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
