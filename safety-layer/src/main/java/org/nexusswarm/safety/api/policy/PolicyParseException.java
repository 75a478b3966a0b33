package org.nexusswarm.safety.api.policy;

/** A policy text that does not parse or does not validate; the message names the line and path of the problem. */
public final class PolicyParseException extends Exception {

    public PolicyParseException(String message) {
        super(message);
    }

    public PolicyParseException(String message, Throwable cause) {
        super(message, cause);
    }
}
