package org.nexusswarm.safety.api.credential;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A password-protected keystore file holding the signing keys of issuers, approvers and operators: under each
 * alias an Ed25519 private key, and with {@code --pq} an ML-DSA-65 private key too (stored under
 * {@code <alias>.ml-dsa-65}). The format is Bouncy Castle's BCFKS (PBKDF2-HMAC-SHA512 key derivation, AES-256-CCM
 * encryption, an HMAC over the whole file): as strong as PKCS#12 and about ten times faster to open here (PKCS#12
 * took ~1.4 s per load or save). Private keys never leave the file unencrypted; like PKCS#12, it needs a
 * certificate beside each private key, so every key gets a self-signed X.509 certificate (built with bcpkix).
 *
 * <p>Aliases are case-insensitive (stored in lower case). Every change is written to a temporary file and moved
 * over the keystore, readable by its owner only where the file system supports POSIX permissions. Not
 * thread-safe: one command-line invocation owns an instance. {@link #close()} wipes the password copy.
 */
public final class CredentialKeystore implements AutoCloseable {

    /** Bouncy Castle's FIPS-style keystore format (readable with the BC provider, e.g. by keytool). */
    public static final String TYPE = "BCFKS";
    private static final String PQ_SUFFIX = ".ml-dsa-65";
    private static final Pattern ALIAS = Pattern.compile("[a-z0-9][a-z0-9._:@-]{0,63}");
    private static final Duration CERTIFICATE_VALIDITY = Duration.ofDays(365L * 30);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The algorithm name secret entries are stored under (the bytes are HKDF input keying material). */
    private static final String SECRET_ALGORITHM = "HmacSHA256";

    /** What went wrong, for callers that map problems to exit codes. */
    public enum Problem { NOT_FOUND, ALREADY_EXISTS, WRONG_PASSWORD, UNREADABLE, NO_SUCH_ALIAS, ALIAS_EXISTS, BAD_ALIAS }

    /** A keystore problem the user can act on; the message says what and how. */
    public static final class KeystoreException extends IllegalArgumentException {
        private final Problem problem;

        KeystoreException(Problem problem, String message) {
            super(message);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    private final Path file;
    private final char[] password;
    private final KeyStore store;

    private CredentialKeystore(Path file, char[] password, KeyStore store) {
        this.file = file;
        this.password = password;
        this.store = store;
    }

    /** Creates a new, empty keystore file; refuses to overwrite an existing file. */
    public static CredentialKeystore create(Path file, char[] password) {
        requirePassword(password);
        if (Files.exists(file)) {
            throw new KeystoreException(Problem.ALREADY_EXISTS, "keystore " + file + " already exists");
        }
        try {
            KeyStore store = KeyStore.getInstance(TYPE, MlDsa65.provider());
            store.load(null, null);
            CredentialKeystore keystore = new CredentialKeystore(file, password.clone(), store);
            keystore.save();
            return keystore;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot create a " + TYPE + " keystore: " + e.getMessage(), e);
        }
    }

    /** Opens an existing keystore; a wrong password or a file that is not a keystore is a {@link KeystoreException}. */
    public static CredentialKeystore open(Path file, char[] password) {
        requirePassword(password);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KeystoreException(Problem.NOT_FOUND, "keystore " + file + " does not exist "
                    + "(create it with 'swarm credentials keygen')");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read keystore " + file + ": " + e.getMessage(), e);
        }
        try {
            KeyStore store = KeyStore.getInstance(TYPE, MlDsa65.provider());
            store.load(new ByteArrayInputStream(bytes), password);
            return new CredentialKeystore(file, password.clone(), store);
        } catch (IOException e) {
            String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("password") || message.contains("mac")) {
                throw new KeystoreException(Problem.WRONG_PASSWORD, "cannot open keystore " + file
                        + ": wrong password (or the file is corrupted)");
            }
            throw new KeystoreException(Problem.UNREADABLE, file + " is not a readable " + TYPE + " keystore ("
                    + e.getMessage() + ")");
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new KeystoreException(Problem.UNREADABLE, file + " is not a readable " + TYPE + " keystore ("
                    + e.getMessage() + ")");
        }
    }

    /** Opens the keystore, or creates it when the file does not exist yet. */
    public static CredentialKeystore openOrCreate(Path file, char[] password) {
        return Files.exists(file) ? open(file, password) : create(file, password);
    }

    private static void requirePassword(char[] password) {
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("a keystore needs a non-empty password");
        }
    }

    public Path file() {
        return file;
    }

    /** Generates keys (Ed25519, plus ML-DSA-65 when {@code postQuantum}), stores them under {@code alias}, saves. */
    public IssuerKeys generate(String alias, boolean postQuantum) {
        IssuerKeys keys = IssuerKeys.generate(postQuantum);
        add(alias, keys);
        return keys;
    }

    /** Stores {@code keys} under a new {@code alias} and saves the file. */
    public void add(String alias, IssuerKeys keys) {
        String name = normalize(alias);
        if (contains(name)) {
            throw new KeystoreException(Problem.ALIAS_EXISTS, "alias '" + name + "' already exists in " + file
                    + "; choose another alias (keys are never overwritten)");
        }
        byte[] raw = keys.ed25519PrivateKey().orElseThrow(() -> new IllegalArgumentException(
                "these keys wrap a SwarmKeyPair and cannot be exported; use IssuerKeys.generate"));
        try {
            Ed25519PrivateKeyParameters params = new Ed25519PrivateKeyParameters(raw, 0);
            KeyFactory ed = KeyFactory.getInstance("Ed25519", MlDsa65.provider());
            PrivateKey edPrivate = ed.generatePrivate(new PKCS8EncodedKeySpec(
                    PrivateKeyInfoFactory.createPrivateKeyInfo(params).getEncoded()));
            PublicKey edPublic = ed.generatePublic(new X509EncodedKeySpec(
                    SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(params.generatePublicKey()).getEncoded()));
            store.setKeyEntry(name, edPrivate, password,
                    new Certificate[] {selfSigned(name, new KeyPair(edPublic, edPrivate), "Ed25519")});
            if (keys.mlDsa().isPresent()) {
                KeyPair pq = keys.mlDsa().get();
                store.setKeyEntry(name + PQ_SUFFIX, pq.getPrivate(), password,
                        new Certificate[] {selfSigned(name + PQ_SUFFIX, pq, MlDsa65.ALGORITHM)});
            }
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot store keys under '" + name + "': " + e.getMessage(), e);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
        save();
    }

    /** The aliases, sorted (ML-DSA companions are not listed separately; see {@link #hasPostQuantum}). */
    public List<String> aliases() {
        try {
            TreeSet<String> names = new TreeSet<>();
            for (String a : Collections.list(store.aliases())) {
                if (!a.endsWith(PQ_SUFFIX) && !store.entryInstanceOf(a, KeyStore.SecretKeyEntry.class)) {
                    names.add(a);
                }
            }
            return List.copyOf(names);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Stores a raw secret (e.g. a {@link RailSecret}) under a new {@code alias} as a BCFKS secret-key entry
     * (encrypted like the private keys) and saves the file. Never overwrites.
     */
    void addSecret(String alias, byte[] secret) {
        String name = normalize(alias);
        if (contains(name)) {
            throw new KeystoreException(Problem.ALIAS_EXISTS, "alias '" + name + "' already exists in " + file
                    + " (secrets are never overwritten)");
        }
        try {
            store.setKeyEntry(name, new SecretKeySpec(secret, SECRET_ALGORITHM), password, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot store a secret under '" + name + "': " + e.getMessage(), e);
        }
        save();
    }

    /** The raw secret under {@code alias}, or empty when there is no secret entry by that name. */
    java.util.Optional<byte[]> secret(String alias) {
        String name = normalize(alias);
        try {
            if (!store.entryInstanceOf(name, KeyStore.SecretKeyEntry.class)) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(store.getKey(name, password).getEncoded());
        } catch (GeneralSecurityException e) {
            throw new KeystoreException(Problem.UNREADABLE, "cannot read the secret under '" + name + "' in " + file
                    + ": " + e.getMessage());
        }
    }

    /** The aliases of secret entries (not listed by {@link #aliases()}), sorted. */
    public List<String> secretAliases() {
        try {
            TreeSet<String> names = new TreeSet<>();
            for (String a : Collections.list(store.aliases())) {
                if (store.entryInstanceOf(a, KeyStore.SecretKeyEntry.class)) {
                    names.add(a);
                }
            }
            return List.copyOf(names);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean contains(String alias) {
        try {
            return store.isKeyEntry(normalize(alias));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean hasPostQuantum(String alias) {
        try {
            return store.isKeyEntry(normalize(alias) + PQ_SUFFIX);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The keys stored under {@code alias}; a missing alias is a {@link KeystoreException} listing those present. */
    public IssuerKeys load(String alias) {
        String name = normalize(alias);
        if (!contains(name)) {
            List<String> present = aliases();
            throw new KeystoreException(Problem.NO_SUCH_ALIAS, "no alias '" + name + "' in keystore " + file
                    + (present.isEmpty() ? " (it holds no keys yet)" : "; aliases: " + String.join(", ", present)));
        }
        try {
            PrivateKey edKey = (PrivateKey) store.getKey(name, password);
            byte[] raw = ((Ed25519PrivateKeyParameters) PrivateKeyFactory.createKey(edKey.getEncoded())).getEncoded();
            KeyPair pq = null;
            if (hasPostQuantum(name)) {
                PrivateKey pqPrivate = (PrivateKey) store.getKey(name + PQ_SUFFIX, password);
                pq = new KeyPair(store.getCertificate(name + PQ_SUFFIX).getPublicKey(), pqPrivate);
            }
            try {
                return IssuerKeys.fromRaw(raw, pq);
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        } catch (GeneralSecurityException | IOException | ClassCastException e) {
            throw new KeystoreException(Problem.UNREADABLE, "cannot read the keys under '" + name + "' in " + file
                    + ": " + e.getMessage());
        }
    }

    /** The canonical (lower-case) form of {@code alias}; a {@link KeystoreException} (BAD_ALIAS) if it is not valid. */
    public static String normalize(String alias) {
        String name = alias == null ? "" : alias.trim().toLowerCase(Locale.ROOT);
        if (!ALIAS.matcher(name).matches() || name.endsWith(PQ_SUFFIX)) {
            throw new KeystoreException(Problem.BAD_ALIAS, "bad alias '" + alias + "': use 1-64 letters, digits and "
                    + "._:@- (starting with a letter or digit), not ending in " + PQ_SUFFIX);
        }
        return name;
    }

    private static X509Certificate selfSigned(String alias, KeyPair keys, String algorithm)
            throws OperatorCreationException, GeneralSecurityException {
        X500Name name = new X500Name("CN=" + alias.replaceAll("[,+=\"\\\\<>;#]", "_") + ",O=Nexus Swarm");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, new BigInteger(63, RANDOM), 
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(CERTIFICATE_VALIDITY)), name,
                keys.getPublic());
        return new JcaX509CertificateConverter().setProvider(MlDsa65.provider()).getCertificate(
                builder.build(new JcaContentSignerBuilder(algorithm).setProvider(MlDsa65.provider())
                        .build(keys.getPrivate())));
    }

    private void save() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            store.store(bytes, password);
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                restrictToOwner(tmp);
                Files.write(tmp, bytes.toByteArray());
                try {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write keystore " + file + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encode keystore " + file + ": " + e.getMessage(), e);
        }
    }

    private static void restrictToOwner(Path path) throws IOException {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system: the platform's default permissions apply.
        }
    }

    /** Wipes this instance's copy of the password. */
    @Override
    public void close() {
        Arrays.fill(password, '\0');
    }
}
