package org.nexusswarm.actors.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kryo serializers for the registered JDK containers that refuse a declared length larger than the bytes
 * left in the input, before allocating anything, and charge what they presize to the decode's allocation
 * budget (see {@link BoundedInput}; primitive arrays and strings are checked there).
 *
 * <p>Kryo's own serializers allocate the declared length first ({@code new String[n]}, {@code new ArrayList(n)},
 * {@code new HashMap(n)}), so a six-byte message declaring two billion elements throws
 * {@link OutOfMemoryError}, which Pekko treats as fatal. Every element takes at least one byte, so a longer
 * declaration cannot be genuine. The wire format is Kryo's (these only add checks on read). The check relies
 * on the whole message being in the input buffer, which is how {@link SwarmKryo#fromBytes} reads.
 */
final class BoundedSerializers {

    /**
     * Collections of this many elements are allowed whatever the input: a collection of nulls, or of records
     * without components, takes no bytes per element. The object and allocation budgets still count them.
     */
    private static final int ALWAYS_ALLOWED = 1024;
    /** Bytes charged per presized element: a reference, and the spare room of a growing container. */
    private static final int COLLECTION_ELEMENT = 8;
    private static final int MAP_ENTRY = 16;

    private BoundedSerializers() {}

    static void check(Input input, long declared, int bytesPerElement) {
        long remaining = (long) input.limit() - input.position();
        if (declared > Math.max(remaining, ALWAYS_ALLOWED) || declared < 0) {
            String message = "declared length " + declared + " exceeds the " + remaining + " bytes left";
            if (input instanceof BoundedInput bounded) {
                throw bounded.refuse(DecodeRefusedException.Reason.LENGTH_EXCEEDS_INPUT, message);
            }
            throw new KryoException(message);
        }
        if (input instanceof BoundedInput bounded) {
            bounded.charge(declared * bytesPerElement);
        }
    }

    /** String arrays: Kryo allocates {@code new String[n]} itself (the strings are checked by the input). */
    static final class Strings extends DefaultArraySerializers.StringArraySerializer {
        @Override
        @SuppressWarnings("rawtypes") // Kryo declares these with a raw Class
        public String[] read(Kryo kryo, Input input, Class type) {
            int position = input.position();
            int lengthPlusOne = input.readVarInt(true);
            input.setPosition(position);
            check(input, (lengthPlusOne & 0xFFFFFFFFL) - 1, COLLECTION_ELEMENT);
            return super.read(kryo, input, type);
        }
    }

    /** For mutable collections such as {@link ArrayList}: Kryo's defaults plus the length check. */
    @SuppressWarnings("rawtypes")
    static final class MutableCollections extends CollectionSerializer<Collection> {
        @Override
        protected Collection create(Kryo kryo, Input input, Class<? extends Collection> type, int size) {
            check(input, size, COLLECTION_ELEMENT);
            return super.create(kryo, input, type, size);
        }
    }

    /** For mutable maps such as {@link java.util.HashMap} (which Kryo presizes to the declared length). */
    @SuppressWarnings("rawtypes")
    static final class MutableMaps extends MapSerializer<Map> {
        @Override
        protected Map create(Kryo kryo, Input input, Class<? extends Map> type, int size) {
            check(input, size, MAP_ENTRY);
            return super.create(kryo, input, type, size);
        }
    }

    /** For {@link TreeMap}: Kryo's serializer (comparator first) plus the length check. */
    @SuppressWarnings("rawtypes")
    static final class TreeMaps extends DefaultSerializers.TreeMapSerializer {
        @Override
        protected TreeMap create(Kryo kryo, Input input, Class<? extends TreeMap> type, int size) {
            check(input, size, MAP_ENTRY);
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
            check(input, size, COLLECTION_ELEMENT);
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

    /** For {@code Set.of(...)} sets: the format and result of Kryo's JDK immutable-set serializer, plus the check. */
    static final class ImmutableSets extends CollectionSerializer<Set<Object>> {
        ImmutableSets() {
            setElementsCanBeNull(false);
        }

        @Override
        protected Set<Object> create(Kryo kryo, Input input, Class<? extends Set<Object>> type, int size) {
            check(input, size, COLLECTION_ELEMENT);
            return new HashSet<>();
        }

        @Override
        protected Set<Object> createCopy(Kryo kryo, Set<Object> original) {
            return new HashSet<>();
        }

        @Override
        public Set<Object> read(Kryo kryo, Input input, Class<? extends Set<Object>> type) {
            Set<Object> set = super.read(kryo, input, type);
            return set == null ? null : Set.of(set.toArray());
        }

        @Override
        public Set<Object> copy(Kryo kryo, Set<Object> original) {
            return Set.copyOf(super.copy(kryo, original));
        }
    }

    /** For {@code Map.of(...)} maps: the format and result of Kryo's JDK immutable-map serializer, plus the check. */
    static final class ImmutableMaps extends MapSerializer<Map<Object, Object>> {
        ImmutableMaps() {
            setKeysCanBeNull(false);
            setValuesCanBeNull(false);
        }

        @Override
        protected Map<Object, Object> create(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type,
                int size) {
            check(input, size, MAP_ENTRY);
            return new HashMap<>();
        }

        @Override
        protected Map<Object, Object> createCopy(Kryo kryo, Map<Object, Object> original) {
            return new HashMap<>();
        }

        @Override
        public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
            Map<Object, Object> map = super.read(kryo, input, type);
            return map == null ? null : Map.copyOf(map);
        }

        @Override
        public Map<Object, Object> copy(Kryo kryo, Map<Object, Object> original) {
            return Map.copyOf(super.copy(kryo, original));
        }
    }
}
