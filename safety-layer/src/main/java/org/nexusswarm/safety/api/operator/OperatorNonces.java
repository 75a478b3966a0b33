package org.nexusswarm.safety.api.operator;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.memory.chronotope.HashChain;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused.Code;

/**
 * The replay guard of operator commands: one sharded, event-sourced entity per operator ({@link #ENTITY_KEY}
 * "operator-nonces", id a hash of the operator's DID) that journals every {@code jti} it accepts, so a command
 * replayed after a restart, or at another node, is still refused.
 *
 * <p>Bounded by expiry: a nonce is forgotten once its token has expired beyond the clock skew (no such token
 * passes the verifier any more), and snapshots delete the events before them, so neither the state nor the
 * journal grows with the number of commands ever sent. More than {@code max-live-nonces} unexpired nonces
 * of one operator are refused (fail closed) rather than remembered.
 */
public final class OperatorNonces
        extends EventSourcedBehaviorWithEnforcedReplies<OperatorNonces.Command, OperatorNonces.Claimed,
        OperatorNonces.State> {

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "operator-nonces");

    /** The ledger's protocol. */
    public interface Command extends SwarmMessage {}

    /** Remember {@code jti} until {@code expiresAtMillis}; an error reply when it is already remembered. */
    public record Claim(String jti, long expiresAtMillis, ActorRef<StatusReply<Done>> replyTo) implements Command {}

    /** Journaled: a nonce accepted at {@code claimedAtMillis} (which also drives forgetting, deterministically). */
    public record Claimed(String jti, long expiresAtMillis, long claimedAtMillis) implements SwarmMessage {}

    /** Unexpired nonces and their expiry. */
    public record State(Map<String, Long> used) implements SwarmMessage {
        public State {
            used = Map.copyOf(used);
        }

        State apply(Claimed e, long retainMillis) {
            Map<String, Long> next = new HashMap<>(used.size() + 1);
            used.forEach((jti, exp) -> {
                if (exp + retainMillis >= e.claimedAtMillis()) {
                    next.put(jti, exp);
                }
            });
            next.put(e.jti(), e.expiresAtMillis());
            return new State(next);
        }

        long live(long now, long retainMillis) {
            return used.values().stream().filter(exp -> exp + retainMillis >= now).count();
        }
    }

    private final Clock clock;
    private final OperatorCommandSettings settings;

    private OperatorNonces(PersistenceId id, Clock clock, OperatorCommandSettings settings) {
        super(id, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
        this.clock = clock;
        this.settings = settings;
    }

    public static Behavior<Command> create(String entityId, Clock clock, OperatorCommandSettings settings) {
        return Behaviors.setup(ctx -> new OperatorNonces(PersistenceId.of(ENTITY_KEY.name(), entityId), clock,
                settings));
    }

    /** Registers the ledger with Cluster Sharding on this node (idempotent). */
    public static void init(ActorSystem<?> system, Clock clock, OperatorCommandSettings settings) {
        ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId(), clock, settings)));
    }

    /** The entity id of an operator's ledger: a hash, so no DID text reaches a persistence id. */
    public static String entityIdOf(String issuerDid) {
        return HashChain.sha256Hex(issuerDid.getBytes(StandardCharsets.UTF_8)).substring(0, 32);
    }

    /** A ledger over the sharded entities of {@code system} ({@link #init} must have run). */
    public static NonceLedger sharded(ActorSystem<?> system, OperatorCommandSettings settings) {
        ClusterSharding sharding = ClusterSharding.get(system);
        return (issuerDid, jti, expiresAtMillis) -> sharding.entityRefFor(ENTITY_KEY, entityIdOf(issuerDid))
                .<StatusReply<Done>>ask(replyTo -> new Claim(jti, expiresAtMillis, replyTo), settings.askTimeout())
                .handle((reply, failure) -> {
                    if (failure != null) {
                        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                                ? failure.getCause() : failure;
                        throw new OperatorCommandRefused(Code.UNAVAILABLE, "the replay guard did not answer: "
                                + cause.getMessage());
                    }
                    if (reply.isError()) {
                        throw new OperatorCommandRefused(Code.REPLAYED, reply.getError().getMessage());
                    }
                    return null;
                });
    }

    @Override
    public State emptyState() {
        return new State(Map.of());
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(100, 2).withDeleteEventsOnSnapshot();
    }

    @Override
    public EventHandler<State, Claimed> eventHandler() {
        long retain = settings.clockSkew().toMillis();
        return newEventHandlerBuilder().forAnyState().onAnyEvent((state, e) -> state.apply(e, retain));
    }

    @Override
    public CommandHandlerWithReply<Command, Claimed, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState().onCommand(Claim.class, this::onClaim).build();
    }

    private ReplyEffect<Claimed, State> onClaim(State state, Claim cmd) {
        long now = clock.millis();
        long retain = settings.clockSkew().toMillis();
        if (cmd.jti() == null || cmd.jti().isEmpty() || cmd.jti().length() > 128) {
            return Effect().reply(cmd.replyTo(), StatusReply.error("not a nonce"));
        }
        if (state.used().containsKey(cmd.jti())) {
            return Effect().reply(cmd.replyTo(), StatusReply.error("nonce " + cmd.jti()
                    + " was already used; sign a fresh command"));
        }
        if (cmd.expiresAtMillis() + retain < now) {
            return Effect().reply(cmd.replyTo(), StatusReply.error("the command has expired"));
        }
        if (state.live(now, retain) >= settings.maxLiveNonces()) {
            return Effect().reply(cmd.replyTo(), StatusReply.error("this operator has "
                    + settings.maxLiveNonces() + " unexpired commands already; wait for them to expire"));
        }
        return Effect().persist(new Claimed(cmd.jti(), cmd.expiresAtMillis(), now))
                .thenReply(cmd.replyTo(), s -> StatusReply.ack());
    }
}
