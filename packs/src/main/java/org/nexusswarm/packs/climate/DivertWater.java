package org.nexusswarm.packs.climate;

import org.nexusswarm.actors.SwarmMessage;

/** An order to divert irrigation water to a cell; no drought-watch credential allows sending it. */
public record DivertWater(String cell, double megaliters) implements SwarmMessage {

    public DivertWater {
        if (cell == null || cell.isBlank()) {
            throw new IllegalArgumentException("cell is required");
        }
    }
}
