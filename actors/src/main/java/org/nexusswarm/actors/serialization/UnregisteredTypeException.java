package org.nexusswarm.actors.serialization;

/**
 * Raised when Kryo is asked to write or read a class that is not registered (or bytes that do not decode).
 *
 * <p>The message is meant for humans and for typed refusals: it names the class (on write) or says that
 * the bytes name an unknown class id (on read), and nothing was instantiated.
 */
public final class UnregisteredTypeException extends RuntimeException {

    private UnregisteredTypeException(String message, Throwable cause) {
        super(message, cause);
    }

    static UnregisteredTypeException onWrite(Object value, Throwable cause) {
        String type = value == null ? "null" : value.getClass().getName();
        return new UnregisteredTypeException(
                "cannot serialize " + type + ": " + firstLine(cause.getMessage()), cause);
    }

    static UnregisteredTypeException onRead(Throwable cause) {
        return new UnregisteredTypeException(
                "refused to deserialize: " + firstLine(cause.getMessage()) + " (nothing was instantiated)", cause);
    }

    static UnregisteredTypeException unknownFormat(String message) {
        return new UnregisteredTypeException(message, null);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
