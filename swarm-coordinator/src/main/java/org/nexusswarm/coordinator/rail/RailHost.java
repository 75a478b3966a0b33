package org.nexusswarm.coordinator.rail;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.nexusswarm.packs.RailBlueprint;
import org.nexusswarm.safety.api.credential.RailSecret;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * One per node: keeps the node's {@link SafetyRegistry} in step with the cluster's {@link RailDeploymentRegistry}.
 * At start and every {@code refresh} it reads the deployed records and hosts each one it has not hosted yet, with
 * the rail secret from the node keystore ({@link RailKeyring}); a record it cannot host (no secret, a tampered
 * record, a pack refused here) is reported once with its typed reason; a missing secret or pack is retried at each
 * refresh, so a secret imported while the node runs is picked up, while a record refused for what it says (wrong
 * issuer, altered) is not retried. All entities of a hosted rail are registered before sharding routes
 * anything to them, so an entity rebalanced onto this node finds its spec.
 *
 * <p>Hosting is blocking (keystore, pack admission) and runs one record at a time on the blocking-I/O dispatcher.
 * Caveat: an undeployed rail stays registered on nodes already hosting it until they restart (stop its entities
 * with {@code swarm kill --rail}).
 */
public final class RailHost extends AbstractBehavior<RailHost.Command> {

    /** The host's protocol: local only (asked by the node's HTTP edge), never serialized. */
    public interface Command extends org.apache.pekko.actor.NoSerializationVerificationNeeded {}

    /** Read the registry now (also sent by the timer). */
    public enum Refresh implements Command { INSTANCE }

    /** A rail this node hosted itself (it deployed it): not to be derived again. */
    public record MarkHosted(RailDeployment record) implements Command {}

    /**
     * Answered once the registry was read and every record then listed was hosted or refused (the node's boot
     * waits for it, so entities rebalanced onto a new node find their specs).
     */
    public record AwaitSynced(ActorRef<Hosting> replyTo) implements Command {}

    /** What this node hosts or refused, by instance. */
    public record GetStatus(ActorRef<Hosting> replyTo) implements Command {}

    /** The answer to {@link GetStatus}: by instance (local only). */
    public record Hosting(Map<String, Status> byInstance) implements org.apache.pekko.actor.NoSerializationVerificationNeeded {
        public Hosting {
            byInstance = Map.copyOf(byInstance);
        }
    }

    /** This node's view of one deployed rail instance: hosted, or refused with the reason. */
    public record Status(String instance, String issuerDid, boolean hosted, String reason, String detail) {}

    private record Listed(RailDeploymentRegistry.Deployments deployments, Throwable failure) implements Command {}

    private record Finished(RailDeployment record, Status status) implements Command {}

    /** Rebuilds a record's blueprint (pack admission included); blocking. */
    public interface Blueprints extends Function<RailDeployment, RailBlueprint> {}

    private final ActorContext<Command> context;
    private final RailKeyring keyring;
    private final Blueprints blueprints;
    private final Duration askTimeout;
    private final Executor blocking;
    private final Map<String, Status> status = new TreeMap<>();
    /** Records hosted here, by identity (a redeployed instance is a new record). */
    private final Set<RailDeployment> hosted = new HashSet<>();
    /** Records refused for what they say (wrong issuer, altered): never retried; a redeployment is a new record. */
    private final Set<RailDeployment> rejected = new HashSet<>();
    private final Map<String, RailDeployment> queue = new HashMap<>();
    private RailDeployment working;
    private boolean listedOnce;
    private final List<ActorRef<Hosting>> waiting = new java.util.ArrayList<>();

    private RailHost(ActorContext<Command> context, RailKeyring keyring, Blueprints blueprints, Duration askTimeout) {
        super(context);
        this.context = context;
        this.keyring = keyring;
        this.blueprints = blueprints;
        this.askTimeout = askTimeout;
        this.blocking = context.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    }

