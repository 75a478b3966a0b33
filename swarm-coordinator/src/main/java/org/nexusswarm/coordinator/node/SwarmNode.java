package org.nexusswarm.coordinator.node;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.protocol.EntityCommand;
import org.nexusswarm.safety.api.registry.SafetyRegistry;
import java.util.List;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.SwarmKeyPair;
import org.nexusswarm.coordinator.http.ApprovalRoutes;
import org.nexusswarm.coordinator.http.CredentialRoutes;
import org.nexusswarm.coordinator.http.KillSwitchRoutes;
import org.nexusswarm.coordinator.http.OperatorApi;
import org.nexusswarm.coordinator.http.PolicyRoutes;
import org.nexusswarm.coordinator.http.ReleaseRoutes;
import org.nexusswarm.safety.api.SafetyLayer;
import org.apache.pekko.actor.typed.Props;
import org.nexusswarm.coordinator.http.RailRoutes;
import org.nexusswarm.coordinator.rail.RailDeploymentRegistry;
import org.nexusswarm.coordinator.rail.RailDeployments;
import org.nexusswarm.coordinator.rail.RailHost;
import org.nexusswarm.coordinator.rail.RailKeyring;

/**
 * One swarm node: a Pekko cluster member with Cluster Sharding initialised for the four entity kinds, each
 * entity a safety supervisor. Boot and shutdown block the calling thread: this is edge code for the command
 * line and tests, never called from inside an actor.
 */
public final class SwarmNode implements AutoCloseable {

    public static final String SYSTEM_NAME = "nexus-swarm";

    private final ActorSystem<Void> system;
    private final ClusterSharding sharding;
    private final Duration askTimeout;
    private final SwarmKeyPair bootstrapOperator;
    private final OperatorApi operatorApi;
    private final RailDeployments rails;

    private SwarmNode(ActorSystem<Void> system, SwarmKeyPair bootstrapOperator, OperatorApi operatorApi,
            RailDeployments rails) {
        this.system = system;
        this.sharding = ClusterSharding.get(system);
        this.askTimeout = system.settings().config().getDuration("nexus.swarm.ask-timeout");
        this.bootstrapOperator = bootstrapOperator;
        this.operatorApi = operatorApi;
        this.rails = rails;
    }

    /** Key of how often a node reads the rail deployment registry to host newly deployed rails. */
    public static final String RAIL_REFRESH_KEY = "nexus.swarm.rails.refresh-interval";

