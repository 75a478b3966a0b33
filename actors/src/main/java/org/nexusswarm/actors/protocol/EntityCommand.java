package org.nexusswarm.actors.protocol;

import org.nexusswarm.actors.SwarmMessage;

/**
 * Everything that may be sent to a sharded entity, i.e. to its safety supervisor.
 *
 * <p>Public commands: {@link Deliver} (a signed message for the entity's logic), {@link Kill} (operator
 * kill switch) and {@link GetStatus}. Supervisors add private internal commands of their own.
 */
public interface EntityCommand extends SwarmMessage {}