    public static Behavior<Command> create(RailKeyring keyring, Blueprints blueprints, Duration refresh,
            Duration askTimeout) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Refresh.INSTANCE, Refresh.INSTANCE, refresh);
            ctx.getSelf().tell(Refresh.INSTANCE);
            return new RailHost(ctx, keyring, blueprints, askTimeout);
        }));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Refresh.class, r -> refresh())
                .onMessage(Listed.class, this::onListed)
                .onMessage(Finished.class, this::onFinished)
                .onMessage(MarkHosted.class, m -> {
                    hosted.add(m.record());
                    status.put(m.record().instance(), hostedStatus(m.record()));
                    return this;
                })
                .onMessage(AwaitSynced.class, a -> {
                    waiting.add(a.replyTo());
                    return next();
                })
                .onMessage(GetStatus.class, g -> {
                    g.replyTo().tell(new Hosting(status));
                    return this;
                })
                .build();
    }

    private Behavior<Command> refresh() {
        context.pipeToSelf(RailDeploymentRegistry.ref(context.getSystem()).ask(
                RailDeploymentRegistry.GetDeployments::new, askTimeout), Listed::new);
        return this;
    }

    private Behavior<Command> onListed(Listed listed) {
        if (listed.failure() != null) {
            context.getLog().debug("rail registry not reachable yet: {}", listed.failure().toString());
            return this;
        }
        listedOnce = true;
        List<RailDeployment> records = listed.deployments().records();
        Set<String> deployed = new HashSet<>();
        for (RailDeployment record : records) {
            deployed.add(record.instance());
            if (!hosted.contains(record) && !rejected.contains(record) && !record.equals(working)) {
                queue.put(record.instance(), record);
            }
        }
        // Undeployed: no longer reported (the entities stay registered until restart, see the class comment).
        status.keySet().removeIf(i -> !deployed.contains(i));
        return next();
    }

    private Behavior<Command> next() {
        if (working != null) {
            return this;
        }
        if (queue.isEmpty()) {
            if (listedOnce && !waiting.isEmpty()) {
                waiting.forEach(w -> w.tell(new Hosting(status)));
                waiting.clear();
            }
            return this;
        }
        String instance = queue.keySet().iterator().next();
        RailDeployment record = queue.remove(instance);
        working = record;
        context.pipeToSelf(CompletableFuture.supplyAsync(() -> host(record), blocking),
                (done, failure) -> new Finished(record, failure == null ? done : refused(record, "FAILED",
                        String.valueOf(failure.getCause() != null ? failure.getCause() : failure))));
        return this;
    }

    /**
     * Blocking: the secret and the record's issuer and signature are checked first (cheap), so a record this node
     * refuses never costs a pack admission; then the blueprint is rebuilt, derived and registered.
     */
    private Status host(RailDeployment record) {
        RailSecret secret = null;
        try {
            secret = keyring.require(record.instance());
            RailDeployer.check(secret, record);
            RailBlueprint blueprint = blueprints.apply(record);
            RailDeployer.host(SafetyRegistry.get(context.getSystem()), blueprint, secret, record);
            return hostedStatus(record);
        } catch (RailHostingRefused e) {
            return refused(record, e.reason().name(), e.getMessage());
        } catch (RuntimeException e) {
            return refused(record, RailHostingRefused.Reason.NOT_REBUILDABLE.name(), "rail instance "
                    + record.instance() + " not hosted here (NOT_REBUILDABLE): " + e.getMessage());
        } finally {
            if (secret != null) {
                secret.destroy();
            }
        }
    }

    private Behavior<Command> onFinished(Finished finished) {
        working = null;
        Status result = finished.status();
        Status before = status.put(finished.record().instance(), result);
        if (result.hosted()) {
            hosted.add(finished.record());
            context.getLog().info("hosting rail instance {} ({}) from the deployment registry",
                    result.instance(), finished.record().railPath());
        } else {
            if (result.reason().equals(RailHostingRefused.Reason.WRONG_ISSUER.name())
                    || result.reason().equals(RailHostingRefused.Reason.WRONG_RECORD.name())) {
                rejected.add(finished.record());
            }
        }
        if (!result.hosted() && (before == null || !result.equals(before))) {
            context.getLog().warn("{}", result.detail());
        }
        return next();
    }

    private static Status hostedStatus(RailDeployment record) {
        return new Status(record.instance(), record.issuerDid(), true, "", "hosted");
    }

    private static Status refused(RailDeployment record, String reason, String detail) {
        return new Status(record.instance(), record.issuerDid(), false, reason, detail);
    }
}
