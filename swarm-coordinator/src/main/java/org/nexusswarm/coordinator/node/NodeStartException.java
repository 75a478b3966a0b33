package org.nexusswarm.coordinator.node;

/**
 * A node could not start or join for a reason the operator can fix; the message is one line naming the address,
 * the seed or the setting concerned.
 */
public final class NodeStartException extends RuntimeException {

    /** What went wrong. */
    public enum Problem {
        /** A seed address is not a {@code pekko://NAME@HOST:PORT} address. */
        BAD_SEED,
        /** A seed address names another cluster (actor system) than this node's. */
        WRONG_CLUSTER,
        /** The remoting port (or the operator API's) is taken by another process. */
        PORT_IN_USE,
        /** No seed accepted a connection within the join timeout. */
        SEED_UNREACHABLE,
        /** A seed accepts connections but did not let this node join within the join timeout. */
        JOIN_REFUSED
    }

    private final Problem problem;

    public NodeStartException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public NodeStartException(Problem problem, String message, Throwable cause) {
        super(message, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