    /**
     * Starts the node, joins the seed nodes (or itself when none are configured), registers the entity kinds
     * with sharding and waits until this member is Up.
     */
    public static SwarmNode start(Config givenConfig, Duration upTimeout) {
        // A node given no roles hosts every entity kind.
        Config config = NodeRoles.withDefaults(givenConfig);
        // What this build decodes, for the join-time check against the cluster's (KryoJoinCheck). A value
        // already set wins: tests play a node of another build with it.
        if (!config.hasPath(KryoJoinCheck.KEY)) {
            config = config.withValue(KryoJoinCheck.KEY, com.typesafe.config.ConfigValueFactory.fromAnyRef(
                    org.nexusswarm.actors.serialization.SwarmKryo.withoutActorRefs().fingerprint()));
        }
        // Bad input fails here, before anything starts, as one sentence (NodeStartException).
        List<org.apache.pekko.actor.Address> seeds = JoinGuard.seeds(config, SYSTEM_NAME);
        JoinGuard.checkRemotingPortFree(config);
        ActorSystem<Void> system;
        try {
            system = ActorSystem.create(Behaviors.empty(), SYSTEM_NAME, config);
        } catch (RuntimeException e) {
            throw JoinGuard.translateStartFailure(e, config);
        }
        try {
            Cluster cluster = Cluster.get(system);
            if (seeds.isEmpty()) {
                cluster.manager().tell(Join.create(cluster.selfMember().address()));
            }
            // Checkpoints are signed with this node's keystore key before any entity can write one.
            SafetyRegistry.get(system).useCheckpointSigner(org.nexusswarm.safety.api.registry.NodeKeyStore
                    .loadOrCreate(java.nio.file.Path.of(config.getString("nexus.swarm.memory.node-keystore-file")),
                            java.nio.file.Path.of(config.getString("nexus.swarm.memory.trusted-nodes-file")),
                            org.nexusswarm.safety.api.registry.NodeKeyStore.passwordFromEnvironment()));
            SafetyLayer.start(system);
            system.systemActorOf(RoleCoverageWatch.create(), "role-coverage",
                    org.apache.pekko.actor.typed.Props.empty());
            RailDeploymentRegistry.init(system);
            awaitUp(cluster, upTimeout, seeds, config.getString("pekko.remote.artery.transport"));
            awaitRestored(system, upTimeout);
            // The node's own operator identity: it installs the policies the deployed packs ship, through the
            // same signed, journaled policy change any operator makes.
            SwarmKeyPair bootstrap = Ed25519.generate();
            SafetyRegistry.get(system).identities().admit(bootstrap.did(),
                    "operator:bootstrap@" + cluster.selfMember().address().hostPort());
            Duration timeout = config.getDuration("nexus.swarm.ask-timeout");
            Duration refresh = config.hasPath(RAIL_REFRESH_KEY) ? config.getDuration(RAIL_REFRESH_KEY)
                    : Duration.ofSeconds(5);
            // Hosts every deployed rail whose secret this node's keystore holds, now and as rails are deployed.
            RailKeyring keyring = RailKeyring.of(config);
            ActorRef<RailHost.Command> host = system.systemActorOf(RailHost.create(keyring,
                    RailDeployments.blueprints(config), refresh, timeout), "rail-host", Props.empty());
            awaitRailsHosted(system, host, timeout);
            RailDeployments rails = new RailDeployments(system, keyring, bootstrap, timeout, host);
            OperatorApi api = startOperatorApi(system, config, new RailRoutes(system, rails, host, timeout));
            return new SwarmNode(system, bootstrap, api, rails);
        } catch (RuntimeException e) {
            system.terminate();
            throw e;
        }
    }

    private static OperatorApi startOperatorApi(ActorSystem<?> system, Config config, RailRoutes railRoutes) {
        Duration timeout = config.getDuration("nexus.swarm.ask-timeout");
        String where = config.getString("nexus.swarm.operator-api.host") + ":"
                + config.getInt("nexus.swarm.operator-api.port");
        try {
            return OperatorApi.start(system, List.of(new ApprovalRoutes(system, timeout), new CredentialRoutes(system),
                    new PolicyRoutes(system, timeout), new KillSwitchRoutes(system), new ReleaseRoutes(system),
                    new org.nexusswarm.coordinator.http.ClusterStatusRoutes(system, timeout),
                    new org.nexusswarm.coordinator.http.EntityStatusRoutes(system, timeout), railRoutes))
                    .toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            throw new NodeStartException(NodeStartException.Problem.PORT_IN_USE, "cannot start the operator HTTP "
                    + "API on " + where + ": " + cause.getMessage()
                    + " (set nexus.swarm.operator-api.port / NEXUS_OPERATOR_API_PORT, 0 = any free port)", cause);
        }
    }

    /** The node's rail deployment service (the cluster's registry, this node's keystore). */
    public RailDeployments rails() {
        return rails;
    }

    /** The operator HTTP API of this node, e.g. {@code http://127.0.0.1:8558}. */
    public String operatorApiUrl() {
        return operatorApi.url();
    }

    /** The node's own operator key, admitted as {@code operator:bootstrap@host:port}. Never leaves the node. */
    public SwarmKeyPair bootstrapOperator() {
        return bootstrapOperator;
    }

