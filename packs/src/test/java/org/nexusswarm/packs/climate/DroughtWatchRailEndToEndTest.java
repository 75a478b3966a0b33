package org.nexusswarm.packs.climate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.LogicContext;
import org.nexusswarm.actors.spi.LogicInput;
import org.nexusswarm.packs.EntityBlueprint;
import org.nexusswarm.packs.Packs;
import org.nexusswarm.packs.RailBlueprint;
import org.nexusswarm.packs.RailOptions;
import org.nexusswarm.packs.Signal;

/**
 * The whole drought-watch rail in one JVM, with a tiny stand-in for the safety supervisors: it checks each
 * intent against the sender's allowed actions only (no journal, credentials or monitors) and routes it.
 */
class DroughtWatchRailEndToEndTest {

    private static ActorTestKit testKit;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("DroughtWatchRailEndToEndTest", ConfigFactory.load("application-test"));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @Test
    void honestAgentsInDryCellsAlertAndTheRogueIsDeniedEveryRound() {
        RailBlueprint rail = Packs.find("climate").rail("drought-watch", RailOptions.defaults());
        ActorRef<Cmd> harness = testKit.spawn(Harness.create(rail));
        long dryHonestAgents = rail.byKind(EntityKind.AGENT).stream()
                .filter(a -> a.role().equals("agent"))
                .filter(a -> ((SoilSensorScript) rail.signals()).dryCells().contains(a.place()))
                .count();
        assertEquals(30, dryHonestAgents); // 3 dry cells of 10 for seed 42, the rogue's cell is wet
        TestProbe<Stats> probe = testKit.createTestProbe(Stats.class);

        for (int round = 0; round < 2; round++) {
            rail.signals().round(round).forEach(s -> harness.tell(new Inject(rail.signals().source(), s)));
            int rounds = round + 1;
            probe.awaitAssert(Duration.ofSeconds(15), Duration.ofMillis(100), () -> {
                harness.tell(new GetStats(probe.ref()));
                Stats stats = probe.receiveMessage(Duration.ofSeconds(3));
                assertEquals(99 * rounds, (int) stats.delivered().getOrDefault("compute.result", 0));
                assertEquals(dryHonestAgents * rounds, stats.alertsAtNode());
                assertEquals(Map.of("agent:drought-watch.agent-099", rounds), stats.deniedBySender());
                return stats;
            });
        }
        // 99 requests per round, each on 3 replicas.
        harness.tell(new GetStats(probe.ref()));
        Stats stats = probe.receiveMessage(Duration.ofSeconds(3));
        assertEquals(2 * 99 * 3, (int) stats.delivered().get("task.dispatch"));
        assertEquals(2 * 99 * 3, (int) stats.delivered().get("task.result"));
    }

    interface Cmd extends NoSerializationVerificationNeeded {}

    record Inject(String source, Signal signal) implements Cmd {}

    record FromLogic(EntityAddress from, Intent intent) implements Cmd {}

    record GetStats(ActorRef<Stats> replyTo) implements Cmd {}

    record Stats(long alertsAtNode, Map<String, Integer> deniedBySender, Map<String, Integer> delivered)
            implements NoSerializationVerificationNeeded {}

    /** Spawns every entity's logic and plays all their supervisors at once. */
    static final class Harness {
        private final RailBlueprint rail;
        private final Map<EntityAddress, ActorRef<LogicInput>> logic = new HashMap<>();
        private final Map<String, Integer> denied = new HashMap<>();
        private final Map<String, Integer> delivered = new HashMap<>();
        private long alerts;

        private Harness(RailBlueprint rail) {
            this.rail = rail;
        }

        static Behavior<Cmd> create(RailBlueprint rail) {
            return Behaviors.setup(ctx -> {
                Harness h = new Harness(rail);
                List<EntityBlueprint> entities = rail.entities();
                for (int i = 0; i < entities.size(); i++) {
                    EntityBlueprint e = entities.get(i);
                    ActorRef<Cmd> self = ctx.getSelf();
                    ActorRef<Intent> outbox = ctx.spawn(Behaviors.receiveMessage(intent -> {
                        self.tell(new FromLogic(e.address(), intent));
                        return Behaviors.same();
                    }), "outbox-" + i);
                    h.logic.put(e.address(), ctx.spawn(e.logic().create(
                            new LogicContext(e.address(), e.place(), outbox)), "logic-" + i));
                }
                return Behaviors.receive(Cmd.class)
                        .onMessage(Inject.class, h::onInject)
                        .onMessage(FromLogic.class, h::onIntent)
                        .onMessage(GetStats.class, h::onGetStats)
                        .build();
            });
        }

        private Behavior<Cmd> onInject(Inject in) {
            logic.get(in.signal().target()).tell(new LogicInput.Inbound(in.source(), in.signal().payload()));
            return Behaviors.same();
        }

        private Behavior<Cmd> onIntent(FromLogic msg) {
            Intent intent = msg.intent();
            EntityBlueprint sender = rail.entity(msg.from()).orElseThrow();
            ActorRef<LogicInput> target = logic.get(intent.target());
            boolean allowed = sender.allows(intent.actionClass()) && target != null;
            logic.get(msg.from()).tell(new LogicInput.IntentOutcome(intent.intentId(), allowed,
                    allowed ? "allowed" : "action " + intent.actionClass() + " not in credential"));
            if (!allowed) {
                denied.merge(msg.from().toString(), 1, Integer::sum);
                return Behaviors.same();
            }
            delivered.merge(intent.actionClass(), 1, Integer::sum);
            if (intent.target().equals(DroughtWatchRail.node()) && intent.payload() instanceof DroughtAlert) {
                alerts++;
            }
            target.tell(new LogicInput.Inbound(msg.from().toString(), intent.payload()));
            return Behaviors.same();
        }

        private Behavior<Cmd> onGetStats(GetStats get) {
            get.replyTo().tell(new Stats(alerts, Map.copyOf(denied), Map.copyOf(delivered)));
            return Behaviors.same();
        }
    }
}
