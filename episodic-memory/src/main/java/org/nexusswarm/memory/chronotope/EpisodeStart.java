package org.nexusswarm.memory.chronotope;

/**
 * Implemented by the event that opens an episode (the safety supervisor's {@code Started}): it names the rail
 * and pack the entity belongs to, so reviewers' queries can select journals by pack without knowing the safety
 * layer's event types (episodic-memory sits below the safety layer and cannot see them).
 *
 * <p>A journal may hold several: a new one follows every change of logic version or credential. Queries take
 * the latest one at or before an event as that event's rail and pack.
 */
public interface EpisodeStart extends EpisodeEvent {

    /** The rail instance the entity was deployed in (its entity ids start with it). */
    String rail();

    /** The pack that built the rail, e.g. {@code climate}. */
    String pack();

    /** The version of the entity's logic that started. */
    String logicVersion();

    /** The id of the credential the entity acts under. */
    String credentialId();
}
