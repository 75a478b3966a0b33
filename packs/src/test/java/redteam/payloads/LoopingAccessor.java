package redteam.payloads;

import org.nexusswarm.actors.SwarmMessage;

/** Red team: Kryo encodes a record through its accessors; this one never returns. */
public record LoopingAccessor(int value) implements SwarmMessage {
    @Override
    public int value() {
        int v = value;
        while (v >= 0) {
            v = (v + 1) & 0xff;
        }
        return v;
    }
}
