package org.nexusswarm.memory.chronotope;

import org.nexusswarm.actors.SwarmMessage;

/**
 * An event of an episode journal. Every event carries its {@link Chronotope} and can describe itself, so a
 * reviewer's tools can print and verify any journal without knowing the concrete event types.
 */
public interface EpisodeEvent extends SwarmMessage {

    Chronotope chronotope();

    /** Short type name shown to reviewers, e.g. {@code ActionDenied}. */
    default String type() {
        return getClass().getSimpleName();
    }

    /** One readable line with the event's facts (deterministic: it is part of the hash). */
    String details();

    /** What the hash chain covers: the chronotope, the type and the details. */
    default String canonicalForm() {
        return chronotope().canonicalForm() + "|" + type() + "|" + details();
    }
}
