package org.nexusswarm.packs.climate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.Step;
import org.nexusswarm.packs.EntityBlueprint;
import org.nexusswarm.packs.Packs;
import org.nexusswarm.packs.RailBlueprint;
import org.nexusswarm.packs.RailOptions;

/**
 * The whole drought-watch rail in the test's thread, pure step functions only, with a tiny stand-in for the
 * safety supervisors: it checks each intent against the sender's allowed actions only (no journal, credentials
 * or monitors) and routes it, in order, until nothing is left to deliver.
 */
class DroughtWatchRailEndToEndTest {

    @Test
    void honestAgentsInDryCellsAlertAndTheRogueIsDeniedEveryRound() {
        RailBlueprint rail = Packs.find("climate").rail("drought-watch", RailOptions.defaults());
        Harness harness = new Harness(rail);
        long dryHonestAgents = rail.byKind(EntityKind.AGENT).stream()
                .filter(a -> a.role().equals("agent"))
                .filter(a -> ((SoilSensorScript) rail.signals()).dryCells().contains(a.place()))
                .count();
        assertEquals(30, dryHonestAgents); // 3 dry cells of 10 for seed 42, the rogue's cell is wet

        for (int round = 0; round < 2; round++) {
            int rounds = round + 1;
            rail.signals().round(round).forEach(s -> harness.deliver(s.target(),
                    new AgentInput.Inbound(rail.signals().source(), s.payload(), harness.clock++)));
            harness.drain();
            assertEquals(99 * rounds, (int) harness.delivered.getOrDefault("compute.result", 0));
            assertEquals(dryHonestAgents * rounds, harness.alerts);
            assertEquals(Map.of("agent:drought-watch.agent-099", rounds), harness.denied);
        }
        // 99 requests per round, each on 3 replicas.
        assertEquals(2 * 99 * 3, (int) harness.delivered.get("task.dispatch"));
        assertEquals(2 * 99 * 3, (int) harness.delivered.get("task.result"));
    }

    /** One entity's logic and its state. */
    private static final class Running<S> {
        private final AgentLogic<S> logic;
        private S state;

        Running(AgentLogic<S> logic, EntityBlueprint e) {
            this.logic = logic;
            this.state = logic.init(new AgentContext(e.address(), e.place()));
        }

        java.util.List<Intent> step(AgentInput input) {
            Step<S> step = logic.step(state, input);
            state = step.state();
            return step.intents();
        }
    }

    /** Plays all the supervisors at once. */
    private static final class Harness {
        private final RailBlueprint rail;
        private final Map<EntityAddress, Running<?>> logic = new HashMap<>();
        private final Deque<Map.Entry<EntityAddress, AgentInput>> queue = new ArrayDeque<>();
        final Map<String, Integer> denied = new HashMap<>();
        final Map<String, Integer> delivered = new HashMap<>();
        long alerts;
        long clock = 1_700_000_000_000L;

        Harness(RailBlueprint rail) {
            this.rail = rail;
            rail.entities().forEach(e -> logic.put(e.address(), new Running<>(e.logic(), e)));
        }

        void deliver(EntityAddress target, AgentInput input) {
            queue.add(Map.entry(target, input));
        }

        void drain() {
            while (!queue.isEmpty()) {
                var next = queue.poll();
                for (Intent intent : logic.get(next.getKey()).step(next.getValue())) {
                    onIntent(next.getKey(), intent);
                }
            }
        }

        private void onIntent(EntityAddress from, Intent intent) {
            EntityBlueprint sender = rail.entity(from).orElseThrow();
            boolean allowed = sender.allows(intent.actionClass()) && logic.containsKey(intent.target());
            deliver(from, new AgentInput.Outcome(intent.intentId(), allowed,
                    allowed ? "allowed" : "action " + intent.actionClass() + " not in credential", clock++));
            if (!allowed) {
                denied.merge(from.toString(), 1, Integer::sum);
                return;
            }
            delivered.merge(intent.actionClass(), 1, Integer::sum);
            if (intent.target().equals(DroughtWatchRail.node()) && intent.payload() instanceof DroughtAlert) {
                alerts++;
            }
            deliver(intent.target(), new AgentInput.Inbound(from.toString(), intent.payload(), clock++));
        }
    }
}
