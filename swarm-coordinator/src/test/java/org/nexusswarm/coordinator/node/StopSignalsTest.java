package org.nexusswarm.coordinator.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import sun.misc.Signal;

/** What ends a foreground node's wait, in this JVM (the whole process is tested in {@code NodeStopTest}). */
class StopSignalsTest {

    @Test
    void theTimerEndsTheWait() throws Exception {
        try (StopSignals stop = StopSignals.install()) {
            assertEquals(StopSignals.Reason.TIMER,
                    stop.await(Optional.of(Duration.ofMillis(50)), new CompletableFuture<>()));
        }
    }

    @Test
    void aSystemThatTerminatedByItselfEndsTheWait() throws Exception {
        try (StopSignals stop = StopSignals.install()) {
            assertEquals(StopSignals.Reason.TERMINATED,
                    stop.await(Optional.empty(), CompletableFuture.completedFuture(null)));
        }
    }

    @Test
    void aSigtermDuringStartUpIsNotLostAndDoesNotStopTheJvm() throws Exception {
        try (StopSignals stop = StopSignals.install()) {
            // Raised before the wait begins (a Ctrl-C while the node was still starting): taken over, remembered.
            Signal.raise(new Signal("TERM"));
            assertEquals(StopSignals.Reason.SIGNAL,
                    stop.await(Optional.of(Duration.ofSeconds(30)), new CompletableFuture<>()));
        }
    }
}
