package org.nexusswarm.safety.api.credential;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.safety.api.credential.CredentialKeystore.KeystoreException;
import org.nexusswarm.safety.api.credential.CredentialKeystore.Problem;

/** The PKCS#12 keystore: round trips of Ed25519 and ML-DSA keys, and each refusal with a readable message. */
class CredentialKeystoreTest {

    private static final char[] PASSWORD = "correct horse battery staple".toCharArray();

    @TempDir
    Path tmp;

    private KeystoreException refused(Problem expected, org.junit.jupiter.api.function.Executable action) {
        KeystoreException e = assertThrows(KeystoreException.class, action);
        assertEquals(expected, e.problem(), e.getMessage());
        return e;
    }

    @Test
    void keysSurviveASaveAndReopenAndStillSign() throws Exception {
        Path file = tmp.resolve("keys.p12");
        IssuerKeys hybrid;
        IssuerKeys classic;
        try (CredentialKeystore store = CredentialKeystore.create(file, PASSWORD)) {
            hybrid = store.generate("rail-issuer", true);
            classic = store.generate("Operator:Ops", false);
        }
        try (CredentialKeystore store = CredentialKeystore.open(file, PASSWORD)) {
            assertEquals(List.of("operator:ops", "rail-issuer"), store.aliases());
            assertTrue(store.hasPostQuantum("rail-issuer"));
            assertFalse(store.hasPostQuantum("operator:ops"));
            IssuerKeys loaded = store.load("RAIL-ISSUER");
            assertEquals(hybrid.did(), loaded.did());
            assertArrayEquals(hybrid.mlDsaPublicKey().orElseThrow(), loaded.mlDsaPublicKey().orElseThrow());
            assertEquals(classic.did(), store.load("operator:ops").did());
            assertTrue(store.load("operator:ops").mlDsa().isEmpty());

            long now = System.currentTimeMillis();
            var subject = Ed25519.generate().did();
            Credential c = Credential.issue(loaded, "k-1", subject, List.of("a"), List.of("*"),
                    Credential.Limits.UNLIMITED, now, now + 1000);
            TrustedIssuers trust = TrustedIssuers.none().with(hybrid.did(), hybrid.mlDsaPublicKey().orElseThrow(), true);
            assertEquals(Optional.empty(), c.check(subject, trust, now));
        }
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
    }

    @Test
    void privateKeysAreNotStoredInPlainText() throws Exception {
        Path file = tmp.resolve("keys.p12");
        IssuerKeys keys;
        try (CredentialKeystore store = CredentialKeystore.create(file, PASSWORD)) {
            keys = store.generate("issuer", false);
        }
        byte[] raw = keys.ed25519PrivateKey().orElseThrow();
        byte[] file_ = Files.readAllBytes(file);
        assertFalse(indexOf(file_, raw) >= 0, "raw Ed25519 private key found in the file");
        assertFalse(new String(file_, java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains(Base64.getEncoder().encodeToString(raw)));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void aWrongPasswordIsReportedPlainly() {
        Path file = tmp.resolve("keys.p12");
        try (CredentialKeystore store = CredentialKeystore.create(file, PASSWORD)) {
            store.generate("issuer", true);
        }
        KeystoreException e = refused(Problem.WRONG_PASSWORD,
                () -> CredentialKeystore.open(file, "tr0ub4dor&3".toCharArray()));
        assertEquals("cannot open keystore " + file + ": wrong password (or the file is corrupted)", e.getMessage());
    }

    @Test
    void aMissingAliasListsTheAliasesPresent() {
        Path file = tmp.resolve("keys.p12");
        try (CredentialKeystore store = CredentialKeystore.create(file, PASSWORD)) {
            store.generate("alpha", false);
            store.generate("beta", false);
            KeystoreException e = refused(Problem.NO_SUCH_ALIAS, () -> store.load("gamma"));
            assertTrue(e.getMessage().contains("no alias 'gamma'") && e.getMessage().endsWith("aliases: alpha, beta"),
                    e.getMessage());
        }
        try (CredentialKeystore empty = CredentialKeystore.create(tmp.resolve("empty.p12"), PASSWORD)) {
            assertTrue(refused(Problem.NO_SUCH_ALIAS, () -> empty.load("x")).getMessage().contains("no keys yet"));
        }
    }

    @Test
    void otherBadInputIsRefused() throws Exception {
        Path file = tmp.resolve("keys.p12");
        refused(Problem.NOT_FOUND, () -> CredentialKeystore.open(file, PASSWORD));
        try (CredentialKeystore store = CredentialKeystore.openOrCreate(file, PASSWORD)) {
            store.generate("issuer", false);
            refused(Problem.ALIAS_EXISTS, () -> store.generate("ISSUER", true));
            refused(Problem.BAD_ALIAS, () -> store.generate("", false));
            refused(Problem.BAD_ALIAS, () -> store.generate("has space", false));
            refused(Problem.BAD_ALIAS, () -> store.generate("x.ml-dsa-65", false));
            assertThrows(IllegalArgumentException.class,
                    () -> store.add("wrapped", IssuerKeys.of(Ed25519.generate())), "SwarmKeyPair keys are not exportable");
        }
        refused(Problem.ALREADY_EXISTS, () -> CredentialKeystore.create(file, PASSWORD));
        assertThrows(IllegalArgumentException.class, () -> CredentialKeystore.open(file, new char[0]));
        Path junk = Files.writeString(tmp.resolve("junk.p12"), "this is not a keystore");
        refused(Problem.UNREADABLE, () -> CredentialKeystore.open(junk, PASSWORD));
        try (CredentialKeystore reopened = CredentialKeystore.open(file, PASSWORD)) {
            assertEquals(List.of("issuer"), reopened.aliases(), "refused adds left the file unchanged");
        }
    }
}
