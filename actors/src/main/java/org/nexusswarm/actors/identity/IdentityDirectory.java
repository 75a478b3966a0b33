package org.nexusswarm.actors.identity;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The identities a node trusts as message senders, each with the principal it stands for.
 *
 * <p>A DID embeds its key, so "known" here means "admitted": issued a credential by a rail or registered as
 * an operator or signal source. Lookups are lock-free; admissions happen at deployment time.
 */
public final class IdentityDirectory {

    /** What the directory knows of one admitted identity. */
    public record Principal(Did did, String name) {}

    private final Map<String, Principal> byDid = new ConcurrentHashMap<>();

    public void admit(Did did, String name) {
        byDid.put(did.value(), new Principal(did, name));
    }

    public void remove(Did did) {
        byDid.remove(did.value());
    }

    public Optional<Principal> lookup(String did) {
        return did == null ? Optional.empty() : Optional.ofNullable(byDid.get(did));
    }

    public int size() {
        return byDid.size();
    }

    /** A copy of the current admissions, e.g. to hand to a second node in tests. */
    public Map<String, Principal> snapshot() {
        return Map.copyOf(new HashMap<>(byDid));
    }
}
