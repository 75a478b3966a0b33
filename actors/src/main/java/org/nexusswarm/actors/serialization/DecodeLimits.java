package org.nexusswarm.actors.serialization;

import com.typesafe.config.Config;

/**
 * The hostile-input limits of one decode (configured under {@code nexus.swarm.decoder}, see reference.conf).
 *
 * <p>Lengths are always checked against the bytes left (no setting). The object and allocation budgets grow
 * with the input, because a genuine message needs at least one byte for almost every object and cannot hold
 * more elements than bytes: a message of {@code n} bytes may read at most
 * {@code min(maxObjects, 4096 + 2n)} objects and allocate at most {@code min(maxAllocationBytes, 1 MiB + 64n)}
 * bytes for the strings, arrays and collections its lengths declare. Genuine messages stay far below both;
 * a few crafted bytes that nest presized collections, or repeat empty elements, hit them.
 *
 * @param maxMessageBytes    larger inputs are refused unread ({@code TOO_LARGE}); also the write limit
 * @param maxDepth           deepest object nesting read ({@code TOO_DEEP}); keeps the stack small
 * @param maxObjects         most objects one decode reads, whatever the input size ({@code TOO_MANY_OBJECTS})
 * @param maxAllocationBytes most bytes one decode's declared lengths may allocate ({@code TOO_MUCH_ALLOCATION})
 */
public record DecodeLimits(int maxMessageBytes, int maxDepth, long maxObjects, long maxAllocationBytes) {

    /** Objects a message reads for free, and per input byte. */
    static final long OBJECTS_BASE = 4096;
    static final long OBJECTS_PER_BYTE = 2;
    /** Allocation a message gets for free, and per input byte. */
    static final long ALLOCATION_BASE = 1 << 20;
    static final long ALLOCATION_PER_BYTE = 64;

    /** The defaults of reference.conf: 4 MiB, depth 32, a million objects, 64 MiB. */
    public static final DecodeLimits DEFAULT = new DecodeLimits(4 * 1024 * 1024, 32, 1_000_000, 64L * 1024 * 1024);

    public DecodeLimits {
        if (maxMessageBytes < 1 || maxDepth < 2 || maxObjects < 1 || maxAllocationBytes < 1) {
            throw new IllegalArgumentException("decoder limits must be positive (and depth at least 2): " + maxMessageBytes
                    + ", " + maxDepth + ", " + maxObjects + ", " + maxAllocationBytes);
        }
    }

    /** Reads {@code nexus.swarm.decoder}; missing keys keep their defaults. */
    public static DecodeLimits fromConfig(Config config) {
        String at = "nexus.swarm.decoder";
        if (!config.hasPath(at)) {
            return DEFAULT;
        }
        Config c = config.getConfig(at);
        return new DecodeLimits(
                c.hasPath("max-message-bytes") ? (int) Math.min(Integer.MAX_VALUE - 16, c.getBytes("max-message-bytes"))
                        : DEFAULT.maxMessageBytes,
                c.hasPath("max-depth") ? c.getInt("max-depth") : DEFAULT.maxDepth,
                c.hasPath("max-objects") ? c.getLong("max-objects") : DEFAULT.maxObjects,
                c.hasPath("max-allocation-bytes") ? c.getBytes("max-allocation-bytes") : DEFAULT.maxAllocationBytes);
    }

    /** The object budget of one input of {@code length} bytes. */
    long objectsFor(int length) {
        return Math.min(maxObjects, OBJECTS_BASE + OBJECTS_PER_BYTE * length);
    }

    /** The allocation budget of one input of {@code length} bytes. */
    long allocationFor(int length) {
        return Math.min(maxAllocationBytes, ALLOCATION_BASE + ALLOCATION_PER_BYTE * length);
    }
}
