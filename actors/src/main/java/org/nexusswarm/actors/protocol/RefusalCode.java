package org.nexusswarm.actors.protocol;

/** Why a supervisor refused an inbound envelope or an outbound intent. Stable names: they are journaled. */
public enum RefusalCode {
    /** The envelope carried no signature. */
    MISSING_SIGNATURE,
    /** The signature does not verify against the sender's key. */
    BAD_SIGNATURE,
    /** The sender's DID is not admitted on this swarm. */
    UNKNOWN_SENDER,
    /** The envelope is addressed to another entity. */
    WRONG_RECIPIENT,
    /** The payload names a class that is not registered with Kryo, or does not decode. */
    UNREGISTERED_TYPE,
    /** The payload exceeds the configured size limit. */
    OVERSIZED,
    /** The entity is quarantined and refuses everything. */
    QUARANTINED,
    /** No entity is deployed under the addressed id. */
    NOT_DEPLOYED,
    /** The intent's action class (or place, or a value cap) is outside the entity's credential. */
    NOT_IN_CREDENTIAL,
    /** The credential was revoked. */
    REVOKED,
    /** The credential's validity window has ended. */
    EXPIRED,
    /** The credential's validity window has not begun. */
    NOT_YET_VALID,
    /** The envelope's nonce was seen before from this sender. */
    REPLAYED,
    /** The envelope is too old, or stamped too far in the future. */
    STALE,
    /** No policy is loaded for the entity's rail: fail closed. */
    POLICY_MISSING,
    /** No policy rule mentions the action class: fail closed. */
    NO_RULE,
    /** A parameter lies outside the policy envelope. */
    OUT_OF_ENVELOPE,
    /** The place is not allowed by policy. */
    WRONG_PLACE,
    /** The action is outside the policy's time windows. */
    OUTSIDE_TIME_WINDOW,
    /** The action exceeds a policy rate limit. */
    RATE_LIMITED,
    /** The action exceeds a policy resource cap. */
    RESOURCE_CAP,
    /** Approvers rejected the action, or the approval timed out. */
    APPROVAL_REJECTED,
    /** A trajectory monitor throttles the entity. */
    THROTTLED,
    /** An operator kill switch covers the entity. */
    KILL_SWITCH,
    /** The intent's payload type is not declared by the logic, or not for the intent's action class. */
    PAYLOAD_NOT_DECLARED,
    /** The parameters the intent states disagree with the values read from its payload. */
    PARAMETER_MISMATCH,
    /** The entity's credential does not verify: its logic never starts and it refuses everything. */
    INVALID_CREDENTIAL,
    /** Allowing this intent would trip a kill rung: it is denied and the entity killed instead. */
    MONITOR_KILL,
    /** An approval no longer matches the intent (its payload or parameters as read now differ). */
    APPROVAL_MISMATCH,
    /**
     * An entity in the intent's cause chain (within the hops a policy rule names) lacks the action class, is
     * unknown, or its credential does not hold: the action would be laundered through this entity.
     */
    PROVENANCE,
    /** The inbound payload type is not among the inputs the entity's logic declares ({@code AgentLogic.accepts()}). */
    INPUT_NOT_DECLARED,
    /**
     * An intent the throttle held (journaled) could not be decided after the entity recovered: its payload no
     * longer decodes, or another logic version or credential runs now. Dropped, never sent.
     */
    THROTTLED_LOST
}
