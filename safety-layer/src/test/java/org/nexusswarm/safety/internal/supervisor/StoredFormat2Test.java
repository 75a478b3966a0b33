package org.nexusswarm.safety.internal.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.safety.internal.monitor.EscalationLevel;
import org.nexusswarm.safety.api.monitor.MonitorThresholds;
import org.nexusswarm.safety.internal.monitor.Observation;
import org.nexusswarm.safety.internal.monitor.Throttle;
import org.nexusswarm.safety.internal.monitor.TrajectoryStats;

/**
 * Snapshots written in stored format 2 (trajectory statistics without proposals, sequence history and throttle
 * bucket) still recover. The fixtures in {@code format-k2/} are real bytes written by the build before format 3.
 */
class StoredFormat2Test {

    private static final SwarmKryo KRYO = SwarmKryo.withoutActorRefs();
    private static final long T0 = 1_780_000_000_000L;

    @Test
    void trajectoryStatsOfFormat2AreReadUpgraded() throws IOException {
        TrajectoryStats stats = (TrajectoryStats) KRYO.fromBytes(fixture("trajectory-stats.b64"), 2);
        assertEquals(3_600_000, stats.retentionMillis());
        assertEquals(5, stats.recent().size());
        assertEquals(new Observation(T0 + 4500, "alert.raise", false, 0.6000000000000001), stats.recent().get(3));
        assertEquals(2, stats.buckets().size());
        assertEquals(List.of(), stats.proposals());
        assertEquals(List.of(), stats.seen());
        assertEquals(Throttle.OFF, stats.throttle());
        // And the upgraded statistics go on recording and assessing.
        TrajectoryStats next = stats.proposed(T0 + 7000, "grid.shed-load", Map.of("mw", 10.0), false)
                .record(new Observation(T0 + 7000, "grid.shed-load", true, 0.1));
        assertEquals(EscalationLevel.NONE, next.assess(MonitorThresholds.defaults(), T0 + 7000).level());
    }

    @Test
    void snapshotsOfFormat2RecoverWithTheirStatistics() throws IOException {
        SupervisorState state = (SupervisorState) KRYO.fromBytes(fixture("snapshot-active.b64"), 2);
        SupervisorState.Active active = assertInstanceOf(SupervisorState.Active.class, state);
        assertEquals(12, active.chain().sequence());
        assertEquals(EscalationLevel.WARN, active.memory().escalation());
        assertEquals("probe-logic-1|cred-1", active.memory().started());
        assertEquals(5, active.memory().stats().recent().size());
        assertEquals(Throttle.OFF, active.memory().stats().throttle());
    }

    @Test
    void theFormat2BytesDoNotReadAsFormat3SoTheLegacyReaderIsNeeded() throws IOException {
        byte[] old = fixture("trajectory-stats.b64");
        boolean misread;
        try {
            Object o = KRYO.fromBytes(old);
            misread = !(o instanceof TrajectoryStats s) || s.recent().size() != 5 || !s.proposals().isEmpty();
        } catch (RuntimeException e) {
            misread = true;
        }
        assertTrue(misread, "format 2 bytes must not read as format 3: the fixture would prove nothing");
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = StoredFormat2Test.class.getResourceAsStream("/format-k2/" + name)) {
            return Base64.getDecoder().decode(new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim());
        }
    }
}
