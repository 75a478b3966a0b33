package org.nexusswarm.safety.supervisor;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.protocol.Deliver;
import org.nexusswarm.actors.protocol.DeliveryReply;
import org.nexusswarm.actors.protocol.EntityCommand;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.GetStatus;
import org.nexusswarm.actors.protocol.Kill;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.actors.serialization.UnregisteredTypeException;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.LogicContext;
import org.nexusswarm.actors.spi.LogicInput;
import org.nexusswarm.memory.chronotope.HashChain;
import org.nexusswarm.safety.registry.EntitySpec;
import org.nexusswarm.safety.registry.SafetyRegistry;
import org.nexusswarm.safety.registry.SafetySettings;
import org.nexusswarm.safety.supervisor.SafetyEvent.ActionAllowed;
import org.nexusswarm.safety.supervisor.SafetyEvent.ActionDenied;
import org.nexusswarm.safety.supervisor.SafetyEvent.ActionProposed;
import org.nexusswarm.safety.supervisor.SafetyEvent.Killed;
import org.nexusswarm.safety.supervisor.SafetyEvent.Observed;
import org.nexusswarm.safety.supervisor.SafetyEvent.Refused;
import org.nexusswarm.safety.supervisor.SupervisorState.Active;
import org.nexusswarm.safety.supervisor.SupervisorState.Quarantined;
import org.nexusswarm.safety.supervisor.EnvelopeAuthenticator.Rejected;

/**
 * The safety supervisor: the sharded, event-sourced parent of every node, agent, delegator and orchestrator.
 *
 * <p>It spawns the entity's logic as its only child and stands between that child and everything else:
 * inbound envelopes are authenticated (known sender, Ed25519 signature, registered payload type) and
 * journaled as {@code Observed} before the child sees them; the child's outbound {@link Intent}s are checked
 * against its credential and journaled as {@code ActionProposed} plus {@code ActionAllowed} or
 * {@code ActionDenied} before anything leaves; refusals are journaled and answered with a typed reason.
 * After {@code max-denials} denials, or on an operator {@link Kill}, it journals {@code Killed}, stops the
 * child and stays {@link Quarantined} — across restarts and rebalancing, since recovery rebuilds the state.
 *
 * <p>Caveat: the credential is verified once when the entity starts (not per message), by design.
 */
