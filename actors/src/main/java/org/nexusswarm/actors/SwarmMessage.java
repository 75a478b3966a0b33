package org.nexusswarm.actors;

/**
 * Marker for every message, event and snapshot that crosses a serialization boundary in Nexus Swarm.
 *
 * <p>Pekko binds this interface (and only this one) to the Kryo serializer, so a type that forgets to
 * implement it fails loudly under {@code serialize-messages = on} instead of silently falling back to Java
 * serialization. Never make it extend {@link java.io.Serializable}.
 */
public interface SwarmMessage {}
