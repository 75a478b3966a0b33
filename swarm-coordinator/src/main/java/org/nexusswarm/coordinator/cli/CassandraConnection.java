package org.nexusswarm.coordinator.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import org.nexusswarm.clusterconfig.CassandraLaunchException;
import org.nexusswarm.clusterconfig.CassandraSettings;
import org.nexusswarm.clusterconfig.DevCassandra;
import org.nexusswarm.coordinator.config.CassandraEndpoints;

/**
 * The Cassandra a command works against: an external cluster named in config or flags (checked to be
 * reachable first), or the embedded dev node, started or reused, with progress printed while it starts.
 */
public final class CassandraConnection implements AutoCloseable {

    private final CassandraEndpoints endpoints;
    private final Optional<DevCassandra> dev;
    private final boolean keepRunning;

    private CassandraConnection(CassandraEndpoints endpoints, Optional<DevCassandra> dev, boolean keepRunning) {
        this.endpoints = endpoints;
        this.dev = dev;
        this.keepRunning = keepRunning;
    }

    /** Opens the connection described by {@code config}; {@code keepRunning} leaves a started dev node up. */
    public static CassandraConnection open(Config config, boolean keepRunning, PrintWriter out) {
        String configured = config.getString("nexus.swarm.cassandra.contact-points");
        if (!configured.isBlank()) {
            CassandraEndpoints endpoints;
            try {
                endpoints = CassandraEndpoints.parse(configured);
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCodes.USAGE, e.getMessage());
            }
            out.println("Cassandra: checking " + endpoints + " ...");
            if (endpoints.reachable(3000).isEmpty()) {
                throw new UserError(ExitCodes.CASSANDRA_UNAVAILABLE, "Cannot reach Cassandra at " + endpoints
                        + ": nothing accepts connections there.\n"
                        + "  Check that Cassandra is running and the host:port is right (CQL native port, usually 9042),\n"
                        + "  or leave out --cassandra / NEXUS_CASSANDRA to use the embedded dev node.");
            }
            return new CassandraConnection(endpoints, Optional.empty(), true);
        }
        return new CassandraConnection(null, Optional.of(startDev(config, out)), keepRunning).withDevEndpoints();
    }

    private CassandraConnection withDevEndpoints() {
        return new CassandraConnection(CassandraEndpoints.of(dev.orElseThrow().contactPoint()), dev, keepRunning);
    }

    private static DevCassandra startDev(Config config, PrintWriter out) {
        Config embedded = config.getConfig("nexus.swarm.cassandra.embedded");
        Path dataDir = Path.of(embedded.getString("data-dir")).toAbsolutePath();
        CassandraSettings settings = CassandraSettings.dev(dataDir)
                .withNativePort(embedded.getInt("native-port"))
                .withStoragePort(embedded.getInt("storage-port"))
                .withHeapMb(embedded.getInt("heap-mb"))
                .withStartupTimeout(embedded.getDuration("startup-timeout"));
        try {
            DevCassandra dev = DevCassandra.startOrReuse(settings, out::println);
            if (!dev.startedByUs()) {
                out.println("Cassandra: reusing the embedded node already running at " + hostPort(dev)
                        + " (data " + dataDir + ")");
            }
            return dev;
        } catch (CassandraLaunchException e) {
            throw new UserError(ExitCodes.CASSANDRA_UNAVAILABLE, e.getMessage(), e);
        }
    }

    private static String hostPort(DevCassandra dev) {
        return dev.contactPoint().getHostString() + ":" + dev.contactPoint().getPort();
    }

    /** {@code config} pointed at this Cassandra. */
    public Config apply(Config config) {
        return config.withValue("datastax-java-driver.basic.contact-points",
                ConfigValueFactory.fromIterable(endpoints.asDriverList()));
    }

    public CassandraEndpoints endpoints() {
        return endpoints;
    }

    public Optional<DevCassandra> dev() {
        return dev;
    }

    /** Where the data lives, for the user. */
    public String describe(Config config) {
        String keyspace = config.getString("nexus.swarm.cassandra.keyspace");
        return dev.map(d -> "embedded Cassandra " + endpoints + ", keyspace " + keyspace + ", data dir " + d.dataDir())
                .orElse("Cassandra " + endpoints + ", keyspace " + keyspace);
    }

    /** Stops the dev node if this command started it and the user did not ask to keep it. */
    @Override
    public void close() {
        dev.ifPresent(d -> {
            if (d.startedByUs() && !keepRunning) {
                d.close();
            }
        });
    }

    public boolean stopsOnClose() {
        return dev.map(d -> d.startedByUs() && !keepRunning).orElse(false);
    }
}
