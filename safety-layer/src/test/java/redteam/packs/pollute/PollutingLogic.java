package redteam.packs.pollute;

import java.util.Map;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.Step;

/**
 * Red team: erased generics let a step put its own objects where the platform expects {@code Map<String, Double>}
 * parameters (a raw cast, nothing forbidden). The supervisor then sorts and prints them on its own thread, running
 * the key's {@code compareTo} and {@code toString}, which here never return.
 */
public final class PollutingLogic implements AgentLogic<Long> {

    /** Sorts and prints by running forever. */
    public static final class Key implements Comparable<Key> {
        @Override
        public int compareTo(Key other) {
            long x = 0;
            while (x >= 0) {
                x = (x + 1) & 0xff;
            }
            return 0;
        }

        @Override
        public String toString() {
            long x = 0;
            while (x >= 0) {
                x = (x + 1) & 0xff;
            }
            return "never";
        }
    }

    @Override
    public String version() {
        return "pollute/1";
    }

    @Override
    public Long init(AgentContext context) {
        return 0L;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public Step<Long> step(Long state, AgentInput input) {
        Map<String, Double> parameters = (Map) Map.of(new Key(), 1.0);
        return Step.of(state + 1, new Intent("i-" + state, "compute.request",
                EntityAddress.of(EntityKind.ORCHESTRATOR, "orc-1"), null, parameters));
    }
}
