package org.nexusswarm.clusterconfig;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * A Cassandra started by {@link DevCassandra} from {@code dataDir}, as recorded in the data
 * directory's state file and found alive (process running, CQL port accepting).
 *
 * @param pid       process id of the Cassandra JVM
 * @param ephemeral whether it was started in test mode (it dies with the JVM that launched it)
 */
public record RunningCassandra(
        long pid, int nativePort, int storagePort, int jmxPort, Path dataDir, boolean ephemeral) {

    /** Where CQL clients connect: always 127.0.0.1, the only address the dev Cassandra listens on. */
    public InetSocketAddress contactPoint() {
        return new InetSocketAddress(Ports.LOOPBACK, nativePort);
    }
}