    /** Waits (bounded) until the rail host has read the registry once and hosted what this node can. */
    private static void awaitRailsHosted(ActorSystem<?> system, ActorRef<RailHost.Command> host, Duration timeout) {
        try {
            org.apache.pekko.actor.typed.javadsl.AskPattern.<RailHost.Command, RailHost.Hosting>ask(host,
                    RailHost.AwaitSynced::new, timeout, system.scheduler()).toCompletableFuture()
                    .get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS).byInstance().values().stream()
                    .filter(s -> !s.hosted())
                    .forEach(s -> system.log().warn("{}", s.detail()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // The registry is not readable yet (journal starting): the rail host keeps trying in the background.
            system.log().warn("the rail deployment registry was not read within {} s; rails are hosted when it is",
                    timeout.toSeconds());
        }
    }

    /** The journaled kill switch, revocations and operators are in force before the operator API opens. */
    private static void awaitRestored(ActorSystem<?> system, Duration timeout) {
        try {
            SafetyLayer.restored(system).toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the kill switch, revocations and operators could not be read from the "
                    + "journal within " + timeout.toSeconds() + " s; is Cassandra reachable?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while restoring the safety state", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("restoring the safety state failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Admits an operator cluster-wide: a signed {@code operator-admit} command from this node's bootstrap operator,
     * journaled by the operator ledger. Returns empty when journaled, or why not (then the caller may admit locally).
     */
    public java.util.Optional<String> admitOperator(String name, String did) {
        String token = org.nexusswarm.safety.api.operator.OperatorTokens.sign(bootstrapOperator,
                org.nexusswarm.safety.api.operator.OperatorCommandSettings.audienceOf(system),
                org.nexusswarm.safety.api.operator.OperatorCommandKind.ADMIT_OPERATOR,
                org.nexusswarm.safety.api.operator.OperatorTokens.body("did", did, "name", name));
        try {
            org.nexusswarm.safety.api.operator.OperatorCommands.get(system).admitOperator(token).toCompletableFuture()
                    .get(askTimeout.toMillis() * 2, TimeUnit.MILLISECONDS);
            return java.util.Optional.empty();
        } catch (java.util.concurrent.ExecutionException e) {
            return java.util.Optional.of(String.valueOf(e.getCause().getMessage()));
        } catch (java.util.concurrent.TimeoutException e) {
            return java.util.Optional.of("no answer from the operator ledger in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.of("interrupted");
        }
    }

    private static void awaitUp(Cluster cluster, Duration timeout, List<org.apache.pekko.actor.Address> seeds,
            String transport) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (cluster.selfMember().status() != MemberStatus.up()) {
            if (System.nanoTime() > deadline) {
                throw JoinGuard.joinTimedOut(seeds, cluster.selfMember().address(), timeout,
                        String.valueOf(cluster.selfMember().status()), transport);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while joining the cluster", e);
            }
        }
    }

    /** This node's roles (the entity kinds it hosts, see {@link NodeRoles}). */
    public List<String> roles() {
        return system.settings().config().getStringList(NodeRoles.ROLES_KEY);
    }

    /** The deployed entity kinds that no Up member has the role for (their messages wait in sharding's buffers). */
    public List<org.nexusswarm.actors.entity.EntityKind> missingRoles() {
        return RoleCoverageWatch.missing(system);
    }

    public ActorSystem<Void> system() {
        return system;
    }

    public SafetyRegistry registry() {
        return SafetyRegistry.get(system);
    }

    public Duration askTimeout() {
        return askTimeout;
    }

    /** Asks an entity (through sharding) and returns the pending answer. */
    public <R> CompletionStage<R> ask(EntityAddress target, Function<ActorRef<R>, EntityCommand> message) {
        return sharding.entityRefFor(target.kind().typeKey(), target.id()).ask(message::apply, askTimeout);
    }

    /** Leaves the cluster and terminates the actor system, waiting up to 30 s. */
    @Override
    public void close() {
        // The operator API unbinds itself during the system's coordinated shutdown.
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Termination is best effort at shutdown; the process exits right after.
        }
    }
}
