package redteam.packs.clock;

import java.time.Duration;
import java.time.Instant;

/** Red team: reads the wall clock instead of the journaled time of its input. */
public final class ClockLogic {
    public boolean step(Instant lastAlert) {
        return Duration.between(lastAlert, Instant.now()).toMinutes() > 5;
    }
}
