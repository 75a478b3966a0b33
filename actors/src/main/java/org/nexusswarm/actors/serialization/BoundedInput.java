package org.nexusswarm.actors.serialization;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import org.nexusswarm.actors.serialization.DecodeRefusedException.Reason;

/**
 * A Kryo {@link Input} over one whole message that refuses hostile lengths before anything is allocated, and
 * keeps the object and allocation budget of that one decode.
 *
 * <p>Kryo 5.6 allocates what the bytes declare ({@code new char[n]} for a string, {@code new long[n]} for an
 * array) before it checks that the input holds them, so six bytes declaring 2^31 characters end in an
 * {@link OutOfMemoryError}. Here every declared length is checked first: an element takes at least one byte
 * (a fixed-width one its width), so a length the remaining bytes cannot hold is refused. Every accepted length
 * is also charged to the decode's allocation budget, which bounds what nested presized containers add up to.
 * One instance per decode: the budgets are its state, and nothing of it outlives the message.
 */
final class BoundedInput extends Input {

    private final long maxObjects;
    private final long maxAllocation;
    private long objects;
    private long allocated;
    /** The first limit this decode hit, kept in case a serializer wraps or replaces the exception. */
    private Reason refusal;

    BoundedInput(byte[] bytes, DecodeLimits limits) {
        super(bytes);
        this.maxObjects = limits.objectsFor(bytes.length);
        this.maxAllocation = limits.allocationFor(bytes.length);
    }

    /** Thrown inside Kryo when a limit is hit; a KryoException, so Kryo's serializers pass it on unchanged. */
    static final class LimitExceeded extends KryoException {
        final Reason reason;

        LimitExceeded(Reason reason, String message) {
            super(message);
            this.reason = reason;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // a refusal, not a bug: no stack walk per hostile message
        }
    }

    Reason refusal() {
        return refusal;
    }

    long objects() {
        return objects;
    }

    long allocated() {
        return allocated;
    }

    int remaining() {
        return limit - position;
    }

    LimitExceeded refuse(Reason reason, String message) {
        if (refusal == null) {
            refusal = reason;
        }
        return new LimitExceeded(reason, message);
    }

    /** Refuses {@code declared} elements of at least {@code minBytes} each unless the bytes left can hold them. */
    void requireElements(long declared, int minBytes, String what) {
        if (declared < 0) {
            throw refuse(Reason.LENGTH_EXCEEDS_INPUT, "declared length " + declared + " of " + what + " is negative");
        }
        if (declared * minBytes > remaining()) {
            throw refuse(Reason.LENGTH_EXCEEDS_INPUT, "declared length " + declared + " of " + what + " exceeds the "
                    + remaining() + " bytes left");
        }
    }

    /** Charges an allocation of {@code bytes} to this decode. */
    void charge(long bytes) {
        allocated += bytes;
        if (allocated > maxAllocation) {
            throw refuse(Reason.TOO_MUCH_ALLOCATION, "declared lengths add up to " + allocated
                    + " bytes, over the " + maxAllocation + " this message may allocate");
        }
    }

    /** Counts one object read (Kryo's read methods call this). */
    void countObject() {
        if (++objects > maxObjects) {
            throw refuse(Reason.TOO_MANY_OBJECTS, "more than " + maxObjects + " objects in a message of " + limit
                    + " bytes");
        }
    }

    // ---- strings: the length of a non-ASCII string is declared up front ----

    /** Checks the declared character count of a UTF-8 string at the current position, without consuming it. */
    private void checkUtf8Length() {
        if (position < limit && (buffer[position] & 0x80) != 0) {
            int start = position;
            int charCount = readVarIntFlag(true); // 0 = null, 1 = "", n = n - 1 characters
            position = start;
            if (charCount < 0 || charCount > 1) {
                long chars = (charCount & 0xFFFFFFFFL) - 1;
                requireElements(chars, 1, "a string");
                charge(2 * chars);
            }
        }
    }

    @Override
    public String readString() {
        checkUtf8Length();
        return super.readString();
    }

    @Override
    public StringBuilder readStringBuilder() {
        checkUtf8Length();
        return super.readStringBuilder();
    }

    // ---- arrays: every bulk read allocates its declared length first ----

    private void checkArray(int length, int minBytes, int width, String what) {
        requireElements(length, minBytes, what);
        charge((long) length * width);
    }

    @Override
    public byte[] readBytes(int length) {
        checkArray(length, 1, 1, "a byte array");
        return super.readBytes(length);
    }

    @Override
    public int[] readInts(int length) {
        checkArray(length, 4, 4, "an int array");
        return super.readInts(length);
    }

    @Override
    public int[] readInts(int length, boolean optimizePositive) {
        checkArray(length, 1, 4, "an int array");
        return super.readInts(length, optimizePositive);
    }

    @Override
    public long[] readLongs(int length) {
        checkArray(length, 8, 8, "a long array");
        return super.readLongs(length);
    }

    @Override
    public long[] readLongs(int length, boolean optimizePositive) {
        checkArray(length, 1, 8, "a long array");
        return super.readLongs(length, optimizePositive);
    }

    @Override
    public float[] readFloats(int length) {
        checkArray(length, 4, 4, "a float array");
        return super.readFloats(length);
    }

    @Override
    public double[] readDoubles(int length) {
        checkArray(length, 8, 8, "a double array");
        return super.readDoubles(length);
    }

    @Override
    public short[] readShorts(int length) {
        checkArray(length, 2, 2, "a short array");
        return super.readShorts(length);
    }

    @Override
    public char[] readChars(int length) {
        checkArray(length, 2, 2, "a char array");
        return super.readChars(length);
    }

    @Override
    public boolean[] readBooleans(int length) {
        checkArray(length, 1, 1, "a boolean array");
        return super.readBooleans(length);
    }
}
