package org.nexusswarm.safety.internal.supervisor;

import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;

/** Messages of the safety-layer tests (registered by {@link SafetyTestKryoRegistrations}, except Unlisted). */
final class TestPayloads {

    private TestPayloads() {}

    /** A plain payload: the test logic only reports it. */
    record Note(String text) implements SwarmMessage {}

    /**
     * Makes the test logic propose an intent of {@code actionClass} to {@code target}, carrying a Note, with
     * {@code parameters} (the numbers policy envelopes and credential caps bound).
     */
    record Act(String intentId, String actionClass, EntityAddress target, String text, Map<String, Double> parameters)
            implements SwarmMessage {
        Act {
            parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        }

        /** An act without parameters. */
        Act(String intentId, String actionClass, EntityAddress target, String text) {
            this(intentId, actionClass, target, text, Map.of());
        }
    }

    /** Sent by the test logic when its child has started, so tests can watch the child. */
    record LogicStarted(EntityAddress entity, ActorRef<?> logic) implements SwarmMessage {}

    /** Makes the test logic throw: a logic that keeps failing. */
    record Crash(String why) implements SwarmMessage {}

    /**
     * What the test logic sends for an {@link Act} with parameters: its declared parameter components are
     * {@code mw} and {@code fuel} (a null is absent).
     */
    record Measured(String text, Double mw, Double fuel) implements SwarmMessage {}

    /** A payload type the test logic never declares. */
    record Divert(String cell, double mw) implements SwarmMessage {}

    /** Makes the test logic propose {@code payload} under {@code actionClass}, stating {@code stated}: a liar. */
    record Lie(String intentId, String actionClass, EntityAddress target, Map<String, Double> stated,
            SwarmMessage payload) implements SwarmMessage {
        Lie {
            stated = stated == null ? Map.of() : Map.copyOf(stated);
        }
    }

    /** Makes the test logic propose {@code count} intents of {@code actionClass} in one step. */
    record Burst(String prefix, String actionClass, EntityAddress target, int count) implements SwarmMessage {}

    /** Never registered: its bytes must be refused. */
    record Unlisted(String text) implements SwarmMessage {}

    /** A payload whose accessor is not its field (found by review): encoding runs the accessor, pack code. */
    record Inflated(String text, Double mw, Double fuel) implements SwarmMessage {
        @Override
        public Double mw() {
            return mw == null ? null : mw * 1000;
        }
    }
}
