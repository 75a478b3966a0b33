package org.nexusswarm.actors.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Kryo serializers for the registered JDK arrays and collections that refuse a declared length larger than
 * the bytes left in the input, before allocating anything.
 *
 * <p>Kryo's own serializers allocate the declared length first ({@code new byte[n]}, {@code new ArrayList(n)},
 * {@code new HashMap(n)}), so a six-byte message declaring two billion elements throws
 * {@link OutOfMemoryError}, which Pekko treats as fatal. Every element takes at least one byte, so a longer
 * declaration cannot be genuine. The wire format is Kryo's (these only add a check on read). The check relies
 * on the whole message being in the input buffer, which is how {@link SwarmKryo#fromBytes} reads.
 */
final class BoundedSerializers {

    /** Collections of this many elements are allowed whatever the input (elements of empty records take 0 bytes). */
    private static final int ALWAYS_ALLOWED = 1024;

    private BoundedSerializers() {}

    static void check(Input input, long declared) {
        long remaining = (long) input.limit() - input.position();
        if (declared > Math.max(remaining, ALWAYS_ALLOWED) || declared < 0) {
            throw new KryoException("declared length " + declared + " exceeds the " + remaining + " bytes left");
        }
    }

    /** Reads the {@code length + 1} varint that Kryo's array serializers start with, without consuming it. */
    private static void checkArrayLength(Input input) {
        int position = input.position();
        int lengthPlusOne = input.readVarInt(true);
        input.setPosition(position);
        check(input, (long) lengthPlusOne - 1);
    }

    static final class Bytes extends DefaultArraySerializers.ByteArraySerializer {
        @Override
        @SuppressWarnings("rawtypes") // Kryo declares these with a raw Class
        public byte[] read(Kryo kryo, Input input, Class type) {
            checkArrayLength(input);
            return super.read(kryo, input, type);
        }
    }

    static final class Longs extends DefaultArraySerializers.LongArraySerializer {
        @Override
        @SuppressWarnings("rawtypes") // Kryo declares these with a raw Class
        public long[] read(Kryo kryo, Input input, Class type) {
            checkArrayLength(input);
            return super.read(kryo, input, type);
        }
    }

    static final class Doubles extends DefaultArraySerializers.DoubleArraySerializer {
        @Override
        @SuppressWarnings("rawtypes") // Kryo declares these with a raw Class
        public double[] read(Kryo kryo, Input input, Class type) {
            checkArrayLength(input);
            return super.read(kryo, input, type);
        }
    }

    static final class Strings extends DefaultArraySerializers.StringArraySerializer {
        @Override
        @SuppressWarnings("rawtypes") // Kryo declares these with a raw Class
        public String[] read(Kryo kryo, Input input, Class type) {
            checkArrayLength(input);
            return super.read(kryo, input, type);
        }
    }

    /** For mutable collections such as {@link ArrayList}: Kryo's defaults plus the length check. */
    @SuppressWarnings("rawtypes")
    static final class MutableCollections extends CollectionSerializer<Collection> {
        @Override
        protected Collection create(Kryo kryo, Input input, Class<? extends Collection> type, int size) {
            check(input, size);
            return super.create(kryo, input, type, size);
        }
    }

    /** For mutable maps such as {@link java.util.HashMap} (which Kryo presizes to the declared length). */
    @SuppressWarnings("rawtypes")
    static final class MutableMaps extends MapSerializer<Map> {
        @Override
        protected Map create(Kryo kryo, Input input, Class<? extends Map> type, int size) {
            check(input, size);
            return super.create(kryo, input, type, size);
        }
    }

    /**
     * For {@code List.of(...)} lists: the same format and result as Kryo's JDK immutable-list serializer (which
     * presizes an {@code ArrayList} to the declared length), plus the length check.
     */
    static final class ImmutableLists extends CollectionSerializer<List<Object>> {
        ImmutableLists() {
            setElementsCanBeNull(false);
        }

        @Override
        protected List<Object> create(Kryo kryo, Input input, Class<? extends List<Object>> type, int size) {
            check(input, size);
            return new ArrayList<>(size);
        }

        @Override
        protected List<Object> createCopy(Kryo kryo, List<Object> original) {
            return new ArrayList<>(original.size());
        }

        @Override
        public List<Object> read(Kryo kryo, Input input, Class<? extends List<Object>> type) {
            List<Object> list = super.read(kryo, input, type);
            return list == null ? null : List.of(list.toArray());
        }

        @Override
        public List<Object> copy(Kryo kryo, List<Object> original) {
            return List.copyOf(super.copy(kryo, original));
        }
    }
}
