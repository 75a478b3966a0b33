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

    /**
     * Keys (or set elements) sharing one hash code that a decoded hash container accepts. Building a
     * {@code Map.of}/{@code Set.of} (open addressing, linear probing) or a {@code HashMap} of keys that are not
     * {@link Comparable} costs O(n^2) {@code equals} calls when the keys share a hash code, which strings and records
     * make easy to forge ("Aa"/"BB"): 20,000 such parameter names held a decoding thread for ~400 ms. Genuine data
     * never has this many equal hash codes.
     */
    static final int MAX_SAME_HASH = 16;

    /**
     * Refuses {@code keys} when more than {@link #MAX_SAME_HASH} share a hash code. Counting is linear: the
     * counts are keyed by the int hash codes themselves (boxed Integers, which a HashMap orders in a tree).
     */
    static void checkHashSpread(Input input, Collection<?> keys) {
        if (keys.size() <= MAX_SAME_HASH) {
            return;
        }
        HashMap<Integer, int[]> counts = new HashMap<>();
        for (Object key : keys) {
            int[] count = counts.computeIfAbsent(key.hashCode(), h -> new int[1]);
            if (++count[0] > MAX_SAME_HASH) {
                String message = "more than " + MAX_SAME_HASH + " of " + keys.size()
                        + " keys share one hash code (a forged collision would make building the map quadratic)";
                if (input instanceof BoundedInput bounded) {
                    throw bounded.refuse(DecodeRefusedException.Reason.COLLIDING_KEYS, message);
                }
                throw new KryoException(message);
            }
        }
    }

    /**
     * What a hash container's entries are read into: a list, so nothing is hashed before {@link #checkHashSpread}
     * has judged the keys. Only {@code put} and iteration are used (by Kryo's MapSerializer and by the readers).
     */
    private static final class EntryList extends java.util.AbstractMap<Object, Object> {
        private final List<Map.Entry<Object, Object>> entries = new ArrayList<>();

        @Override
        public Object put(Object key, Object value) {
            entries.add(new java.util.AbstractMap.SimpleImmutableEntry<>(key, value));
            return null;
        }

        @Override
        public Set<Map.Entry<Object, Object>> entrySet() {
            return new java.util.AbstractSet<>() {
                @Override
                public java.util.Iterator<Map.Entry<Object, Object>> iterator() {
                    return entries.iterator();
                }

                @Override
                public int size() {
                    return entries.size();
                }
            };
        }

        List<Object> keys() {
            List<Object> keys = new ArrayList<>(entries.size());
            entries.forEach(e -> keys.add(e.getKey()));
            return keys;
        }

        /** The entries into {@code target} (a later duplicate key wins, as a HashMap read did). */
        <M extends Map<Object, Object>> M into(M target) {
            entries.forEach(e -> target.put(e.getKey(), e.getValue()));
            return target;
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
            return new EntryList();
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map read(Kryo kryo, Input input, Class<? extends Map> type) {
            EntryList entries = (EntryList) super.read(kryo, input, type);
            if (entries == null) {
                return null;
            }
            checkHashSpread(input, entries.keys());
            return entries.into(super.create(kryo, input, type, entries.size()));
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

    /** For {@code Set.of(...)} sets: the format and result of Kryo's JDK immutable-set serializer, plus the checks. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static final class ImmutableSets extends CollectionSerializer<Collection> {
        ImmutableSets() {
            setElementsCanBeNull(false);
        }

        @Override
        protected Collection create(Kryo kryo, Input input, Class<? extends Collection> type, int size) {
            check(input, size, COLLECTION_ELEMENT);
            // A list: nothing is hashed before checkHashSpread has judged the elements.
            return new ArrayList<>();
        }

        @Override
        protected Collection createCopy(Kryo kryo, Collection original) {
            return new ArrayList<>();
        }

        @Override
        public Collection read(Kryo kryo, Input input, Class<? extends Collection> type) {
            Collection elements = super.read(kryo, input, type);
            if (elements == null) {
                return null;
            }
            checkHashSpread(input, elements);
            return Set.copyOf(elements);
        }

        @Override
        public Collection copy(Kryo kryo, Collection original) {
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
            return new EntryList();
        }

        @Override
        protected Map<Object, Object> createCopy(Kryo kryo, Map<Object, Object> original) {
            return new HashMap<>();
        }

        @Override
        public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
            EntryList entries = (EntryList) super.read(kryo, input, type);
            if (entries == null) {
                return null;
            }
            checkHashSpread(input, entries.keys());
            return Map.copyOf(entries.into(new HashMap<>()));
        }

        @Override
        public Map<Object, Object> copy(Kryo kryo, Map<Object, Object> original) {
            return Map.copyOf(super.copy(kryo, original));
        }
    }
}
