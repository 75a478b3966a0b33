package org.nexusswarm.clusterconfig;

/**
 * Thrown when the dev/test Cassandra cannot be started, reused or stopped.
 *
 * <p>The message is meant to be shown to the user as is: it says what went wrong and what to do
 * about it, and for a failed start it includes the tail of the Cassandra log and the log's path.
 */
public final class CassandraLaunchException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CassandraLaunchException(String message) {
        super(message);
    }

    public CassandraLaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
