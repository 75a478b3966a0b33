package org.nexusswarm.coordinator.rail;

/**
 * Why this node will not host a deployed rail: a typed refusal with one line for the operator. Thrown by
 * {@link RailDeployer#derive} and reported by the node's rail host; nothing of the rail is registered then.
 */
public final class RailHostingRefused extends RuntimeException {

    /** The reason, stable for tools and tests. */
    public enum Reason {
        /** The node keystore holds no secret for the rail instance. */
        NO_SECRET,
        /** The record's issuer keys are not the ones the node's secret derives (a tampered record, or a secret
         *  of another rail). */
        WRONG_ISSUER,
        /** The record does not describe the blueprint it is applied to (another pack or rail). */
        WRONG_RECORD,
        /** The record cannot be rebuilt (the pack, its admission or its options refuse it). */
        NOT_REBUILDABLE
    }

    private final Reason reason;
    private final String instance;

    public RailHostingRefused(Reason reason, String instance, String message) {
        super("rail instance " + instance + " not hosted here (" + reason + "): " + message);
        this.reason = reason;
        this.instance = instance;
    }

    public Reason reason() {
        return reason;
    }

    public String instance() {
        return instance;
    }
}
