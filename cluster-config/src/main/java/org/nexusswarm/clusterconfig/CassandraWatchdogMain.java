package org.nexusswarm.clusterconfig;

import org.apache.cassandra.service.CassandraDaemon;

/**
 * Main class of an ephemeral (test) Cassandra JVM: Cassandra, plus a watchdog that halts this JVM
 * as soon as the launching JVM is gone, however it ended (including {@code kill -9}, which runs
 * no shutdown hook there).
 *
 * <p>Runs only inside the Cassandra JVM started by {@link DevCassandra}; the parent pid comes in
 * the system property {@value #PARENT_PID_PROPERTY}. Caveat: the JDK notices the exit of a process
 * that is not its child by polling, so the halt follows the parent's death by up to about 5 s.
 */
public final class CassandraWatchdogMain {

    static final String PARENT_PID_PROPERTY = "nexus.cassandra.parentPid";

    private CassandraWatchdogMain() {
    }

    public static void main(String[] args) {
        long parentPid = Long.parseLong(System.getProperty(PARENT_PID_PROPERTY));
        // halt, not exit: ephemeral data is throw-away and Cassandra's shutdown hooks take seconds.
        ProcessHandle.of(parentPid).ifPresentOrElse(
                parent -> parent.onExit().thenRun(() -> Runtime.getRuntime().halt(0)),
                () -> Runtime.getRuntime().halt(0));
        CassandraDaemon.main(args);
    }
}
