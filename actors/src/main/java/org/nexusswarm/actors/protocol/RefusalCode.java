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
    /** The intent's action class is not in the entity's credential allow-list. */
    NOT_IN_CREDENTIAL
}
