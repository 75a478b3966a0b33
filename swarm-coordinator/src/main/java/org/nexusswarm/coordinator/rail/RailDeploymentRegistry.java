package org.nexusswarm.coordinator.rail;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.nexusswarm.actors.SwarmMessage;

/**
 * The cluster's rail deployment registry: one event-sourced, sharded entity (type {@value #TYPE}, id
 * {@value #REGISTRY_ID}, so persistence id {@code rail-deployments|registry}) holding the {@link RailDeployment}
 * record of every deployed rail instance. Any node may ask it; nodes holding a rail's secret host the rail from
 * its record ({@link RailHost}).
 *
 * <p>It keeps records, it does not trust them: a record is accepted only when its issuer signature verifies
 * against the issuer it names, and every node checks that issuer against its own rail secret before hosting.
 * One instance is deployed at most once at a time: a different record for a deployed instance is refused (undeploy
 * first, or deploy another instance); the same record again is answered as deployed (an idempotent retry). Removing
 * a record needs the rail issuer's signature too, so a cluster member without the secret can neither plant keys
 * nor take a rail away.
 */
public final class RailDeploymentRegistry
        extends EventSourcedBehaviorWithEnforcedReplies<RailDeploymentRegistry.Command, SwarmMessage,
                RailDeploymentRegistry.State> {

    public static final String TYPE = "rail-deployments";
    public static final String REGISTRY_ID = "registry";
    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, TYPE);
    /** The most rail instances the registry holds: the whole state is one record, read by every node. */
    public static final int MAX_DEPLOYMENTS = 256;

    /** The registry's protocol. */
    public interface Command extends SwarmMessage {}

    /** Record a deployment; answered with the stored record, or an error saying why not. */
    public record Deploy(RailDeployment record, ActorRef<StatusReply<RailDeployment>> replyTo) implements Command {}

    /**
     * Remove the deployment of {@code instance} made at {@code deployedAt}; answered with the record removed.
     * {@code signature} is the rail issuer's Ed25519 signature over {@link #undeployBytes}: only a holder of the
     * rail secret can remove its record, and the signature names the one deployment it removes.
     */
    public record Undeploy(String instance, long deployedAt, long at, String signature,
            ActorRef<StatusReply<RailDeployment>> replyTo) implements Command {}

    /** Every deployed rail instance. */
    public record GetDeployments(ActorRef<Deployments> replyTo) implements Command {}

    /** The deployed rail instances, by instance name. */
    public record Deployments(List<RailDeployment> records) implements SwarmMessage {
        public Deployments {
            records = List.copyOf(records);
        }

        public Optional<RailDeployment> find(String instance) {
            return records.stream().filter(r -> r.instance().equals(instance)).findFirst();
        }
    }

    /** Event: a rail instance was deployed. */
    public record RailDeployed(RailDeployment record) implements SwarmMessage {}

    /** Event: a rail instance was undeployed at {@code at} (epoch millis). */
    public record RailUndeployed(String instance, long at) implements SwarmMessage {}

    /** The registry's state: the active records by instance. */
    public record State(Map<String, RailDeployment> active) implements SwarmMessage {
        public State {
            active = Map.copyOf(active);
        }

        static final State EMPTY = new State(Map.of());

        State with(RailDeployment record) {
            Map<String, RailDeployment> next = new TreeMap<>(active);
            next.put(record.instance(), record);
            return new State(next);
        }

        State without(String instance) {
            Map<String, RailDeployment> next = new TreeMap<>(active);
            next.remove(instance);
            return new State(next);
        }

        Deployments listing() {
            return new Deployments(new TreeMap<>(active).values().stream().toList());
        }
    }

    private RailDeploymentRegistry(String id) {
        super(PersistenceId.of(TYPE, id),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
    }

    /** Registers the registry with Cluster Sharding on this node. */
    public static void init(ActorSystem<?> system) {
        ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
    }

    /** The cluster's registry, as a sharded entity. */
    public static EntityRef<Command> ref(ActorSystem<?> system) {
        return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, REGISTRY_ID);
    }

    public static Behavior<Command> create(String id) {
        return Behaviors.setup(ctx -> new RailDeploymentRegistry(id));
    }

    @Override
    public State emptyState() {
        return State.EMPTY;
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(100, 2);
    }

    @Override
    public EventHandler<State, SwarmMessage> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(RailDeployed.class, (state, e) -> state.with(e.record()))
                .onEvent(RailUndeployed.class, (state, e) -> state.without(e.instance()))
                .build();
    }

    @Override
    public CommandHandlerWithReply<Command, SwarmMessage, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onCommand(Deploy.class, this::onDeploy)
                .onCommand(Undeploy.class, this::onUndeploy)
                .onCommand(GetDeployments.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state.listing()))
                .build();
    }

    private ReplyEffect<SwarmMessage, State> onDeploy(State state, Deploy cmd) {
        RailDeployment record = cmd.record();
        Optional<String> problem = problem(record);
        if (problem.isPresent()) {
            return Effect().reply(cmd.replyTo(), StatusReply.error("invalid: " + problem.get()));
        }
        RailDeployment existing = state.active().get(record.instance());
        if (existing != null) {
            return existing.equals(record) ? Effect().reply(cmd.replyTo(), StatusReply.success(existing))
                    : Effect().reply(cmd.replyTo(), StatusReply.error("conflict: rail instance " + record.instance()
                            + " is already deployed (" + existing.railPath() + ", issuer " + existing.issuerDid()
                            + "); undeploy it first or deploy another --instance"));
        }
        if (state.active().size() >= MAX_DEPLOYMENTS) {
            return Effect().reply(cmd.replyTo(), StatusReply.error("conflict: the registry already holds "
                    + MAX_DEPLOYMENTS + " rail instances"));
        }
        return Effect().persist(new RailDeployed(record))
                .thenReply(cmd.replyTo(), s -> StatusReply.success(record));
    }

    /** The bytes an undeploy's signature covers: tag, instance, issuer, the deployment's time, the request's time. */
    public static byte[] undeployBytes(String instance, String issuerDid, long deployedAt, long at) {
        return (UNDEPLOY_TAG + "\n" + instance.length() + ":" + instance + "\n" + issuerDid + "\n" + deployedAt + "\n"
                + at).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Domain tag of {@link #undeployBytes}. */
    public static final String UNDEPLOY_TAG = "nexus-rail-undeploy-v1";

    private ReplyEffect<SwarmMessage, State> onUndeploy(State state, Undeploy cmd) {
        RailDeployment existing = state.active().get(cmd.instance());
        if (existing == null) {
            return Effect().reply(cmd.replyTo(), StatusReply.error("not found: no rail instance " + cmd.instance()
                    + " is deployed"));
        }
        if (existing.deployedAt() != cmd.deployedAt()) {
            return Effect().reply(cmd.replyTo(), StatusReply.error("conflict: the undeploy is for the deployment of "
                    + cmd.instance() + " made at " + cmd.deployedAt() + ", the registry holds the one made at "
                    + existing.deployedAt()));
        }
        if (!signedByIssuer(existing.issuerDid(), undeployBytes(cmd.instance(), existing.issuerDid(),
                cmd.deployedAt(), cmd.at()), cmd.signature())) {
            return Effect().reply(cmd.replyTo(), StatusReply.error("forbidden: the undeploy of " + cmd.instance()
                    + " is not signed by its rail issuer"));
        }
        return Effect().persist(new RailUndeployed(cmd.instance(), cmd.at()))
                .thenReply(cmd.replyTo(), s -> StatusReply.success(existing));
    }

    /** Why the registry will not keep {@code record}; empty when it is well-formed and signed by its issuer. */
    static Optional<String> problem(RailDeployment record) {
        if (record == null || record.pack() == null || record.rail() == null || record.instance() == null
                || record.issuerDid() == null) {
            return Optional.of("incomplete record");
        }
        if (!record.instance().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,58}")) {
            return Optional.of("bad instance name '" + clip(record.instance()) + "'");
        }
        if (!record.pack().matches("[a-z0-9][a-z0-9._-]{0,63}") || !record.rail().matches("[a-z0-9][a-z0-9._-]{0,63}")) {
            return Optional.of("bad pack or rail name");
        }
        if (!record.rebuildable()) {
            return Optional.of("an in-memory deployment (no options) cannot be shared");
        }
        if (record.issuerMlDsaKey().length() > 4096 || record.validityMillis() <= 0) {
            return Optional.of("bad issuer key or validity");
        }
        if (!record.signatureValid()) {
            return Optional.of("the record is not signed by the issuer it names");
        }
        return Optional.empty();
    }

    private static boolean signedByIssuer(String issuerDid, byte[] bytes, String signature) {
        try {
            return org.nexusswarm.actors.identity.Ed25519.verify(new org.nexusswarm.actors.identity.Did(issuerDid)
                    .publicKey(), bytes, java.util.Base64.getDecoder().decode(signature == null ? "" : signature));
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}
