package org.nexusswarm.actors.serialization;

/**
 * The one way bytes are refused by {@link SwarmKryo} (and so by {@link KryoSerializer}): a typed refusal with
 * a {@link Reason}. No other exception, and no {@link Error} caused by the input, leaves a decode: limits
 * stop hostile lengths, nesting and object counts before they allocate, and anything else Kryo throws on
 * bad bytes becomes {@link Reason#MALFORMED}.
 */
public final class DecodeRefusedException extends UnregisteredTypeException {

    /** Why bytes were refused. Stable names: they appear in journaled refusals. */
    public enum Reason {
        /** The input is larger than the decoder's maximum message size. */
        TOO_LARGE,
        /** A declared string, array, collection or map length is larger than the bytes left could hold. */
        LENGTH_EXCEEDS_INPUT,
        /** Objects are nested deeper than the decoder's depth limit. */
        TOO_DEEP,
        /** The input declares more objects than the decoder reads for one message of its size. */
        TOO_MANY_OBJECTS,
        /** The declared lengths add up to more memory than the decoder allocates for one message of its size. */
        TOO_MUCH_ALLOCATION,
        /** The bytes name a class id that is not registered, or a class by its name. */
        UNREGISTERED_TYPE,
        /** The top-level object is registered but is not a message type (e.g. a bare String or ArrayList). */
        NOT_A_MESSAGE_TYPE,
        /** The bytes name a stored format this build does not know. */
        UNKNOWN_FORMAT,
        /** Anything else: truncated, trailing or inconsistent bytes, values a constructor rejects. */
        MALFORMED,
        /** More keys of a map or set share one hash code than genuine data has (a forged collision). */
        COLLIDING_KEYS
    }

    private final Reason reason;

    DecodeRefusedException(Reason reason, String detail, Throwable cause) {
        super("refused to deserialize (" + reason + "): " + firstLine(detail) + suffix(reason), cause, false);
        this.reason = reason;
    }

    private static String suffix(Reason reason) {
        return switch (reason) {
            case TOO_LARGE, UNREGISTERED_TYPE, NOT_A_MESSAGE_TYPE, UNKNOWN_FORMAT -> " (nothing was instantiated)";
            default -> " (nothing decoded from these bytes was kept)";
        };
    }

    public Reason reason() {
        return reason;
    }
}
