package org.nexusswarm.coordinator.rail;

import com.typesafe.config.Config;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nexusswarm.packs.Pack;
import org.nexusswarm.packs.admission.PackAdmission;
import org.nexusswarm.safety.api.admission.TrustedPublishers;
import org.nexusswarm.safety.api.credential.CredentialKeystore;
import org.nexusswarm.safety.api.credential.IssuerKeys;
import org.nexusswarm.safety.api.registry.NodeKeyStore;

/**
 * Where a deployment gets its pack: only through {@link PackAdmission#admit}, so a refused pack never has
 * anything of it run ({@code pack.rail(..)} is called on an admitted pack only).
 *
 * <p>Dev convenience ({@code nexus.swarm.packs.admission.dev-auto-sign = on}, the default): when a pack has no
 * manifest yet, it is signed with a local dev publisher key (alias {@value #DEV_PUBLISHER} in the node keystore,
 * created on first use with an ML-DSA-65 key, and added to the trusted pack publishers file), and that is
 * printed, like the node key on first run. A production operator sets it off and signs packs with their own key
 * ({@code swarm packs sign}); a manifest that exists is never re-signed, so an altered pack stays refused.
 */
public final class PackGate {

    public static final String DEV_PUBLISHER = "pack-publisher";

    private PackGate() {}

    /** The admitted pack {@code name}; throws {@link PackAdmission.PackRefusedException} with one line. */
    public static Pack admit(Config config, String name, boolean postQuantum, PrintWriter out) {
        PackAdmission admission = new PackAdmission(PackAdmission.Settings.from(config));
        Path manifest = admission.settings().manifestFile(name);
        if (!Files.exists(manifest) && config.getBoolean("nexus.swarm.packs.admission.dev-auto-sign")) {
            IssuerKeys publisher = devPublisher(config, admission.settings().trustedPublishersFile());
            admission.sign(name, publisher, true, "dev");
            out.println("Signed pack '" + name + "' with the local dev publisher key " + publisher.did().shortForm()
                    + " (" + manifest + "); a production operator signs packs with 'swarm packs sign'");
        }
        try {
            return admission.admit(name, postQuantum);
        } catch (PackAdmission.PackRefusedException e) {
            if (config.getBoolean("nexus.swarm.packs.admission.dev-auto-sign")
                    && e.getMessage().contains(" was altered (")) {
                // A rebuilt pack no longer matches the manifest signed earlier; never re-signed silently.
                throw new PackAdmission.PackRefusedException(e.report(), e.getMessage() + " (if you rebuilt the"
                        + " pack yourself, re-sign it: swarm packs sign " + name + ")");
            }
            throw e;
        }
    }

    /** The dev publisher key from the node keystore, created (and trusted) on first use. */
    public static IssuerKeys devPublisher(Config config, Path trustedPublishersFile) {
        Path keystore = Path.of(config.getString("nexus.swarm.memory.node-keystore-file"));
        try (CredentialKeystore store = CredentialKeystore.openOrCreate(keystore,
                NodeKeyStore.passwordFromEnvironment())) {
            if (store.contains(DEV_PUBLISHER)) {
                return store.load(DEV_PUBLISHER);
            }
            IssuerKeys keys = store.generate(DEV_PUBLISHER, true);
            TrustedPublishers.append(trustedPublishersFile, keys.did(), keys.mlDsaPublicKey());
            return keys;
        }
    }
}
