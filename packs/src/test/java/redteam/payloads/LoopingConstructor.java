package redteam.payloads;

import org.nexusswarm.actors.SwarmMessage;

/** Red team: the constructor loops as long as the (attacker-chosen) field says. */
public record LoopingConstructor(long n) implements SwarmMessage {
    public LoopingConstructor {
        long i = 0;
        while (i < n) {
            i++;
        }
    }
}
