package org.nexusswarm.safety.internal.auth;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.nexusswarm.actors.identity.IdentityDirectory;

/**
 * The X25519 session public keys of admitted peers, by principal name. An announcement is admitted only when
 * its DID is admitted in the {@link IdentityDirectory} under the announced name and its Ed25519 signature
 * verifies: the one asymmetric check per peer. A newer announcement (by {@code issuedAtMillis}) replaces an
 * older one. Lock-free reads; bounded by the directory's admissions.
 */
public final class PeerKeys {

    private final IdentityDirectory directory;
    private final Map<String, SessionKeyAnnouncement> byName = new ConcurrentHashMap<>();

    public PeerKeys(IdentityDirectory directory) {
        this.directory = directory;
    }

    /** Admits {@code announcement}; empty when admitted, else why not. */
    public Optional<String> admit(SessionKeyAnnouncement announcement) {
        if (announcement == null || announcement.name() == null) {
            return Optional.of("no announcement");
        }
        var principal = directory.lookup(announcement.did());
        if (principal.isEmpty()) {
            return Optional.of("DID of " + announcement.name() + " is not admitted on this swarm");
        }
        if (!principal.get().name().equals(announcement.name())) {
            return Optional.of("DID is admitted as " + principal.get().name() + ", not as " + announcement.name());
        }
        if (!announcement.verifies()) {
            return Optional.of("session key announcement of " + announcement.name() + " does not verify");
        }
        SessionKeyAnnouncement kept = byName.merge(announcement.name(), announcement,
                (old, fresh) -> fresh.issuedAtMillis() > old.issuedAtMillis() ? fresh : old);
        return kept == announcement || kept.equals(announcement) ? Optional.empty()
                : Optional.of("a newer session key of " + announcement.name() + " is already admitted");
    }

    /** The admitted announcement of {@code name}, if any (its DID and X25519 public key). */
    public Optional<SessionKeyAnnouncement> of(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name));
    }

    public void remove(String name) {
        byName.remove(name);
    }

    public int size() {
        return byName.size();
    }
}
