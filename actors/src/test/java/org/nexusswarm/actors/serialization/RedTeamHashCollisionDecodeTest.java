package org.nexusswarm.actors.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.spi.Intent;

/**
 * Red team (session 3b): the decoder bounds lengths, depth, objects and allocation, but not the work of building
 * the JDK's immutable maps and sets. {@code BoundedSerializers.ImmutableMaps}/{@code ImmutableSets} end with
 * {@code Map.copyOf}/{@code Set.of}, whose open-addressing tables probe linearly: keys that share one hash code
 * (strings made of the blocks "Aa", "BB", "C#") cost O(n²) {@code equals} calls. An {@code Intent} (a registered
 * top-level message) whose parameters hold 19,683 such keys (551 KB, well under the 4 MiB message limit) took about
 * 400 ms to decode here (52 KB: 6 ms; 170 KB: 44 ms): the cost grows with the square of the size, so one 4 MiB
 * message holds the decoding thread (Artery's, or a supervisor's) for many seconds. Random fuzzing never finds
 * colliding keys.
 */
class RedTeamHashCollisionDecodeTest {

    private static final SwarmKryo KRYO = SwarmKryo.withoutActorRefs();

    /** 3^blocks distinct strings with one and the same hashCode. */
    private static List<String> colliding(int blocks) {
        List<String> out = new ArrayList<>(List.of(""));
        for (int i = 0; i < blocks; i++) {
            List<String> next = new ArrayList<>(out.size() * 3);
            for (String s : out) {
                next.add(s + "Aa");
                next.add(s + "BB");
                next.add(s + "C#");
            }
            out = next;
        }
        return out;
    }

    private static byte[] intentWith(List<String> keys) {
        Map<String, Double> parameters = new HashMap<>();
        keys.forEach(k -> parameters.put(k, 1.0));
        return KRYO.toBytes(new Intent("i", "act", EntityAddress.of(EntityKind.NODE, "n-1"), null, parameters));
    }

    /** The fastest of a few decodes, in milliseconds (so JIT warm-up and a busy machine do not count). */
    private static double fastestDecodeMillis(byte[] bytes) {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            Object decoded = KRYO.fromBytes(bytes);
            best = Math.min(best, System.nanoTime() - t0);
            assertTrue(decoded instanceof Intent);
        }
        return best / 1e6;
    }

    @Disabled("red team: map keys sharing one hash code make a decode O(n^2): 551 KB take ~400 ms, 4 MiB many seconds")
    @Test
    void collidingKeysDoNotMakeADecodeSlow() {
        List<String> keys = colliding(9);
        assertEquals(1, keys.stream().mapToInt(String::hashCode).distinct().count());
        byte[] attack = intentWith(keys);
        assertTrue(attack.length < DecodeLimits.DEFAULT.maxMessageBytes(), attack.length + " bytes");
        // The same message with keys of ordinary, distinct hash codes, for comparison.
        byte[] control = intentWith(keys.stream().map(k -> k.replace('#', 'D')).toList());

        double controlMillis = fastestDecodeMillis(control);
        double attackMillis = fastestDecodeMillis(attack);
        // The issue's bar, 10 ms for 64 KB, scaled to the message's size: decode work must stay linear.
        double allowedMillis = 10.0 * attack.length / (64 * 1024);
        assertTrue(attackMillis < allowedMillis, "a " + attack.length + "-byte Intent with " + keys.size()
                + " colliding parameter names took " + attackMillis + " ms to decode (allowed " + allowedMillis
                + " ms; the same size with ordinary names: " + controlMillis + " ms)");
    }
}
