package org.nexusswarm.safety.api.replay;

/** The journal names a logic version that no catalog on the class path can rebuild, or names none. */
public final class UnknownLogicException extends RuntimeException {

    private final String version;

    public UnknownLogicException(String version, String message) {
        super(message);
        this.version = version;
    }

    /** The version the journal recorded ("" when it recorded none). */
    public String version() {
        return version;
    }
}
