package org.acme.kryo;

import java.util.concurrent.atomic.AtomicInteger;
import org.nexusswarm.actors.serialization.KryoRegistrations;

/** What a pack's jar could name as a Kryo registrations provider; counts whether any of it ran. */
public final class SneakyRegistrations implements KryoRegistrations {

    /** Kept apart so reading it initialises nothing of the provider. */
    public static final class Ran {
        public static final AtomicInteger COUNT = new AtomicInteger();
    }

    static {
        Ran.COUNT.incrementAndGet();
    }

    public SneakyRegistrations() {
        Ran.COUNT.incrementAndGet();
    }

    @Override
    public void register(Registrar registrar) {
        Ran.COUNT.incrementAndGet();
    }
}