public final class SafetySupervisor
        extends EventSourcedBehaviorWithEnforcedReplies<EntityCommand, SafetyEvent, SupervisorState> {

    /** Internal: an intent the child sent to its outbox. */
    record FromChild(Intent intent) implements EntityCommand {}

    /** Internal: a target supervisor's answer to an envelope this entity sent. */
    record DeliveryAck(DeliveryReply reply) implements EntityCommand {}

    /** Internal: the logic child {@code logic} stopped (after exhausting its restarts, or by itself). */
    record LogicStopped(ActorRef<LogicInput> logic) implements EntityCommand {}

    /** Unauthenticated strings are clipped before they are journaled, so junk senders cannot bloat journals. */
    private static final int MAX_UNAUTHENTICATED_CHARS = 200;

    private static final SwarmKryo PAYLOADS = SwarmKryo.withoutActorRefs();

    private final ActorContext<EntityCommand> context;
    private final EntityAddress self;
    private final EntitySpec spec;
    private final SafetyRegistry registry;
    private final SafetySettings settings;
    private final EnvelopeAuthenticator authenticator;
    private final ActorRef<DeliveryReply> ackAdapter;
    /** Runtime handle of the logic child; null while quarantined. Not state: rebuilt on every start. */
    private ActorRef<LogicInput> child;
    /** Why the credential is unusable, checked once at start; empty when valid. */
    private Optional<String> credentialProblem = Optional.empty();

    private SafetySupervisor(ActorContext<EntityCommand> context, EntitySpec spec, SafetyRegistry registry) {
        super(PersistenceId.of(spec.address().kind().typeKey().name(), spec.address().id()),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
        this.context = context;
        this.self = spec.address();
        this.spec = spec;
        this.registry = registry;
        this.settings = registry.settings();
        this.authenticator = new EnvelopeAuthenticator(registry.identities(), PAYLOADS, settings.maxPayloadBytes());
        this.ackAdapter = context.messageAdapter(DeliveryReply.class, DeliveryAck::new);
    }

    /** Registers all four entity kinds with Cluster Sharding on this node. */
    public static void initSharding(ActorSystem<?> system) {
        ClusterSharding sharding = ClusterSharding.get(system);
        for (EntityKind kind : EntityKind.values()) {
            sharding.init(Entity.of(kind.typeKey(), ctx -> create(new EntityAddress(kind, ctx.getEntityId()))));
        }
        SafetyRegistry.get(system).useRouter((target, message) ->
                sharding.entityRefFor(target.kind().typeKey(), target.id()).tell(message));
    }

    /** The supervisor of {@code address}, or a refusing stand-in when nothing is deployed under it. */
    public static Behavior<EntityCommand> create(EntityAddress address) {
        return Behaviors.setup(ctx -> {
            SafetyRegistry registry = SafetyRegistry.get(ctx.getSystem());
            return registry.spec(address)
                    .<Behavior<EntityCommand>>map(spec -> new SafetySupervisor(ctx, spec, registry))
                    .orElseGet(() -> NotDeployed.behavior(address));
        });
    }

    @Override
    public SupervisorState emptyState() {
        return SupervisorState.initial();
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), 2);
    }

    @Override
    public SignalHandler<SupervisorState> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), this::onRecovered)
                .build();
    }

    private void onRecovered(SupervisorState state) {
        credentialProblem = spec.credential().problemFor(spec.keys().did(), registry.trustedIssuers(),
                System.currentTimeMillis());
        credentialProblem.ifPresent(p -> context.getLog().warn("{}: {}", self, p));
        if (state instanceof Active) {
            spawnChild();
        } else if (state instanceof Quarantined q) {
            context.getLog().info("{} recovered quarantined ({}); logic not started", self, q.reason());
        }
    }

    private void spawnChild() {
        ActorRef<Intent> outbox = context.messageAdapter(Intent.class, FromChild::new);
        Behavior<LogicInput> logic = spec.logic().create(new LogicContext(self, spec.place(), outbox));
        child = context.spawn(
                Behaviors.supervise(logic).onFailure(SupervisorStrategy.restart().withLimit(3, Duration.ofMinutes(1))),
                "logic");
        context.watchWith(child, new LogicStopped(child));
    }

    private void stopChild() {
        if (child != null) {
            context.stop(child);
            child = null;
        }
    }

    @Override
    public EventHandler<SupervisorState, SafetyEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(SupervisorState::apply);
    }

    @Override
    public CommandHandlerWithReply<EntityCommand, SafetyEvent, SupervisorState> commandHandler() {
        CommandHandlerWithReplyBuilder<EntityCommand, SafetyEvent, SupervisorState> builder =
                newCommandHandlerWithReplyBuilder();
        builder.forStateType(Active.class)
                .onCommand(Deliver.class, this::onDeliver)
                .onCommand(FromChild.class, this::onIntent)
                .onCommand(Kill.class, this::onKill)
                .onCommand(LogicStopped.class, this::onLogicStopped);
        builder.forStateType(Quarantined.class)
                .onCommand(LogicStopped.class, (state, cmd) -> Effect().noReply())
                .onCommand(Deliver.class, this::refuseWhileQuarantined)
                // The child may have sent intents just before it was stopped: nothing left to decide.
                .onCommand(FromChild.class, (state, cmd) -> Effect().noReply())
                .onCommand(Kill.class, (state, cmd) -> Effect().reply(cmd.replyTo(), status(state)));
        builder.forAnyState()
                .onCommand(GetStatus.class, (state, cmd) -> Effect().reply(cmd.replyTo(), status(state)))
                .onCommand(DeliveryAck.class, this::onDeliveryAck);
        return builder.build();
    }

    private ReplyEffect<SafetyEvent, SupervisorState> onDeliver(Active state, Deliver cmd) {
        SignedEnvelope envelope = cmd.envelope();
        EventAppender events = appender(state);
        String digest = HashChain.sha256Hex(envelope.signedBytes());
        EnvelopeAuthenticator.Result result = authenticator.check(envelope, self);
        if (result instanceof EnvelopeAuthenticator.Rejected rejected) {
            return refuse(events, envelope, digest, rejected.code(), rejected.detail(), cmd.replyTo());
        }
        var payload = ((EnvelopeAuthenticator.Authentic) result).payload();
        Observed observed = events.appendReceived(envelope.hlc(), c -> new Observed(c, envelope.sender(),
                envelope.senderDid(), payload.getClass().getSimpleName(), envelope.nonce()), digest);
        return Effect().persist(observed)
                .thenRun(s -> child.tell(new LogicInput.Inbound(envelope.sender(), payload)))
                .thenReply(cmd.replyTo(), s -> new DeliveryReply.Accepted(self.toString(),
                        observed.chronotope().sequence()));
    }

    private ReplyEffect<SafetyEvent, SupervisorState> refuseWhileQuarantined(Quarantined state, Deliver cmd) {
        SignedEnvelope envelope = cmd.envelope();
        return refuse(appender(state), envelope, HashChain.sha256Hex(envelope.signedBytes()), RefusalCode.QUARANTINED,
                self + " is quarantined: " + state.reason(), cmd.replyTo());
    }

    private ReplyEffect<SafetyEvent, SupervisorState> refuse(EventAppender events, SignedEnvelope envelope,
            String digest, RefusalCode code, String detail, ActorRef<DeliveryReply> replyTo) {
        Refused refused = events.append(c -> new Refused(c, clip(envelope.sender()), clip(envelope.senderDid()), code,
                clip(detail)), digest);
        return Effect().persist(refused).thenReply(replyTo, s -> new DeliveryReply.Refused(self.toString(), code,
                refused.detail(), refused.chronotope().sequence()));
    }

    private ReplyEffect<SafetyEvent, SupervisorState> onIntent(Active state, FromChild cmd) {
        Intent intent = cmd.intent();
        EventAppender events = appender(state);
        String payloadType = intent.payload() == null ? "none" : intent.payload().getClass().getSimpleName();
        byte[] payloadBytes = new byte[0];
        Optional<Rejected> rejection;
        try {
            payloadBytes = PAYLOADS.toBytes(intent.payload());
            rejection = checkCredential(intent).map(reason -> new Rejected(RefusalCode.NOT_IN_CREDENTIAL, reason));
        } catch (UnregisteredTypeException e) {
            rejection = Optional.of(new Rejected(RefusalCode.UNREGISTERED_TYPE, e.getMessage()));
        }
        String digest = HashChain.sha256Hex(payloadBytes);
        ActionProposed proposed = events.append(c -> new ActionProposed(c, intent.intentId(), intent.actionClass(),
                String.valueOf(intent.target()), payloadType, spec.logic().version()), digest);
        if (rejection.isPresent()) {
            return deny(events, state, proposed, intent, rejection.get(), digest);
        }
        ActionAllowed allowed = events.append(c -> new ActionAllowed(c, intent.intentId(), intent.actionClass(),
                intent.target().toString(), "credential " + spec.credential().id()), digest);
        // The allowed event's sequence is this sender's nonce: unique per journal, and replays reproduce it.
        SignedEnvelope envelope = SignedEnvelope.sign(spec.keys(), self.toString(), intent.target().toString(),
                allowed.chronotope().sequence(), allowed.chronotope().hlc(), payloadBytes);
        return Effect().persist(List.of(proposed, allowed))
                .thenRun(s -> {
                    registry.router().deliver(intent.target(), new Deliver(envelope, ackAdapter));
                    child.tell(new LogicInput.IntentOutcome(intent.intentId(), true, allowed.rule()));
                })
                .thenNoReply();
    }

    /** Journals proposal and denial (and the kill, when this denial reaches the limit) in one atomic write. */
    private ReplyEffect<SafetyEvent, SupervisorState> deny(EventAppender events, Active state,
            ActionProposed proposed, Intent intent, Rejected rejection, String digest) {
        int denials = state.denials() + 1;
        ActionDenied denied = events.append(c -> new ActionDenied(c, intent.intentId(), intent.actionClass(),
                rejection.code(), rejection.detail(), denials), digest);
        if (denials >= settings.maxDenials()) {
            Killed killed = events.append(c -> new Killed(c, "safety-layer", denials + " denied intents (limit "
                    + settings.maxDenials() + "), last: " + rejection.code()), digest);
            return Effect().persist(List.of(proposed, denied, killed))
                    .thenRun(s -> stopChild())
                    .thenNoReply();
        }
        return Effect().persist(List.of(proposed, denied))
                .thenRun(s -> child.tell(new LogicInput.IntentOutcome(intent.intentId(), false,
                        rejection.code() + ": " + rejection.detail())))
                .thenNoReply();
    }

    private Optional<String> checkCredential(Intent intent) {
        if (credentialProblem.isPresent()) {
            return credentialProblem;
        }
        if (intent.target() == null) {
            return Optional.of("intent " + intent.intentId() + " names no target");
        }
        if (!spec.credential().allows(intent.actionClass())) {
            return Optional.of("action class '" + intent.actionClass() + "' is not in credential "
                    + spec.credential().id() + " (allowed: " + spec.credential().allowedActions() + ")");
        }
        return Optional.empty();
    }

    private ReplyEffect<SafetyEvent, SupervisorState> onKill(Active state, Kill cmd) {
        Killed killed = appender(state).append(c -> new Killed(c, "operator " + cmd.operator(), cmd.reason()), "");
        return Effect().persist(killed)
                .thenRun(s -> stopChild())
                .thenReply(cmd.replyTo(), this::status);
    }

    /**
     * A logic that stopped on its own (it failed more often than its restart limit allows) cannot be trusted to
     * resume: the entity is quarantined like a killed one. Stale notices from an earlier incarnation are ignored.
     */
    private ReplyEffect<SafetyEvent, SupervisorState> onLogicStopped(Active state, LogicStopped cmd) {
        if (child == null || !child.equals(cmd.logic())) {
            return Effect().noReply();
        }
        child = null;
        Killed killed = appender(state).append(c -> new Killed(c, "safety-layer",
                "logic " + spec.logic().version() + " stopped after repeated failures"), "");
        return Effect().persist(killed).thenNoReply();
    }

    private ReplyEffect<SafetyEvent, SupervisorState> onDeliveryAck(SupervisorState state, DeliveryAck ack) {
        if (ack.reply() instanceof DeliveryReply.Refused refused) {
            context.getLog().warn("{}: delivery refused: {}", self, refused);
        }
        return Effect().noReply();
    }

    private static String clip(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= MAX_UNAUTHENTICATED_CHARS ? s : s.substring(0, MAX_UNAUTHENTICATED_CHARS) + "…";
    }

    private EventAppender appender(SupervisorState state) {
        return new EventAppender(state.chain(), spec.place(), System.currentTimeMillis());
    }

    private EntityStatus status(SupervisorState state) {
        String reason = state instanceof Quarantined q ? q.reason() : "";
        return new EntityStatus(self, state instanceof Quarantined, state.denials(), state.chain().sequence(), reason);
    }
}
