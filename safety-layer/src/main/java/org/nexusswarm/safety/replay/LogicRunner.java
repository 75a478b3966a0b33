package org.nexusswarm.safety.replay;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.BehaviorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestInbox;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.spi.EntityLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.LogicContext;
import org.nexusswarm.actors.spi.LogicInput;

/**
 * One incarnation of an entity's logic, run in the calling thread by Pekko's {@link BehaviorTestKit}: no actor
 * system, no timers firing, no network, so nothing the logic does leaves the replay. Its outbox is a
 * {@link TestInbox}; each call returns the intents the logic emitted meanwhile.
 *
 * <p>Messages the logic sends itself are processed right after the input (at most {@value #MAX_SELF_MESSAGES},
 * so a logic that keeps messaging itself cannot hang a replay). Captured log lines and effects are dropped after
 * every input, so a long replay does not accumulate them.
 */
final class LogicRunner {

    static final int MAX_SELF_MESSAGES = 10_000;
    /** Read once: the stub system of every incarnation only needs Pekko's reference settings. */
    private static final Config STUB_CONFIG = BehaviorTestKit.applicationTestConfig();

    private final BehaviorTestKit<LogicInput> kit;
    private final TestInbox<Intent> outbox;
    private final List<Intent> emittedAtStart;

    LogicRunner(EntityLogic logic, EntityAddress self, String place) {
        this.outbox = TestInbox.create("outbox");
        this.kit = BehaviorTestKit.create(logic.create(new LogicContext(self, place, outbox.getRef())),
                "logic", STUB_CONFIG);
        this.emittedAtStart = drain();
    }

    /** Intents the logic emitted while it started. */
    List<Intent> emittedAtStart() {
        return emittedAtStart;
    }

    boolean alive() {
        return kit.isAlive();
    }

    /** Feeds one input; returns the intents emitted. A failure of the logic propagates. */
    List<Intent> feed(LogicInput input) {
        kit.run(input);
        for (int i = 0; i < MAX_SELF_MESSAGES && kit.isAlive() && kit.selfInbox().hasMessages(); i++) {
            kit.runOne();
        }
        return drain();
    }

    private List<Intent> drain() {
        kit.clearLog();
        if (kit.hasEffects()) {
            kit.getAllEffects();
        }
        List<Intent> intents = new ArrayList<>(2);
        while (outbox.hasMessages()) {
            intents.add(outbox.receiveMessage());
        }
        return intents;
    }
}
