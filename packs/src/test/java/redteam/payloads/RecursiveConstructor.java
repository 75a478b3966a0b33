package redteam.payloads;

import org.nexusswarm.actors.SwarmMessage;

/** Red team: a decoded depth of 2^31 makes the constructor recurse until the stack overflows. */
public record RecursiveConstructor(int depth) implements SwarmMessage {
    public RecursiveConstructor {
        if (depth > 0) {
            new RecursiveConstructor(depth - 1);
        }
    }
}
