package org.nexusswarm.coordinator.cli;

/** The command line's exit codes (also listed in {@code swarm --help}). */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int CASSANDRA_UNAVAILABLE = 3;
    public static final int NOT_FOUND = 4;
    public static final int ALREADY_RUNNING = 5;
    public static final int REFUSED = 6;
    public static final int BLOCKED = 7;
    /** A verification found a problem: a journal or evidence pack is altered, incomplete or unreadable. */
    public static final int INVALID = 8;
    /** The node cannot start or join: a port in use, a seed unreachable or of another cluster, a malformed seed. */
    public static final int CANNOT_JOIN = 9;

    private ExitCodes() {}
}
