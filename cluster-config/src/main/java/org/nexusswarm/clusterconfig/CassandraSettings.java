package org.nexusswarm.clusterconfig;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How {@link DevCassandra} runs a single-node Cassandra on 127.0.0.1.
 *
 * @param dataDir        directory holding Cassandra's data, its generated {@code cassandra.yaml},
 *                       its log ({@code logs/cassandra.log}) and the launcher's state files;
 *                       stored as an absolute path
 * @param nativePort     CQL port; {@code 0} means "pick a free port once and remember it in the data
 *                       directory", so later runs on the same directory use the same port
 * @param storagePort    internode port, same rule as {@code nativePort}
 * @param heapMb         heap of the Cassandra JVM ({@code -Xms} = {@code -Xmx}); at least 128
 * @param startupTimeout how long to wait for the CQL port to accept connections
 * @param clusterName    Cassandra cluster name; it is stored in the data, so changing it for an
 *                       existing data directory makes Cassandra refuse to start
 * @param ephemeral      test mode: the Cassandra JVM dies with the launching JVM (even on
 *                       {@code kill -9}) and ports of {@code 0} are chosen afresh, not remembered.
 *                       Meant for a fresh, throw-away data directory.
 */
public record CassandraSettings(
        Path dataDir,
        int nativePort,
        int storagePort,
        int heapMb,
        Duration startupTimeout,
        String clusterName,
        boolean ephemeral) {

    public static final int DEFAULT_HEAP_MB = 384;
    public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(120);
    public static final String DEFAULT_CLUSTER_NAME = "nexus-dev";

    /** Below this Cassandra 5.0 did not survive a write load (see STACK.md). */
    static final int MIN_HEAP_MB = 128;

    // Written unquoted into YAML, so keep it to characters that need no escaping.
    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}");

    public CassandraSettings {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(startupTimeout, "startupTimeout");
        Objects.requireNonNull(clusterName, "clusterName");
        dataDir = dataDir.toAbsolutePath().normalize();
        requirePort("nativePort", nativePort);
        requirePort("storagePort", storagePort);
        if (nativePort != 0 && nativePort == storagePort) {
            throw new IllegalArgumentException("nativePort and storagePort must differ: " + nativePort);
        }
        if (heapMb < MIN_HEAP_MB) {
            throw new IllegalArgumentException("heapMb must be at least " + MIN_HEAP_MB + ": " + heapMb);
        }
        if (startupTimeout.isNegative() || startupTimeout.isZero()) {
            throw new IllegalArgumentException("startupTimeout must be positive: " + startupTimeout);
        }
        if (!CLUSTER_NAME.matcher(clusterName).matches()) {
            throw new IllegalArgumentException(
                    "clusterName must match " + CLUSTER_NAME.pattern() + ": '" + clusterName + "'");
        }
    }

    /** Persistent dev instance in {@code dataDir}: ports chosen once and remembered, default heap and timeout. */
    public static CassandraSettings dev(Path dataDir) {
        return new CassandraSettings(dataDir, 0, 0, DEFAULT_HEAP_MB, DEFAULT_STARTUP_TIMEOUT,
                DEFAULT_CLUSTER_NAME, false);
    }

    /** Ephemeral test instance in a fresh {@code dataDir}: random free ports, dies with this JVM. */
    public static CassandraSettings ephemeral(Path dataDir) {
        return new CassandraSettings(dataDir, 0, 0, DEFAULT_HEAP_MB, DEFAULT_STARTUP_TIMEOUT,
                DEFAULT_CLUSTER_NAME, true);
    }

    public CassandraSettings withNativePort(int port) {
        return new CassandraSettings(dataDir, port, storagePort, heapMb, startupTimeout, clusterName, ephemeral);
    }

    public CassandraSettings withStoragePort(int port) {
        return new CassandraSettings(dataDir, nativePort, port, heapMb, startupTimeout, clusterName, ephemeral);
    }

    public CassandraSettings withHeapMb(int mb) {
        return new CassandraSettings(dataDir, nativePort, storagePort, mb, startupTimeout, clusterName, ephemeral);
    }

    public CassandraSettings withStartupTimeout(Duration timeout) {
        return new CassandraSettings(dataDir, nativePort, storagePort, heapMb, timeout, clusterName, ephemeral);
    }

    public CassandraSettings withClusterName(String name) {
        return new CassandraSettings(dataDir, nativePort, storagePort, heapMb, startupTimeout, name, ephemeral);
    }

    private static void requirePort(String name, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(name + " must be 0 (choose a free one) or 1..65535: " + port);
        }
    }
}
