package org.nexusswarm.actors.serialization;

/**
 * Raised when Kryo is asked to write a class that is not registered, or refuses bytes on read.
 *
 * <p>The message is meant for humans and for typed refusals: it names the class (on write) or says why the
 * bytes were refused (on read), and nothing was instantiated from them. Every refusal on read is the subclass
 * {@link DecodeRefusedException}, which also carries a machine-readable reason.
 */
public sealed class UnregisteredTypeException extends RuntimeException permits DecodeRefusedException {

    UnregisteredTypeException(String message, Throwable cause) {
        super(message, cause);
    }

    /** For refusals: no stack trace of their own (the cause, if any, keeps Kryo's), so refusing stays cheap. */
    UnregisteredTypeException(String message, Throwable cause, boolean writableStackTrace) {
        super(message, cause, true, writableStackTrace);
    }

    static UnregisteredTypeException onWrite(Object value, Throwable cause) {
        String type = value == null ? "null" : value.getClass().getName();
        return new UnregisteredTypeException(
                "cannot serialize " + type + ": " + firstLine(cause.getMessage()), cause);
    }

    static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        String line = nl < 0 ? s : s.substring(0, nl);
        // Refusal texts end up in journals and replies: never let a hostile input make them long.
        return line.length() <= 300 ? line : line.substring(0, 300) + "...";
    }
}
