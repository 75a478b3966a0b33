package org.nexusswarm.safety.api.credential;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.nexusswarm.safety.api.credential.CredentialKeystore.KeystoreException;
import org.nexusswarm.safety.api.credential.CredentialKeystore.Problem;

/**
 * Rail secrets at rest: each a BCFKS secret-key entry under alias {@code rail:<instance>} (lower case) in the
 * node's keystore ({@code nexus.swarm.memory.node-keystore-file}), and moved between nodes only as an export, a
 * separate BCFKS file protected by its own password. Blocking file I/O and PBKDF2: call from edge code or a
 * blocking dispatcher, never from an actor's thread.
 */
public final class RailSecretStore {

    public static final String ALIAS_PREFIX = "rail:";
    /** The shortest export password accepted: the file travels, so it must not fall to a quick guess. */
    public static final int MIN_EXPORT_PASSWORD = 12;
    private static final Pattern INSTANCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,58}");

    /** A secret and whether this call created it. */
    public record Loaded(RailSecret secret, boolean created) {}

    private RailSecretStore() {}

    /** The keystore alias of {@code instance}'s secret; instances differing only in case share it. */
    public static String alias(String instance) {
        if (instance == null || !INSTANCE.matcher(instance).matches()) {
            throw new KeystoreException(Problem.BAD_ALIAS, "rail instance '" + instance + "' cannot key a rail "
                    + "secret: use 1-59 letters, digits, '.', '_' or '-'");
        }
        return ALIAS_PREFIX + instance.toLowerCase(Locale.ROOT);
    }

    /** {@code instance}'s secret from {@code keystore}; empty when the keystore or the entry does not exist. */
    public static Optional<RailSecret> load(Path keystore, char[] password, String instance) {
        String alias = alias(instance);
        if (!Files.exists(keystore)) {
            return Optional.empty();
        }
        try (CredentialKeystore store = CredentialKeystore.open(keystore, password)) {
            return store.secret(alias).map(RailSecretStore::wrap);
        }
    }

    /** {@code instance}'s secret, created at random (and saved) when the keystore holds none. */
    public static Loaded loadOrCreate(Path keystore, char[] password, String instance) {
        String alias = alias(instance);
        try (CredentialKeystore store = CredentialKeystore.openOrCreate(keystore, password)) {
            Optional<byte[]> existing = store.secret(alias);
            if (existing.isPresent()) {
                return new Loaded(wrap(existing.get()), false);
            }
            RailSecret fresh = RailSecret.generate();
            byte[] raw = fresh.bytes();
            try {
                store.addSecret(alias, raw);
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
            return new Loaded(fresh, true);
        }
    }

    /** The rail instances (aliases without the prefix, lower case) whose secrets {@code keystore} holds. */
    public static List<String> instances(Path keystore, char[] password) {
        if (!Files.exists(keystore)) {
            return List.of();
        }
        try (CredentialKeystore store = CredentialKeystore.open(keystore, password)) {
            return store.secretAliases().stream().filter(a -> a.startsWith(ALIAS_PREFIX))
                    .map(a -> a.substring(ALIAS_PREFIX.length())).toList();
        }
    }

    /**
     * Writes {@code instance}'s secret to a new BCFKS file {@code out} protected by {@code exportPassword}
     * (refuses an existing file, a missing secret and a short password); returns the secret's fingerprint.
     */
    public static String export(Path keystore, char[] password, String instance, Path out, char[] exportPassword) {
        requireExportPassword(exportPassword);
        RailSecret secret = load(keystore, password, instance).orElseThrow(() -> new KeystoreException(
                Problem.NO_SUCH_ALIAS, "keystore " + keystore + " holds no secret for rail instance '" + instance
                        + "'"));
        byte[] raw = secret.bytes();
        try (CredentialKeystore export = CredentialKeystore.create(out, exportPassword)) {
            export.addSecret(alias(instance), raw);
            return secret.fingerprint();
        } finally {
            Arrays.fill(raw, (byte) 0);
            secret.destroy();
        }
    }

    /**
     * Copies every rail secret of the export file {@code in} (opened with {@code exportPassword}: a wrong one is
     * {@link Problem#WRONG_PASSWORD}) into {@code keystore}, created if missing. A secret already present with
     * the same bytes is skipped; a different one is refused ({@link Problem#ALIAS_EXISTS}): rotating a rail's
     * secret means deploying a new instance, never replacing a secret nodes already derive keys from. Returns
     * the instances imported or already present.
     */
    public static List<String> importFrom(Path in, char[] exportPassword, Path keystore, char[] password) {
        List<String> done = new ArrayList<>();
        try (CredentialKeystore export = CredentialKeystore.open(in, exportPassword);
                CredentialKeystore store = CredentialKeystore.openOrCreate(keystore, password)) {
            List<String> aliases = export.secretAliases().stream().filter(a -> a.startsWith(ALIAS_PREFIX)).toList();
            if (aliases.isEmpty()) {
                throw new KeystoreException(Problem.NO_SUCH_ALIAS, in + " holds no rail secret");
            }
            for (String alias : aliases) {
                byte[] raw = export.secret(alias).orElseThrow();
                try {
                    Optional<byte[]> present = store.secret(alias);
                    if (present.isPresent()) {
                        boolean same = java.security.MessageDigest.isEqual(present.get(), raw);
                        Arrays.fill(present.get(), (byte) 0);
                        if (!same) {
                            throw new KeystoreException(Problem.ALIAS_EXISTS, keystore + " already holds a different "
                                    + "secret for rail instance '" + alias.substring(ALIAS_PREFIX.length()) + "'; a "
                                    + "rotated secret is a new rail instance (deploy it with --instance)");
                        }
                    } else {
                        wrap(raw.clone()).destroy(); // refuses a malformed (not 32-byte) secret before storing it
                        store.addSecret(alias, raw);
                    }
                } finally {
                    Arrays.fill(raw, (byte) 0);
                }
                done.add(alias.substring(ALIAS_PREFIX.length()));
            }
        }
        return List.copyOf(done);
    }

    private static void requireExportPassword(char[] exportPassword) {
        if (exportPassword == null || exportPassword.length < MIN_EXPORT_PASSWORD) {
            throw new IllegalArgumentException("an export password needs at least " + MIN_EXPORT_PASSWORD
                    + " characters (the exported file leaves this machine)");
        }
    }

    private static RailSecret wrap(byte[] raw) {
        try {
            return RailSecret.of(raw);
        } catch (IllegalArgumentException e) {
            throw new KeystoreException(Problem.UNREADABLE, "a stored rail secret is not " + RailSecret.BYTES
                    + " bytes long");
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }
}
