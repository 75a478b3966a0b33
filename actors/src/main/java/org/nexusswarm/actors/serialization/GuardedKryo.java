package org.nexusswarm.actors.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.util.DefaultClassResolver;
import com.esotericsoftware.kryo.util.MapReferenceResolver;
import org.nexusswarm.actors.serialization.DecodeRefusedException.Reason;

/**
 * The Kryo every pool of {@link SwarmKryo} uses: it counts each object read against the decode's budget and
 * refuses nesting deeper than the limit before it recurses (so hostile nesting can never reach a
 * {@link StackOverflowError}), and its class resolver accepts registered class ids only.
 */
final class GuardedKryo extends Kryo {

    private final int maxDepth;

    GuardedKryo(int maxDepth) {
        super(new IdsOnlyClassResolver(), new MapReferenceResolver());
        this.maxDepth = maxDepth;
        // Kryo's own guard as a second line (it throws a plain KryoException, one level later than ours).
        setMaxDepth(maxDepth + 1);
    }

    private void enter(Input input) {
        if (input instanceof BoundedInput bounded) {
            if (getDepth() >= maxDepth) {
                throw bounded.refuse(Reason.TOO_DEEP, "objects nested deeper than " + maxDepth);
            }
            bounded.countObject();
        }
    }

    @Override
    public <T> T readObject(Input input, Class<T> type) {
        enter(input);
        return super.readObject(input, type);
    }

    @Override
    @SuppressWarnings("rawtypes") // Kryo declares the serializer raw
    public <T> T readObject(Input input, Class<T> type, Serializer serializer) {
        enter(input);
        return super.readObject(input, type, serializer);
    }

    @Override
    public <T> T readObjectOrNull(Input input, Class<T> type) {
        enter(input);
        return super.readObjectOrNull(input, type);
    }

    @Override
    @SuppressWarnings("rawtypes") // Kryo declares the serializer raw
    public <T> T readObjectOrNull(Input input, Class<T> type, Serializer serializer) {
        enter(input);
        return super.readObjectOrNull(input, type, serializer);
    }

    @Override
    public Object readClassAndObject(Input input) {
        enter(input);
        return super.readClassAndObject(input);
    }

    /**
     * Reads registered class ids only. Kryo's resolver also accepts a class by its name: it then calls
     * {@code Class.forName} on attacker-chosen text (loading classes that are never registered) and caches the
     * name under an id that later messages on the same pooled instance can refer to without naming it again.
     * Neither is needed (registration is required, so nothing is ever written by name), so names are refused
     * and nothing is cached from one message to the next.
     */
    static final class IdsOnlyClassResolver extends DefaultClassResolver {
        @Override
        public Registration readClass(Input input) {
            int classId = input.readVarInt(true);
            if (classId == Kryo.NULL) {
                return null;
            }
            if (classId == NAME + 2) {
                return readName(input);
            }
            Registration registration = getRegistration(classId - 2);
            if (registration == null) {
                throw refuse(input, "Encountered unregistered class ID: " + (classId - 2));
            }
            return registration;
        }

        @Override
        protected Registration readName(Input input) {
            input.readVarInt(true); // the name id
            String name = input.readString(); // length-checked; only read to say what was refused
            throw refuse(input, "the bytes name the class '" + name + "' instead of a registered id; classes are "
                    + "never looked up by name");
        }

        private static BoundedInput.LimitExceeded refuse(Input input, String message) {
            if (input instanceof BoundedInput bounded) {
                return bounded.refuse(Reason.UNREGISTERED_TYPE, message);
            }
            return new BoundedInput.LimitExceeded(Reason.UNREGISTERED_TYPE, message);
        }
    }
}
