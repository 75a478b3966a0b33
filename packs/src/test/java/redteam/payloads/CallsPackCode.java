package redteam.payloads;

import org.nexusswarm.actors.SwarmMessage;

/** Red team: the canonical constructor (run by the decoder) calls a pack method, which could do anything. */
public record CallsPackCode(String text) implements SwarmMessage {
    public CallsPackCode {
        text = Helper.clean(text);
    }

    /** Pack code the constructor reaches. */
    public static final class Helper {
        private Helper() {}

        public static String clean(String s) {
            return s;
        }
    }
}
