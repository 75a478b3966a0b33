package org.nexusswarm.coordinator.cli;

/** The command line's exit codes (also listed in {@code swarm --help}). */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int CASSANDRA_UNAVAILABLE = 3;
    public static final int NOT_FOUND = 4;
    public static final int ALREADY_RUNNING = 5;

    private ExitCodes() {}
}
