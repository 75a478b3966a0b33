package org.nexusswarm.packs.climate;

import org.nexusswarm.actors.SwarmMessage;

/**
 * An agent's alert to the rail node: the certified drought index of a cell is above the threshold.
 *
 * @param agent        the raising agent's address
 * @param outputDigest the certified computation's digest, so the alert can be traced to its proof
 */
public record DroughtAlert(String cell, String agent, double index, int day, String outputDigest)
        implements SwarmMessage {

    public DroughtAlert {
        if (cell == null || agent == null || outputDigest == null) {
            throw new IllegalArgumentException("cell, agent and outputDigest are required");
        }
    }
}
