package org.nexusswarm.coordinator.rail;

import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.packs.RailOptions;

/**
 * The deployment record of one rail instance: everything a node holding the rail's secret needs to derive the
 * same entity specs and credentials as every other node, and nothing secret. Stored in the rail deployment
 * registry's journal (Kryo id 1610) and shown by {@code swarm rail show}.
 *
 * <p>The issuer's public keys are here so that a node can tell a tampered record (or a secret of another rail)
 * from the right one: it derives the issuer from its own secret and refuses the record unless both agree.
 *
 * @param pack            pack name, e.g. {@code climate}
 * @param rail            rail name within the pack, e.g. {@code drought-watch}
 * @param instance        the rail instance (entity id prefix; keys the rail secret)
 * @param agents          {@link RailOptions#agents()} the blueprint is rebuilt with; 0 for an in-memory
 *                        deployment that no other node can rebuild ({@link #rebuildable()})
 * @param delegators      {@link RailOptions#delegators()}
 * @param rogueAgents     {@link RailOptions#rogueAgents()}
 * @param replicas        {@link RailOptions#replicas()}
 * @param quorum          {@link RailOptions#quorum()}
 * @param seed            {@link RailOptions#seed()}
 * @param deployedAt      deploy time, epoch millis: credentials are valid from 5 minutes before it
 * @param validityMillis  how long after {@code deployedAt} the credentials stay valid
 * @param postQuantum     whether the credentials are hybrid and nodes require both proofs
 * @param issuerDid       DID of the rail issuer's Ed25519 key
 * @param issuerMlDsaKey  base64 X.509 encoding of the issuer's ML-DSA-65 public key, empty when not post-quantum
 * @param policyVersion   the rail policy's version in force when it was deployed, 0 when the pack ships none
 * @param signature       the rail issuer's Ed25519 signature over {@link #signedBytes()}, base64: only a holder of
 *                        the rail secret can write a record that nodes accept, so whoever can reach the registry
 *                        cannot change which entities get credentials
 */
public record RailDeployment(String pack, String rail, String instance, int agents, int delegators, int rogueAgents,
        int replicas, int quorum, long seed, long deployedAt, long validityMillis, boolean postQuantum,
        String issuerDid, String issuerMlDsaKey, long policyVersion, String signature) implements SwarmMessage {

    /** Domain tag of {@link #signedBytes()}. */
    public static final String SIGNED_TAG = "nexus-rail-deployment-v1";

    /** How long credentials before the deploy time are already valid (clock skew between nodes). */
    public static final Duration SKEW = Duration.ofMinutes(5);

    public RailDeployment {
        issuerMlDsaKey = issuerMlDsaKey == null ? "" : issuerMlDsaKey;
        signature = signature == null ? "" : signature;
    }

    /**
     * The bytes the issuer signs: the tag and every field but the signature, strings as a 4-byte length and UTF-8,
     * numbers big-endian, in declaration order.
     */
    public byte[] signedBytes() {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(256);
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            for (String s : new String[] {SIGNED_TAG, pack, rail, instance}) {
                writeString(out, s);
            }
            for (int i : new int[] {agents, delegators, rogueAgents, replicas, quorum}) {
                out.writeInt(i);
            }
            out.writeLong(seed);
            out.writeLong(deployedAt);
            out.writeLong(validityMillis);
            out.writeBoolean(postQuantum);
            writeString(out, issuerDid);
            writeString(out, issuerMlDsaKey);
            out.writeLong(policyVersion);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void writeString(java.io.DataOutputStream out, String value) throws java.io.IOException {
        byte[] utf8 = String.valueOf(value).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    /** This record signed by {@code issuer} (the rail issuer's Ed25519 key). */
    public RailDeployment signedBy(org.nexusswarm.actors.identity.Signer issuer) {
        return withSignature(Base64.getEncoder().encodeToString(issuer.sign(signedBytes())));
    }

    /** True when {@link #signature} is the Ed25519 signature of the issuer this record names. */
    public boolean signatureValid() {
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        try {
            return org.nexusswarm.actors.identity.Ed25519.verify(new org.nexusswarm.actors.identity.Did(issuerDid)
                    .publicKey(), signedBytes(), sig);
        } catch (RuntimeException e) {
            return false;
        }
    }

    RailDeployment withSignature(String newSignature) {
        return new RailDeployment(pack, rail, instance, agents, delegators, rogueAgents, replicas, quorum, seed,
                deployedAt, validityMillis, postQuantum, issuerDid, issuerMlDsaKey, policyVersion, newSignature);
    }

    /** The options the blueprint is rebuilt with. */
    public RailOptions options() {
        if (!rebuildable()) {
            throw new IllegalStateException("rail instance " + instance + " was deployed in memory only; no other "
                    + "node can rebuild it");
        }
        return new RailOptions(agents, delegators, rogueAgents, replicas, quorum, seed, instance);
    }

    /** False for a deployment made in one JVM without options (the blueprint cannot be rebuilt elsewhere). */
    public boolean rebuildable() {
        return agents > 0;
    }

    public long notBefore() {
        return deployedAt - SKEW.toMillis();
    }

    public long notAfter() {
        return deployedAt + validityMillis;
    }

    /** The issuer's ML-DSA-65 public key (X.509) of a post-quantum rail. */
    public Optional<byte[]> issuerMlDsaPublicKey() {
        return issuerMlDsaKey.isEmpty() ? Optional.empty() : Optional.of(Base64.getDecoder().decode(issuerMlDsaKey));
    }

    /** {@code pack/rail} as the command line names it. */
    public String railPath() {
        return pack + "/" + rail;
    }
}
