package org.nexusswarm.packs.climate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Step;
import org.nexusswarm.delegators.DelegatorLogic;
import org.nexusswarm.orchestrators.OrchestratorLogic;
import org.nexusswarm.packs.EntityBlueprint;
import org.nexusswarm.packs.RailBlueprint;
import org.nexusswarm.packs.RailOptions;

/**
 * The {@code drought-watch} rail: soil sensors feed agents spread over up to {@value #MAX_CELLS} Sahel
 * cells; agents get certified drought indices from one orchestrator over the delegators and alert the rail
 * node. The last {@code rogueAgents} agents are rogue (same credential, see {@link RogueAgentLogic}).
 *
 * <p>Entity ids are prefixed with the rail name: {@code node:drought-watch.node-0},
 * {@code delegator:drought-watch.delegator-0..}, {@code orchestrator:drought-watch.orchestrator-0},
 * {@code agent:drought-watch.agent-000..}. About 30 % of the cells (at least one) are dry, chosen from the
 * seed.
 */
public final class DroughtWatchRail {

    public static final String NAME = "drought-watch";
    public static final String SENSOR_FEED = "feed:drought-watch.soil-sensors";
    public static final String REGION = "sahel";
    public static final int MAX_CELLS = 10;

    private DroughtWatchRail() {}

    public static EntityAddress node() {
        return node(NAME);
    }

    public static EntityAddress orchestrator() {
        return orchestrator(NAME);
    }

    public static EntityAddress delegator(int i) {
        return delegator(NAME, i);
    }

    public static EntityAddress agent(int i) {
        return agent(NAME, i);
    }

    /** The rail node of instance {@code instance} (entity ids are prefixed with the instance name). */
    public static EntityAddress node(String instance) {
        return EntityAddress.of(EntityKind.NODE, instance + ".node-0");
    }

    public static EntityAddress orchestrator(String instance) {
        return EntityAddress.of(EntityKind.ORCHESTRATOR, instance + ".orchestrator-0");
    }

    public static EntityAddress delegator(String instance, int i) {
        return EntityAddress.of(EntityKind.DELEGATOR, instance + ".delegator-" + i);
    }

    public static EntityAddress agent(String instance, int i) {
        return EntityAddress.of(EntityKind.AGENT, String.format(Locale.ROOT, "%s.agent-%03d", instance, i));
    }

    /** Cell ids such as {@code sahel-cell-07}: one per agent up to {@value #MAX_CELLS}. */
    public static List<String> cells(int agents) {
        List<String> cells = new ArrayList<>();
        for (int c = 0; c < Math.min(MAX_CELLS, agents); c++) {
            cells.add(String.format(Locale.ROOT, "%s-cell-%02d", REGION, c));
        }
        return List.copyOf(cells);
    }

