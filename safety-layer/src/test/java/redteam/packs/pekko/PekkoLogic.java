package redteam.packs.pekko;

import org.apache.pekko.actor.typed.ActorSystem;

/** Red team: holds the actor system and terminates it. */
public final class PekkoLogic {
    private ActorSystem<?> system;

    public void step() {
        system.terminate();
    }
}
