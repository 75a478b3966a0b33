package org.nexusswarm.actors.protocol;

import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;

/**
 * A supervisor's view of its entity.
 *
 * @param quarantined true once the entity was killed; it then refuses everything
 * @param denials     outbound intents denied so far
 * @param lastSequence sequence number of the last journaled event
 * @param reason      why it was quarantined, or empty
 */
public record EntityStatus(EntityAddress address, boolean quarantined, int denials, long lastSequence, String reason)
        implements SwarmMessage {}
