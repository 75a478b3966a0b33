package org.nexusswarm.actors.spi;

import org.apache.pekko.actor.typed.Behavior;

/**
 * The SPI an AI team implements: the logic of one agent, delegator, orchestrator or node.
 *
 * <p>The logic runs as the child of its safety supervisor. It receives {@link LogicInput}s from the parent
 * and acts only by sending {@link Intent}s to {@link LogicContext#outbox()}, the parent; it never sees an
 * actor reference of another entity. Behaviours must not block.
 */
public interface EntityLogic {

    /** A version string recorded in the journal so replays know which logic made a decision. */
    String version();

    /** Creates the child's behaviour; called again after a restart, so it must build fresh state. */
    org.apache.pekko.actor.typed.Behavior<LogicInput> create(LogicContext context);

    /** Convenience for lambdas: a logic from a version and a factory. */
    static EntityLogic of(String version, java.util.function.Function<LogicContext, Behavior<LogicInput>> factory) {
        return new EntityLogic() {
            @Override
            public String version() {
                return version;
            }

            @Override
            public Behavior<LogicInput> create(LogicContext context) {
                return factory.apply(context);
            }
        };
    }
}
