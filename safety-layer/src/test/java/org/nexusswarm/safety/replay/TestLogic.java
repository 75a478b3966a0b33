package org.nexusswarm.safety.replay;

import java.util.Map;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.spi.EntityLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.LogicContext;
import org.nexusswarm.actors.spi.LogicInput;

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

    static EntityLogic logic() {
        return logic(VERSION, TARGET);
    }

    /** The same logic under another version, proposing to {@code target} (a "changed" logic). */
    static EntityLogic logic(String version, EntityAddress target) {
        return EntityLogic.of(version, ctx -> Behaviors.setup(c -> counting(ctx, target, 0)));
    }

    /** The intent the logic proposes for {@code ping} as its {@code seen}-th input. */
    static Intent intentFor(Ping ping, long seen, EntityAddress target) {
        return new Intent("i-" + ping.n() + "-" + seen, ping.action(), target, new Ping(ping.n(), "out"),
                Map.of("n", (double) ping.n()));
    }

    private static Behavior<LogicInput> counting(LogicContext ctx, EntityAddress target, long seen) {
        return Behaviors.receive(LogicInput.class)
                .onMessage(LogicInput.Inbound.class, in -> {
                    if (!(in.payload() instanceof Ping ping)) {
                        return Behaviors.same();
                    }
                    if ("boom".equals(ping.action())) {
                        throw new IllegalStateException("boom on " + ping.n());
                    }
                    ctx.outbox().tell(intentFor(ping, seen + 1, target));
                    return counting(ctx, target, seen + 1);
                })
                .onMessage(LogicInput.IntentOutcome.class, o -> {
                    if (!o.allowed() && !o.intentId().startsWith("retry-")) {
                        ctx.outbox().tell(new Intent("retry-" + o.intentId(), RETRY, target, null));
                    }
                    return Behaviors.same();
                })
                .build();
    }
}
