package org.nexusswarm.safety.api.replay;

import java.util.Map;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.Step;

/**
 * The replay tests' logic. For each {@link Ping} it proposes {@code i-<n>-<inputs seen>} of the ping's action
 * class to {@link #TARGET} (the counter makes a restart visible in the ids); it retries a denied intent once
 * ({@code retry-<id>}), so fed outcomes are visible too; a ping of action {@code boom} makes it throw.
 */
final class TestLogic {

    static final String VERSION = "test-logic/1";
    static final String ACT = "test.act";
    static final String RETRY = "test.retry";
    static final EntityAddress TARGET = EntityAddress.of(EntityKind.NODE, "rail-x.node-0");

    /** An input; {@code action} is the action class the logic will propose. */
    record Ping(long n, String action) implements SwarmMessage {}

    private TestLogic() {}

    static AgentLogic<?> logic() {
        return logic(VERSION, TARGET);
    }

    /** The same logic under another version, proposing to {@code target} (a "changed" logic). */
    static AgentLogic<?> logic(String version, EntityAddress target) {
        return new AgentLogic<Long>() {
            @Override
            public String version() {
                return version;
            }

            @Override
            public Long init(AgentContext context) {
                return 0L;
            }

            @Override
            public Step<Long> step(Long seen, AgentInput input) {
                if (input instanceof AgentInput.Inbound in && in.payload() instanceof Ping ping) {
                    if ("boom".equals(ping.action())) {
                        throw new IllegalStateException("boom on " + ping.n());
                    }
                    return Step.of(seen + 1, intentFor(ping, seen + 1, target));
                }
                if (input instanceof AgentInput.Outcome o && !o.allowed() && !o.intentId().startsWith("retry-")) {
                    return Step.of(seen, new Intent("retry-" + o.intentId(), RETRY, target, null));
                }
                return Step.of(seen);
            }
        };
    }

    /** The intent the logic proposes for {@code ping} as its {@code seen}-th input. */
    static Intent intentFor(Ping ping, long seen, EntityAddress target) {
        return new Intent("i-" + ping.n() + "-" + seen, ping.action(), target, new Ping(ping.n(), "out"),
                Map.of("n", (double) ping.n()));
    }
}
