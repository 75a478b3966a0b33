package org.nexusswarm.memory.chronotope;

/**
 * The event that opens an episode: the entity's logic started (first start, or after its logic version or
 * credential changed). Names what a reviewer needs to interpret the events that follow: the rail and pack,
 * the logic version, and the credential in force (its id; the JSON is journaled with it).
 */
public interface EpisodeStart extends EpisodeEvent {

    String rail();

    String pack();

    String logicVersion();

    String credentialId();
}
