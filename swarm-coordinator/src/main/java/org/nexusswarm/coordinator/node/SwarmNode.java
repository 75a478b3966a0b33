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
import org.nexusswarm.safety.registry.SafetyRegistry;
import org.nexusswarm.safety.supervisor.SafetySupervisor;

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

    private SwarmNode(ActorSystem<Void> system) {
        this.system = system;
        this.sharding = ClusterSharding.get(system);
        this.askTimeout = system.settings().config().getDuration("nexus.swarm.ask-timeout");
    }

    /**
     * Starts the node, joins the seed nodes (or itself when none are configured), registers the entity kinds
     * with sharding and waits until this member is Up.
     */
    public static SwarmNode start(Config config, Duration upTimeout) {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), SYSTEM_NAME, config);
        try {
            Cluster cluster = Cluster.get(system);
            if (config.getStringList("pekko.cluster.seed-nodes").isEmpty()) {
                cluster.manager().tell(Join.create(cluster.selfMember().address()));
            }
            SafetySupervisor.initSharding(system);
            awaitUp(cluster, upTimeout);
            return new SwarmNode(system);
        } catch (RuntimeException e) {
            system.terminate();
            throw e;
        }
    }

    private static void awaitUp(Cluster cluster, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (cluster.selfMember().status() != MemberStatus.up()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("this node did not join the cluster within " + timeout.toSeconds()
                        + " s (status " + cluster.selfMember().status() + "); check pekko.cluster.seed-nodes");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while joining the cluster", e);
            }
        }
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
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Termination is best effort at shutdown; the process exits right after.
        }
    }
}
