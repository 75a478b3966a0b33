package org.nexusswarm.safety.api.registry;

import java.nio.file.Path;
import org.nexusswarm.memory.checkpoint.CheckpointSigner;
import org.nexusswarm.memory.verify.TrustedNodes;
import org.nexusswarm.safety.api.credential.CredentialKeystore;
import org.nexusswarm.safety.api.credential.IssuerKeys;

/**
 * The node's own Ed25519 key, which signs journal checkpoints, kept in a BCFKS keystore file (the same
 * format and code as the operators' credential keys, {@link CredentialKeystore}) under the alias
 * {@value #ALIAS}. Lives here rather than in episodic-memory because the keystore code does.
 *
 * <p>On first use the key is created and its DID appended to the trusted-nodes file, so {@code swarm journal
 * verify} on the same machine trusts this node's checkpoints without setup. Other machines must be given the
 * DID (copy the line): trust is never learned from a journal itself.
 */
public final class NodeKeyStore {

    public static final String ALIAS = "node";
    /** Environment variable with the keystore password (shared with {@code swarm credentials}). */
    public static final String PASSWORD_ENV = "NEXUS_KEYSTORE_PASSWORD";
    /** The development default when {@value #PASSWORD_ENV} is unset: fine on a laptop, never in production. */
    public static final String DEV_PASSWORD = "nexus-dev-keystore";

    private NodeKeyStore() {}

    /**
     * The node's checkpoint signer from {@code keystore}; creates the keystore and the key when missing and
     * then appends the key's DID to {@code trustedNodesFile}.
     */
    public static CheckpointSigner loadOrCreate(Path keystore, Path trustedNodesFile, char[] password) {
        try (CredentialKeystore store = CredentialKeystore.openOrCreate(keystore, password)) {
            if (store.contains(ALIAS)) {
                return new CheckpointSigner(store.load(ALIAS).ed25519());
            }
            IssuerKeys keys = store.generate(ALIAS, false);
            TrustedNodes.append(trustedNodesFile, keys.did());
            return new CheckpointSigner(keys.ed25519());
        }
    }

    /** The password from {@value #PASSWORD_ENV}, or the documented development default. */
    public static char[] passwordFromEnvironment() {
        String password = System.getenv(PASSWORD_ENV);
        return (password == null || password.isEmpty() ? DEV_PASSWORD : password).toCharArray();
    }
}
