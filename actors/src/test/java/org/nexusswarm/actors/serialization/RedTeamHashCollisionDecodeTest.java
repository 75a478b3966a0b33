package org.nexusswarm.actors.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    @Test
    void collidingKeysAreRefusedQuicklyWithATypedReason() {
        List<String> keys = colliding(9);
        assertEquals(1, keys.stream().mapToInt(String::hashCode).distinct().count());
        byte[] attack = intentWith(keys);
        assertTrue(attack.length < DecodeLimits.DEFAULT.maxMessageBytes(), attack.length + " bytes");
        // A message of the same size with ordinary, distinct names decodes.
        byte[] control = intentWith(java.util.stream.IntStream.range(0, keys.size())
                .mapToObj(i -> String.format("k%017d", i)).toList());
        assertTrue(fastestDecodeMillis(control) >= 0);

        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            DecodeRefusedException e = assertThrows(DecodeRefusedException.class, () -> KRYO.fromBytes(attack));
            best = Math.min(best, System.nanoTime() - t0);
            assertEquals(DecodeRefusedException.Reason.COLLIDING_KEYS, e.reason(), e.getMessage());
        }
        // The issue's bar, 10 ms for 64 KB, scaled to the message's size: refusing must stay linear.
        double allowedMillis = 10.0 * attack.length / (64 * 1024);
        assertTrue(best / 1e6 < allowedMillis, "refusing took " + best / 1e6 + " ms (allowed " + allowedMillis + ")");
    }

    @Test
    void aFewEqualHashCodesStillDecode() {
        // Genuine data may hold a few keys with one hash code ("Aa" and "BB"): up to MAX_SAME_HASH decode.
        List<String> keys = colliding(3).subList(0, BoundedSerializers.MAX_SAME_HASH);
        Intent decoded = (Intent) KRYO.fromBytes(intentWith(keys));
        assertEquals(keys.size(), decoded.parameters().size());
    }

    @Test
    void collidingKeysInAMutableMapOrASetAreRefusedToo() {
        List<String> keys = colliding(4);
        HashMap<String, String> map = new HashMap<>();
        keys.forEach(k -> map.put(k, k));
        DecodeRefusedException e = assertThrows(DecodeRefusedException.class,
                () -> KRYO.fromBytes(KRYO.toBytes(map), Object.class));
        assertEquals(DecodeRefusedException.Reason.COLLIDING_KEYS, e.reason(), e.getMessage());
        DecodeRefusedException s = assertThrows(DecodeRefusedException.class,
                () -> KRYO.fromBytes(KRYO.toBytes(java.util.Set.copyOf(keys)), Object.class));
        assertEquals(DecodeRefusedException.Reason.COLLIDING_KEYS, s.reason(), s.getMessage());
    }
}
