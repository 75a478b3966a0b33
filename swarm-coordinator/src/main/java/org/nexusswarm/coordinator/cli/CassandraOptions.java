package org.nexusswarm.coordinator.cli;

import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options shared by every command that talks to Cassandra. */
public final class CassandraOptions {

    @Option(names = "--profile", paramLabel = "NAME",
            description = "Configuration profile: dev, local-cluster or production (env NEXUS_PROFILE; default dev).")
    String profile;

    @Option(names = "--cassandra", paramLabel = "HOST:PORT[,HOST:PORT]",
            description = "Use this existing Cassandra cluster instead of the embedded dev node (env NEXUS_CASSANDRA).")
    String cassandra;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Data directory of the embedded dev Cassandra (env NEXUS_DATA_DIR; default .nexus/cassandra).")
    String dataDir;

    @Option(names = "--cassandra-port", paramLabel = "PORT",
            description = "CQL port for the embedded dev Cassandra (default: a free port, remembered in the data dir).")
    Integer cassandraPort;

    @Option(names = "--keyspace", paramLabel = "NAME", description = "Journal keyspace (env NEXUS_KEYSPACE; default nexus_swarm).")
    String keyspace;

    /** The layered configuration for the chosen profile with these flags on top. */
    com.typesafe.config.Config loadConfig() {
        try {
            return org.nexusswarm.coordinator.config.SwarmConfig.load(
                    org.nexusswarm.coordinator.config.SwarmConfig.chooseProfile(profile), overrides());
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, e.getMessage());
        }
    }

    /** The HOCON overrides these flags stand for. */
    Map<String, Object> overrides() {
        Map<String, Object> o = new HashMap<>();
        if (cassandra != null) {
            o.put("nexus.swarm.cassandra.contact-points", cassandra);
        }
        if (dataDir != null) {
            o.put("nexus.swarm.cassandra.embedded.data-dir", dataDir);
        }
        if (cassandraPort != null) {
            o.put("nexus.swarm.cassandra.embedded.native-port", cassandraPort);
        }
        if (keyspace != null) {
            o.put("nexus.swarm.cassandra.keyspace", keyspace);
        }
        return o;
    }
}
