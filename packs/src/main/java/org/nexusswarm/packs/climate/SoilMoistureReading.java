package org.nexusswarm.packs.climate;

import org.nexusswarm.actors.SwarmMessage;

/** A soil sensor's daily reading for one cell, delivered by the sensor feed to the cell's agents. */
public record SoilMoistureReading(String cell, double moisturePct, double temperatureC, int day)
        implements SwarmMessage {

    public SoilMoistureReading {
        if (cell == null || cell.isBlank()) {
            throw new IllegalArgumentException("cell is required");
        }
    }
}
