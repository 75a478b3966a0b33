package org.nexusswarm.safety.api.admission;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nexusswarm.actors.identity.Did;

/**
 * The pack-publisher keys a node trusts (like the trusted-nodes file of journal verification): a text file, one
 * publisher per line, {@code #} starts a comment:
 *
 * <pre>
 * did:nexus:&lt;base64url Ed25519 key&gt;                          # Ed25519 only
 * did:nexus:&lt;base64url Ed25519 key&gt; ml-dsa-65=&lt;sha256 hex&gt;   # + the SHA-256 of its ML-DSA-65 key (X.509)
 * </pre>
 *
 * <p>The ML-DSA-65 public key itself travels in the manifest; the trust list pins it by its SHA-256, so a
 * manifest cannot bring its own post-quantum key for a trusted DID. A missing file trusts nobody: every pack is
 * refused until a publisher is listed (the dev publisher key appends itself on creation, see the packs module).
 */
public final class TrustedPublishers {

    private static final String PQ = "ml-dsa-65=";

    private final Map<String, Optional<String>> publishers;

    private TrustedPublishers(Map<String, Optional<String>> publishers) {
        this.publishers = Map.copyOf(publishers);
    }

    public static TrustedPublishers none() {
        return new TrustedPublishers(Map.of());
    }

    /** The publishers listed in {@code file}; none when it does not exist. A malformed line is an error. */
    public static TrustedPublishers load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return none();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read trusted pack publishers file " + file + ": "
                    + e.getMessage(), e);
        }
        Map<String, Optional<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            line = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] parts = line.split("\\s+");
            String where = "line " + (i + 1) + " of " + file;
            String did = parseDid(parts[0], where);
            Optional<String> pq = Optional.empty();
            if (parts.length == 2 && parts[1].startsWith(PQ) && parts[1].length() == PQ.length() + 64) {
                pq = Optional.of(parts[1].substring(PQ.length()).toLowerCase(java.util.Locale.ROOT));
            } else if (parts.length != 1) {
                throw new IllegalArgumentException(where + ": expected 'did:nexus:... [ml-dsa-65=<sha256 hex>]'");
            }
            map.put(did, pq);
        }
        return new TrustedPublishers(map);
    }

    /** Appends a publisher line (created with its directory) unless its DID is already listed. */
    public static void append(Path file, Did did, Optional<byte[]> mlDsaPublicKey) {
        if (load(file).trusts(did.value())) {
            return;
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            String header = Files.exists(file) ? ""
                    : "# Pack publishers trusted to sign pack manifests: did:nexus:... [ml-dsa-65=<sha256 of key>]\n";
            String line = did.value() + mlDsaPublicKey.map(k -> " " + PQ + PackFiles.sha256(k)).orElse("") + "\n";
            Files.writeString(file, header + line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write trusted pack publishers file " + file + ": "
                    + e.getMessage(), e);
        }
    }

    public boolean trusts(String did) {
        return publishers.containsKey(did);
    }

    /** The pinned SHA-256 (hex) of the publisher's ML-DSA-65 public key, when the line names one. */
    public Optional<String> mlDsaKeySha256(String did) {
        return publishers.getOrDefault(did, Optional.empty());
    }

    public int size() {
        return publishers.size();
    }

    private static String parseDid(String text, String where) {
        try {
            Did did = new Did(text);
            if (did.publicKey().length != 32) {
                throw new IllegalArgumentException("not an Ed25519 DID: " + text);
            }
            return did.value();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage());
        }
    }
}
