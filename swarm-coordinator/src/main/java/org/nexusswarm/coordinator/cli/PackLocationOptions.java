package org.nexusswarm.coordinator.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where signed pack manifests and the publisher trust list are: every command that admits a pack takes these. */
final class PackLocationOptions {

    static final String MANIFEST_DIR = "nexus.swarm.packs.admission.manifest-dir";
    static final String TRUSTED_PUBLISHERS = "nexus.swarm.packs.admission.trusted-publishers-file";

    @Option(names = "--manifest-dir", paramLabel = "DIR",
            description = "Manifest directory (default: nexus.swarm.packs.admission.manifest-dir, .nexus/packs).")
    Path manifestDir;

    @Option(names = "--trusted-publishers-file", paramLabel = "FILE",
            description = "Trusted pack publishers (default: .nexus/keys/trusted-pack-publishers).")
    Path trustedPublishers;

    /** {@code config} with these flags on top. */
    Config apply(Config config) {
        Config c = config;
        if (manifestDir != null) {
            c = c.withValue(MANIFEST_DIR, ConfigValueFactory.fromAnyRef(manifestDir.toString()));
        }
        if (trustedPublishers != null) {
            c = c.withValue(TRUSTED_PUBLISHERS, ConfigValueFactory.fromAnyRef(trustedPublishers.toString()));
        }
        return c;
    }
}
