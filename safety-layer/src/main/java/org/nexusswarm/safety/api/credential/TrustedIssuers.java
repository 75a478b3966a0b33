package org.nexusswarm.safety.api.credential;

import java.security.PublicKey;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.nexusswarm.actors.identity.Did;

/**
 * The credential issuers a node trusts: each Ed25519 issuer DID with, optionally, the issuer's ML-DSA-65 public
 * key and whether the issuer's rail requires post-quantum proofs. An immutable value; build it with
 * {@link #none()} and {@link #with}, or take the node's from {@code SafetyRegistry.trusted()}.
 *
 * <p>When an issuer requires PQ, a credential must carry both proofs and both must verify. When it does not but
 * its ML-DSA key is known, an ML-DSA proof that is present must still verify (a forged half is never ignored).
 */
public final class TrustedIssuers {

    /** What is trusted about one issuer. */
    public record Entry(Did issuer, Optional<PublicKey> mlDsaKey, boolean requirePq) {
        public Entry {
            mlDsaKey = mlDsaKey == null ? Optional.empty() : mlDsaKey;
            if (requirePq && mlDsaKey.isEmpty()) {
                throw new IllegalArgumentException("issuer " + issuer + " cannot require post-quantum proofs "
                        + "without an ML-DSA-65 public key");
            }
        }
    }

    private static final TrustedIssuers NONE = new TrustedIssuers(Map.of());

    private final Map<String, Entry> byDid;

    private TrustedIssuers(Map<String, Entry> byDid) {
        this.byDid = Map.copyOf(byDid);
    }

    public static TrustedIssuers none() {
        return NONE;
    }

    /**
     * Ed25519-only trust in each of {@code issuerDids} (the foundation's {@code Set<String>} of issuers); strings
     * that are not Nexus DIDs can name no issuer and are skipped.
     */
    public static TrustedIssuers ed25519Only(Collection<String> issuerDids) {
        Map<String, Entry> entries = new HashMap<>();
        for (String did : issuerDids) {
            if (did != null && did.startsWith(Did.PREFIX)) {
                entries.put(did, new Entry(new Did(did), Optional.empty(), false));
            }
        }
        return new TrustedIssuers(entries);
    }

    /** Also trusts {@code issuer} on its Ed25519 proof; an existing entry (perhaps with PQ) is kept as it is. */
    public TrustedIssuers with(Did issuer) {
        if (byDid.containsKey(issuer.value())) {
            return this;
        }
        return with(new Entry(issuer, Optional.empty(), false));
    }

    /**
     * Trusts {@code issuer} with its ML-DSA-65 public key (X.509 encoding; null for none) and the rail's PQ
     * requirement, replacing any earlier entry for it. Throws {@link IllegalArgumentException} for a key that is
     * not ML-DSA-65, or for {@code requirePq} without a key.
     */
    public TrustedIssuers with(Did issuer, byte[] mlDsaPublicKey, boolean requirePq) {
        Optional<PublicKey> key = mlDsaPublicKey == null ? Optional.empty()
                : Optional.of(MlDsa65.decodePublicKey(mlDsaPublicKey));
        return with(new Entry(issuer, key, requirePq));
    }

    public TrustedIssuers with(Entry entry) {
        Map<String, Entry> more = new HashMap<>(byDid);
        more.put(entry.issuer().value(), entry);
        return new TrustedIssuers(more);
    }

    /** Every entry of {@code other} added to (and winning over) these. */
    public TrustedIssuers withAll(TrustedIssuers other) {
        Map<String, Entry> more = new HashMap<>(byDid);
        more.putAll(other.byDid);
        return new TrustedIssuers(more);
    }

    public boolean trusts(String issuerDid) {
        return issuerDid != null && byDid.containsKey(issuerDid);
    }

    public Optional<Entry> entry(String issuerDid) {
        return issuerDid == null ? Optional.empty() : Optional.ofNullable(byDid.get(issuerDid));
    }

    public Set<String> dids() {
        return byDid.keySet();
    }

    @Override
    public String toString() {
        return "TrustedIssuers" + byDid.values().stream()
                .map(e -> e.issuer().shortForm() + (e.requirePq() ? "(PQ required)" : e.mlDsaKey().isPresent()
                        ? "(PQ known)" : ""))
                .sorted().toList();
    }
}
