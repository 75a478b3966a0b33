package org.nexusswarm.safety.api.admission;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import redteam.packs.intern.InternChannel;

/**
 * Red team (session 3b): admission refuses static state between a pack's entities (non-final statics, mutable
 * static finals, enums with changing state), but {@code String.intern()} reaches the JVM-wide string pool. With
 * {@code !=} on the result (identity comparison is allowed), two entities, even of two different packs, exchange
 * bits on one node with nothing journaled, and a replay in another JVM reads other bits.
 */
class RedTeamInternChannelTest {

    @Test
    void theStringPoolIsNotAChannelBetweenEntities() {
        // The channel works: "entity A" raises a flag that "entity B", which shares nothing with it, then reads.
        String key = "redteam-" + UUID.randomUUID();
        String other = "redteam-" + UUID.randomUUID();
        InternChannel.raise(key);
        assertTrue(InternChannel.isRaised(key));
        assertFalse(InternChannel.isRaised(other));

        List<BytecodeFinding> found = new BytecodeAdmission(AdmissionRules.jdkAndAgentApi()).check(PackFiles.locate(
                getClass().getClassLoader(), "redteam.packs.intern.InternChannel", List.of()));
        assertFalse(found.isEmpty(), "a pack reading and writing the JVM's string pool was admitted");
    }
}
