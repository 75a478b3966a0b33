package org.nexusswarm.coordinator.rail;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Optional;
import org.nexusswarm.safety.api.credential.RailSecret;
import org.nexusswarm.safety.api.credential.RailSecretStore;
import org.nexusswarm.safety.api.registry.NodeKeyStore;

/**
 * The rail secrets of one node: the {@link RailSecretStore} entries of the node's BCFKS keystore
 * ({@code nexus.swarm.memory.node-keystore-file}, password from {@code NEXUS_KEYSTORE_PASSWORD}). Each call
 * opens the keystore, so a secret imported while the node runs is seen on the next call. Blocking (file I/O and
 * PBKDF2): edge code or a blocking dispatcher only.
 */
public final class RailKeyring {

    private final Path keystore;
    private final char[] password;

    public RailKeyring(Path keystore, char[] password) {
        this.keystore = keystore;
        this.password = password.clone();
    }

    /** The keyring of the node configured by {@code config}. */
    public static RailKeyring of(Config config) {
        return new RailKeyring(Path.of(config.getString("nexus.swarm.memory.node-keystore-file")),
                NodeKeyStore.passwordFromEnvironment());
    }

    public Path keystore() {
        return keystore;
    }

    public Optional<RailSecret> secret(String instance) {
        return RailSecretStore.load(keystore, password, instance);
    }

    /** {@code instance}'s secret; a node without it refuses the rail ({@link RailHostingRefused.Reason#NO_SECRET}). */
    public RailSecret require(String instance) {
        return secret(instance).orElseThrow(() -> new RailHostingRefused(RailHostingRefused.Reason.NO_SECRET,
                instance, "the node keystore " + keystore + " holds no secret for it; import it with 'swarm rail "
                        + "secret import' (exported from a node that hosts the rail)"));
    }

    /** {@code instance}'s secret, created in the keystore when this node deploys the rail first. */
    public RailSecretStore.Loaded loadOrCreate(String instance) {
        return RailSecretStore.loadOrCreate(keystore, password, instance);
    }

    /** Derives and registers the rail of {@code record} with this node's secret (see {@link RailDeployer#host}). */
    public DeployedRail host(org.nexusswarm.safety.api.registry.SafetyRegistry registry,
            org.nexusswarm.packs.RailBlueprint blueprint, RailDeployment record) {
        RailSecret secret = require(record.instance());
        try {
            return RailDeployer.host(registry, blueprint, secret, record);
        } finally {
            secret.destroy();
        }
    }
}
