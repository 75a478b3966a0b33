package redteam.payloads;

import org.nexusswarm.actors.SwarmMessage;

/** Red team: decoding a set of these calls a hashCode the pack wrote. */
public record OverriddenHashCode(String key) implements SwarmMessage {
    @Override
    public int hashCode() {
        int h = 0;
        for (int i = 0; i < key.length(); i++) {
            h = 31 * h + key.charAt(i);
        }
        return h;
    }
}