    static Set<String> dryCells(List<String> cells, long seed) {
        List<String> shuffled = new ArrayList<>(cells);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            shuffled.set(j, shuffled.set(i, shuffled.get(j)));
        }
        int dry = Math.max(1, Math.round(cells.size() * 0.3f));
        return new LinkedHashSet<>(shuffled.subList(0, dry));
    }

    /**
     * The logic this rail deploys under {@code version}, for replays. The rail instance (and with it the
     * orchestrator and node an agent talks to) is read from the replayed entity's id when the logic is created;
     * thresholds, fuel budgets and amounts are the defaults {@link #build} deploys.
     *
     * <p>Not rebuilt (empty): the orchestrator ({@code orchestrator/1}: its delegators, replicas and quorum are
     * rail options the version does not record) and faulty delegators (their bias is not recorded).
     */
    public static Optional<AgentLogic<?>> logic(String version) {
        return switch (version) {
            case DroughtWatchAgentLogic.VERSION -> Optional.of(new PerInstance(version,
                    DroughtWatchAgentLogic.PAYLOADS, ctx -> {
                String instance = instanceOf(ctx);
                return DroughtWatchAgentLogic.logic(orchestrator(instance), node(instance));
            }));
            case RogueAgentLogic.VERSION -> Optional.of(new PerInstance(version, RogueAgentLogic.PAYLOADS,
                    ctx -> RogueAgentLogic.logic(node(instanceOf(ctx)))));
            case RailNodeLogic.VERSION -> Optional.of(RailNodeLogic.logic());
            case DelegatorLogic.VERSION -> Optional.of(DelegatorLogic.logic());
            default -> Optional.empty();
        };
    }

    /**
     * A logic whose parameters (its orchestrator and node) follow from the address it is started with: built at
     * {@code init}, then kept in the state with the built logic's own state.
     */
    record PerInstance(String version, List<org.nexusswarm.actors.spi.PayloadSchema> payloads,
            java.util.function.Function<AgentContext, AgentLogic<?>> build)
            implements AgentLogic<PerInstance.Bound<?>> {

        PerInstance {
            payloads = List.copyOf(payloads);
        }

        /** The logic built for this instance and its state. */
        record Bound<S>(AgentLogic<S> logic, S state) {
            Step<Bound<?>> step(AgentInput input) {
                Step<S> next = logic.step(state, input);
                return new Step<>(new Bound<>(logic, next.state()), next.intents());
            }
        }

        @Override
        public Bound<?> init(AgentContext context) {
            return bind(build.apply(context), context);
        }

        private static <S> Bound<S> bind(AgentLogic<S> logic, AgentContext context) {
            return new Bound<>(logic, logic.init(context));
        }

        @Override
        public Step<Bound<?>> step(Bound<?> state, AgentInput input) {
            return state.step(input);
        }
    }

    /** The rail instance an entity belongs to: its id up to the last '.' ({@code drought-watch-x.agent-003}). */
    static String instanceOf(AgentContext ctx) {
        String id = ctx.self().id();
        int dot = id.lastIndexOf('.');
        if (dot <= 0) {
            throw new IllegalArgumentException("entity id " + id + " does not name a rail instance "
                    + "(<instance>.<role>-<n>)");
        }
        return id.substring(0, dot);
    }

    static RailBlueprint build(String pack, RailOptions options) {
        String instance = options.instance() == null ? NAME : options.instance();
        List<EntityBlueprint> entities = new ArrayList<>();
        EntityAddress node = node(instance);
        EntityAddress orchestrator = orchestrator(instance);
        entities.add(new EntityBlueprint(node, REGION, "rail-node", List.of(), RailNodeLogic.logic()));

        List<EntityAddress> delegators = new ArrayList<>();
        for (int i = 0; i < options.delegators(); i++) {
            delegators.add(delegator(instance, i));
            entities.add(new EntityBlueprint(delegator(instance, i), REGION, "delegator",
                    List.of(DelegatorLogic.RESULT_ACTION), DelegatorLogic.logic()));
        }
        entities.add(new EntityBlueprint(orchestrator, REGION, "orchestrator",
                List.of(OrchestratorLogic.DISPATCH_ACTION, OrchestratorLogic.RESULT_ACTION),
                OrchestratorLogic.logic(delegators, options.replicas(), options.quorum())));

        List<String> cells = cells(options.agents());
        // Rogues carry the honest agents' credential: the point is that the policy, not the role, stops them.
        List<String> agentActions = List.of(DroughtWatchAgentLogic.COMPUTE_ACTION, DroughtWatchAgentLogic.ALERT_ACTION);
        int firstRogue = options.agents() - options.rogueAgents();
        List<EntityBlueprint> agents = new ArrayList<>();
        for (int i = 0; i < options.agents(); i++) {
            boolean rogue = i >= firstRogue;
            agents.add(new EntityBlueprint(agent(instance, i), cells.get(i % cells.size()), rogue ? "rogue-agent" : "agent",
                    agentActions,
                    rogue ? RogueAgentLogic.logic(node) : DroughtWatchAgentLogic.logic(orchestrator, node)));
        }
        entities.addAll(agents);
        return new RailBlueprint(NAME, pack, entities,
                new SoilSensorScript(agents, dryCells(cells, options.seed()), options.seed()));
    }
}
