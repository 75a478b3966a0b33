package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;




import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
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
import org.nexusswarm.actors.protocol.RequestRelease;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused;
import org.nexusswarm.safety.api.operator.VerifiedOperatorCommand;
import org.nexusswarm.actors.protocol.SignedEnvelope;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.actors.serialization.UnregisteredTypeException;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.actors.spi.AgentContext;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.memory.chronotope.HashChain;
import org.nexusswarm.safety.internal.approval.ApprovalProof;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.internal.approval.IntentDigest;
import org.nexusswarm.safety.internal.auth.SessionAuthenticator;
import org.nexusswarm.safety.api.credential.CredentialProblem;
import org.nexusswarm.safety.internal.monitor.Assessment;
import org.nexusswarm.safety.internal.monitor.EscalationLevel;
import org.nexusswarm.safety.internal.monitor.KillSwitch;
import org.nexusswarm.safety.internal.monitor.Observation;
import org.nexusswarm.safety.internal.monitor.TrajectoryStats;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.internal.provenance.CauseChain;
import org.nexusswarm.safety.internal.provenance.ChainCheck;
import org.nexusswarm.safety.internal.provenance.InputHistory;
import org.nexusswarm.safety.internal.provenance.ProvenanceFrame;
import org.nexusswarm.safety.api.registry.EntitySpec;
import org.nexusswarm.safety.api.registry.SafetyRegistry;
import org.nexusswarm.safety.internal.registry.SafetyServices;
import org.nexusswarm.safety.api.registry.SafetySettings;
import org.nexusswarm.safety.internal.supervisor.EnvelopeAuthenticator.Rejected;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionAllowed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionDenied;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionProposed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ApprovalRequested;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ApprovalResolved;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Escalated;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.IntentHeld;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.OperatorCommandTaken;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Killed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Observed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Refused;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.RefusalsAggregated;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ReleaseRequested;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Released;
import org.nexusswarm.safety.internal.supervisor.SupervisorState.Active;
import org.nexusswarm.safety.internal.supervisor.SupervisorState.Quarantined;

/**
 * The safety supervisor: the sharded, event-sourced parent of every node, agent, delegator and orchestrator.
 *
 * <p>It spawns the entity's logic as its only child and stands between that child and everything else:
 * <ul>
 *   <li>inbound envelopes are authenticated ({@link EnvelopeAuthenticator}: admitted sender, session MAC or
 *       Ed25519 signature, fresh nonce, not stale, registered payload type) and journaled as
 *       {@code Observed} before the child sees them, or journaled as {@code Refused} and answered with a
 *       typed reason; refusals of unauthenticated traffic are counted per source and reason, and only the first
 *       of each per interval is journaled on its own, the rest as one {@code RefusalsAggregated}
 *       ({@link RefusalTally}), so a flood cannot grow the journal without bound;</li>
 *   <li>the child's outbound {@link Intent}s are decided by {@link OutboundDecider} (credential, payload,
 *       monitors, policy) on the parameters read from the payload that would be sent ({@link PayloadParameters}),
 *       and journaled as {@code ActionProposed} plus {@code ActionAllowed}, {@code ActionDenied} or
 *       {@code ApprovalRequested} before anything leaves; an intent waiting for approvers stays in the
 *       journaled state (with its payload) until the approval request reports back;</li>
 *   <li>every decision feeds the trajectory monitors; a new rung of the escalation ladder is journaled
 *       ({@code Escalated}); the KILL rung, {@code max-denials} denials, an operator {@link Kill} or a
 *       cluster-wide kill switch covering the entity journal {@code Killed}, stop the child and quarantine
 *       the entity — across restarts and rebalancing, since recovery rebuilds the state; the intent that would
 *       reach the KILL rung is denied, never sent, and intents or envelopes arriving after the kill are refused
 *       and journaled;</li>
 *   <li>a quarantined entity is released only when the approvers its policy names for
 *       {@code safety.release} approve; then the logic starts afresh.</li>
 * </ul>
 *
 * <p>Caveat: credential signatures are verified once when the entity starts (not per message), by design; a
 * credential that does not verify keeps the logic from starting, and the entity refuses every envelope
 * ({@code INVALID_CREDENTIAL}, journaled). Revocation, validity window and scope are checked on every intent.
 */
public final class SafetySupervisor
        extends EventSourcedBehaviorWithEnforcedReplies<EntityCommand, SafetyEvent, SupervisorState> {

    // Internal commands: private (nothing outside can construct one) and never Kryo-registered (nothing can send
    // one over the wire or through sharding), so only this supervisor and its own adapters and timers send them.

    /**
     * Marks the internal commands. They are exempt from Pekko's serialization check in tests
     * ({@code serialize-messages}), because they never leave this JVM: that is the point.
     */
    private interface Internal extends EntityCommand, org.apache.pekko.actor.NoSerializationVerificationNeeded {}

    /** Internal: an intent the child sent to its outbox, with the cause chain of the input that produced it. */
    private record FromChild(Intent intent, CauseChain cause, InputHistory history) implements Internal {}

    /** Internal: a target supervisor's answer to an envelope this entity sent. */
    private record DeliveryAck(DeliveryReply reply) implements Internal {}

    /** Internal: the logic child {@code logic} stopped (after exhausting its restarts, or by itself). */
    private record LogicStopped(ActorRef<LogicChild.Feed> logic) implements Internal {}

    /** Internal: the cluster-wide kill switch changed. */
    private record KillSwitchNotice(KillSwitch.Changed change) implements Internal {}

    /** Internal: no decision arrived for a waiting intent (or release) by its deadline. */
    private record ApprovalExpired(String approvalId) implements Internal {}

    /** Internal: the refusal-counting interval ended; journal what was counted. Also the timer's key. */
    private enum FlushRefusals implements Internal { INSTANCE }

    /** Internal: the throttle bucket may have a token again; decide the oldest held intent. */
    private enum ReleaseHeld implements Internal { INSTANCE }

    /** Internal: the logic was stopped; the intents the throttle still holds are journaled as refused. */
    private record HeldAtStop() implements Internal {}

    private static final String RELEASE_HELD_TIMER = "throttle-release";

    /** Unauthenticated strings are clipped before they are journaled, so junk senders cannot bloat journals. */
    private static final int MAX_UNAUTHENTICATED_CHARS = 200;
    /** Extra time a supervisor gives an approval request beyond its own timeout before giving up on it. */
    private static final Duration APPROVAL_GRACE = Duration.ofSeconds(30);
    private static final SwarmKryo PAYLOADS = SwarmKryo.withoutActorRefs();

    private final ActorContext<EntityCommand> context;
    private final TimerScheduler<EntityCommand> timers;
    private final EntityAddress self;
    private final EntitySpec spec;
    private final SafetyRegistry registry;
    private final SafetyServices services;
    private final SafetySettings settings;
    private final SessionAuthenticator sessions;
    private final EnvelopeAuthenticator authenticator;
    private final ActorRef<DeliveryReply> ackAdapter;
    /**
     * The logic's payload declarations: how parameters are read from what an intent sends. Like the version and
     * the accepted inputs, read once per start by the logic child on a watchdog thread (pack code never runs on
     * this actor's thread) and handed over in {@link LogicChild.Ready}; until then commands wait in the stash.
     */
    private PayloadParameters payloadParameters = PayloadParameters.broken("", "the logic has not started");
    /** The logic's version, clipped for the journal: the last one journaled until the logic declares it. */
    private String logicVersion = "";
    /**
     * When this incarnation started: operator commands issued before it (beyond clock skew) are taken as replays.
     * The commands taken are journaled ({@link TakenCommands}), which covers every command this build took; this
     * still covers those a build before stored format 4 took without journaling them (a captured one could
     * otherwise be re-sent once to the upgraded entity). System time, as the operator-command verifier reads it.
     */
    private final long incarnationStartMillis;
    private static final long OPERATOR_CLOCK_SKEW_MILLIS = 30_000;
    /** Which inbound payload types the logic declares it takes ({@code AgentLogic.accepts()}, read per start). */
    private java.util.function.Predicate<Class<?>> acceptsInput = type -> false;
    /** Whether the running logic child has declared itself ({@link LogicChild.Ready}); commands wait until it has. */
    private boolean childReady;
    /** Whether the approvals pending at recovery are still to be asked for again (once the logic declared itself). */
    private boolean reopenPendingWhenReady;
    /** Recovered Active under an engaged kill switch: everything waits until Killed is journaled. */
    private boolean killAtStart;
    /** Unauthenticated refusals counted towards the next RefusalsAggregated (runtime only). */
    private final RefusalTally refusals;
    private final String persistenceId;
    /** Runtime handle of the logic child; null while quarantined. Not state: rebuilt on every start. */
    private ActorRef<LogicChild.Feed> child;
    /**
     * Whether this incarnation of the logic has been journaled ({@code Started}). Not state: every new logic
     * child (recovery, rebalancing, release) starts with empty memory, and a replay must know where.
     */
    private boolean startJournaled;
    /** What is wrong with the credential's signatures, subject or issuer (checked once per start). */
    private Optional<CredentialProblem> credentialProblem = Optional.empty();
    /**
     * The input histories of the intents the throttle holds (they are state: {@code Memory.held}), by the sequence
     * of their IntentHeld. Not state: too large to journal with every held intent; after a restart a held intent's
     * history is {@link #HISTORY_LOST}, which fails {@code since-start} provenance rules closed.
     */
    private final java.util.Map<Long, InputHistory> heldHistories = new java.util.HashMap<>();
    /** The input history of a held intent recovered from the journal: unknown, so overflowed (fail closed). */
    private static final InputHistory HISTORY_LOST = new InputHistory(java.util.Map.of(), true);

    /**
     * Cause chains of the intents waiting for approval, by approval id, to hand on when one is allowed. Not state
     * (the stored approval event has no room for it): after a restart a pending intent's chain is
     * {@link CauseChain#LOST}, which fails every provenance rule downstream closed.
     */
    private final java.util.Map<String, CauseChain> pendingChains = new java.util.HashMap<>();

    private SafetySupervisor(ActorContext<EntityCommand> context, TimerScheduler<EntityCommand> timers,
            EntitySpec spec, SafetyRegistry registry) {
        super(PersistenceId.of(spec.address().kind().typeKey().name(), spec.address().id()),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
        this.context = context;
        this.timers = timers;
        this.self = spec.address();
        this.spec = spec;
        this.registry = registry;
        this.services = registry.services();
        this.settings = registry.settings();
        this.sessions = new SessionAuthenticator(services.sessionKeys(self), services.peerKeys());
        this.authenticator = new EnvelopeAuthenticator(registry.identities(), sessions, PAYLOADS, settings);
        this.ackAdapter = context.messageAdapter(DeliveryReply.class, DeliveryAck::new);
        this.incarnationStartMillis = System.currentTimeMillis();
        this.refusals = new RefusalTally(RefusalTally.Settings.from(context.getSystem().settings().config()));
        this.persistenceId = spec.address().persistenceId();
    }

    /**
     * Registers all four entity kinds with Cluster Sharding on this node and connects the safety layer to
     * the cluster: routing between entities, approvals, policies, revocations and the kill switch.
     */
    public static void initSharding(ActorSystem<?> system) {
        ClusterSharding sharding = ClusterSharding.get(system);
        ClusterSafetyServices.install(system);
        boolean byRole = system.settings().config().getBoolean("nexus.swarm.safety.sharding.by-role");
        for (EntityKind kind : EntityKind.values()) {
            Entity<EntityCommand, ShardingEnvelope<EntityCommand>> entity =
                    Entity.of(kind.typeKey(), ctx -> create(new EntityAddress(kind, ctx.getEntityId())));
            // By role, a node without the kind's role runs only a proxy for it: its shards live elsewhere.
            sharding.init(byRole ? entity.withRole(kind.role()) : entity);
        }
        SafetyRegistry.get(system).useRouter((target, message) ->
                sharding.entityRefFor(target.kind().typeKey(), target.id()).tell(message));
    }

    /** The supervisor of {@code address}, or a refusing stand-in when nothing is deployed under it. */
    public static Behavior<EntityCommand> create(EntityAddress address) {
        return Behaviors.setup(gateCtx -> SafetyStateGate.await(
                SafetyRegistry.get(gateCtx.getSystem()).services().safetyStateRestored(), address,
                SAFETY_STATE_GATE_CAPACITY, () -> Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
                    SafetyRegistry registry = SafetyRegistry.get(ctx.getSystem());
                    return registry.spec(address)
                            .<Behavior<EntityCommand>>map(spec -> new SafetySupervisor(ctx, timers, spec, registry))
                            .orElseGet(() -> NotDeployed.behavior(address));
                }))));
    }

    /** Messages an entity holds while its node restores the durable safety state. */
    private static final int SAFETY_STATE_GATE_CAPACITY = 1000;

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
        logicVersion = lastStartedVersion(state.memory().started());
        credentialProblem = spec.credential().check(spec.signer().did(), registry.trusted(), now())
                .filter(p -> p.code() != RefusalCode.EXPIRED && p.code() != RefusalCode.NOT_YET_VALID);
        credentialProblem.ifPresent(p -> context.getLog().warn("{}: {}", self, p));
        services.killSwitch().subscribe(context.messageAdapter(KillSwitch.Changed.class, KillSwitchNotice::new));
        if (state instanceof Active active) {
            if (services.killSwitch().covering(self.toString(), spec.rail(), spec.pack()).isPresent()) {
                // Engaged while this entity was down (or before a full-cluster restart): its logic never starts
                // and no message is handled before Killed is journaled.
                killAtStart = true;
                context.getSelf().tell(new KillSwitchNotice(new KillSwitch.Changed(java.util.Set.of())));
                return;
            }
            resumeActive(active);
        } else if (state instanceof Quarantined q) {
            context.getLog().info("{} recovered quarantined ({}); logic not started", self, q.reason());
            if (!q.memory().held().isEmpty()) {
                // Killed before the held intents were journaled as refused: they are now, never sent.
                context.getSelf().tell(new HeldAtStop());
            }
            if (!q.releaseApprovalId().isEmpty()) {
                // The release's deadline timer died with the previous incarnation; without it a lost decision
                // would leave the release pending forever. The policy's timeout counts again from now.
                long now = now();
                long timeout = OutboundDecider.approvalFor(OutboundDecider.RELEASE_ACTION,
                                situation(q, services.policies().applicable(spec.rail(), spec.pack()), now))
                        .map(r -> r.timeout().toMillis()).orElse(0L);
                armDeadline(q.releaseApprovalId(), now + timeout);
            }
        }
    }

    private void resumeActive(Active active) {
        spawnChild();
        // Decisions may have been made while this entity was down: asking again is idempotent. The request
        // names the parameters read through the logic's payload declarations, so it waits for them.
        reopenPendingWhenReady = child != null;
        if (!reopenPendingWhenReady) {
            active.memory().pending().values().forEach(this::openApproval);
        }
        // Intents the throttle held when the previous incarnation ended wait on, in order, for tokens (the
        // release timer's command waits in the stash until the logic has declared itself).
        armRelease(active, now());
    }

    /** The kill switch covered this entity when it recovered Active: killed before anything else is handled. */
    private ReplyEffect<SafetyEvent, SupervisorState> onKillAtStart(Active state) {
        killAtStart = false;
        Optional<String> covering = services.killSwitch().covering(self.toString(), spec.rail(), spec.pack());
        if (covering.isEmpty()) {
            resumeActive(state);
            return Effect().noReply().thenUnstashAll();
        }
        EventAppender events = appender(state, now());
        events.append(c -> new Killed(c, "kill switch", covering.get()), "", List.of("external:kill switch"));
        return Effect().persist(events.batch()).thenNoReply().thenUnstashAll();
    }

    private void spawnChild() {
        if (credentialProblem.isPresent()) {
            // A credential that does not verify never runs its logic: the entity refuses everything instead.
            context.getLog().warn("{}: logic not started, credential does not verify", self);
            return;
        }
        startJournaled = false;
        childReady = false;
        ActorRef<LogicChild.Emitted> outbox = context.messageAdapter(LogicChild.Emitted.class,
                emitted -> new FromChild(emitted.intent(), emitted.cause(), emitted.history()));
        // The logic throwing or overrunning its budget comes back as a LogicChild.Fault (journaled, killed), not
        // as a restart: a pure step that failed once fails again on the same state and input.
        child = context.spawn(LogicChild.create(spec.logic(), new AgentContext(self, spec.place()), outbox,
                context.getSelf().narrow(), LogicChild.Budget.from(context.getSystem().settings().config())),
                "logic-" + System.nanoTime(), LogicChild.dispatcher());
        context.watchWith(child, new LogicStopped(child));
    }

    private void stopChild() {
        // Held intents are never sent after a stop: journaled as refused (from the state), so none vanishes unrecorded.
        context.getSelf().tell(new HeldAtStop());
        heldHistories.clear();
        timers.cancel(RELEASE_HELD_TIMER);
        pendingChains.clear();
        if (child != null) {
            context.stop(child);
            child = null;
        }
    }

    private void tellChild(AgentInput input, CauseChain cause) {
        if (child != null) {
            child.tell(new LogicChild.Feed(input, cause));
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
        builder.forState(state -> state instanceof Active && killAtStart)
                .onCommand(KillSwitchNotice.class, (state, cmd) -> onKillAtStart((Active) state))
                .onCommand(GetStatus.class, (state, cmd) -> Effect().reply(cmd.replyTo(), status(state)))
                .onAnyCommand((state, cmd) -> Effect().stash());
        // While the logic child starts, what needs its declarations waits (bounded by the child's wall-time cap).
        builder.forState(state -> state instanceof Active && child != null && !childReady)
                .onCommand(LogicChild.Ready.class, this::onLogicReady)
                .onCommand(LogicChild.Fault.class, (state, cmd) -> onStartFault((Active) state, cmd))
                .onCommand(LogicStopped.class, (state, cmd) -> onStartFault((Active) state,
                        new LogicChild.Fault(cmd.logic(), "logic stopped before it started")))
                .onCommand(GetStatus.class, (state, cmd) -> Effect().reply(cmd.replyTo(), status(state)))
                .onAnyCommand((state, cmd) -> Effect().stash());
        builder.forStateType(Active.class)
                .onCommand(Deliver.class, this::onDeliver)
                .onCommand(FromChild.class, this::onIntent)
                .onCommand(ReleaseHeld.class, this::onReleaseHeld)
                // A stale notice: the entity was released again before it arrived; what is held waits for tokens.
                .onCommand(HeldAtStop.class, (state, cmd) -> Effect().noReply())
                .onCommand(ApprovalProof.class, this::onApprovalProof)
                .onCommand(ApprovalExpired.class, (state, cmd) -> onApprovalDecided(state,
                        new ApprovalProof.Verified(cmd.approvalId(), false, "no decision arrived by the deadline",
                                List.of())))
                .onCommand(Kill.class, this::onKill)
                .onCommand(KillSwitchNotice.class, this::onKillSwitch)
                .onCommand(LogicStopped.class, this::onLogicStopped)
                .onCommand(LogicChild.Fault.class, this::onLogicFault)
                .onCommand(LogicChild.Ready.class, (state, cmd) -> Effect().noReply())
                .onCommand(RequestRelease.class, this::onReleaseWhileActive);
        builder.forStateType(Quarantined.class)
                .onCommand(Deliver.class, this::refuseWhileQuarantined)
                // The child may have sent intents just before it was stopped: refused, and journaled as such.
                .onCommand(FromChild.class, this::refuseIntentWhileQuarantined)
                .onCommand(ReleaseHeld.class, (state, cmd) -> onHeldAtStop(state))
                .onCommand(HeldAtStop.class, (state, cmd) -> onHeldAtStop(state))
                .onCommand(ApprovalProof.class, this::onReleaseProof)
                .onCommand(ApprovalExpired.class, (state, cmd) -> onReleaseDecided(state,
                        new ApprovalProof.Verified(cmd.approvalId(), false, "no decision arrived by the deadline",
                                List.of())))
                .onCommand(Kill.class, this::onKillWhileQuarantined)
                .onCommand(KillSwitchNotice.class, (state, cmd) -> Effect().noReply())
                .onCommand(LogicStopped.class, (state, cmd) -> Effect().noReply())
                .onCommand(LogicChild.Fault.class, (state, cmd) -> Effect().noReply())
                .onCommand(LogicChild.Ready.class, (state, cmd) -> Effect().noReply())
                .onCommand(RequestRelease.class, this::onRequestRelease);
        builder.forAnyState()
                .onCommand(GetStatus.class, (state, cmd) -> Effect().reply(cmd.replyTo(), status(state)))
                .onCommand(DeliveryAck.class, this::onDeliveryAck)
                .onCommand(FlushRefusals.class, (state, cmd) -> onFlushRefusals(state));
        return builder.build();
    }

    // ---- inbound ---------------------------------------------------------------------------------------

    private ReplyEffect<SafetyEvent, SupervisorState> onDeliver(Active state, Deliver cmd) {
        SignedEnvelope envelope = cmd.envelope();
        long now = now();
        String digest = HashChain.sha256Hex(envelope.signedBytes());
        EnvelopeAuthenticator.Result result = authenticator.check(envelope, self, state.memory().replay(), now);
        if (result instanceof Rejected rejected) {
            return refuseUnauthenticated(state, envelope, digest, rejected, cmd.replyTo(), now);
        }
        if (credentialProblem.isPresent()) {
            return refuse(appender(state, now), envelope, digest, RefusalCode.INVALID_CREDENTIAL,
                    invalidCredential(), cmd.replyTo());
        }
        EventAppender events = appender(state, now);
        var authentic = (EnvelopeAuthenticator.Authentic) result;
        var payload = authentic.payload();
        if (!acceptsInput.test(payload.getClass())) {
            return refuse(events, envelope, digest, RefusalCode.INPUT_NOT_DECLARED, "logic " + logicVersion
                    + " does not declare " + payload.getClass().getSimpleName() + " among its inputs", cmd.replyTo());
        }
        Observed observed = events.appendReceived(envelope.hlc(), c -> new Observed(c, envelope.sender(),
                envelope.senderDid(), payload.getClass().getSimpleName(), envelope.nonce(), envelope.payload()), digest,
                causeOf(envelope));
        // The sender is the nearest hop (the envelope proves it); its supervisor's claim follows. The claim is
        // journaled with the Observed: it is inside the payload bytes as received, which the event keeps.
        CauseChain cause = CauseChain.forInput(envelope.sender(), authentic.upstream());
        return Effect().persist(events.batch())
                .thenRun(s -> tellChild(new AgentInput.Inbound(envelope.sender(), payload,
                        observed.chronotope().wallTimeMillis()), cause))
                .thenReply(cmd.replyTo(), s -> new DeliveryReply.Accepted(self.toString(),
                        observed.chronotope().sequence()));
    }

    private ReplyEffect<SafetyEvent, SupervisorState> refuseWhileQuarantined(Quarantined state, Deliver cmd) {
        SignedEnvelope envelope = cmd.envelope();
        long now = now();
        String digest = HashChain.sha256Hex(envelope.signedBytes());
        // Junk is counted like junk to a running entity, so a quarantined journal cannot be flooded either.
        EnvelopeAuthenticator.Result result = authenticator.check(envelope, self, state.memory().replay(), now);
        if (result instanceof Rejected rejected) {
            return refuseUnauthenticated(state, envelope, digest, rejected, cmd.replyTo(), now);
        }
        return refuse(appender(state, now), envelope, digest, RefusalCode.QUARANTINED,
                self + " is quarantined: " + state.reason(), cmd.replyTo());
    }

    /**
     * An envelope that did not authenticate: counted per claimed source and reason. Only the first of each in an
     * interval is journaled on its own (with its detail); the rest reach the journal as one RefusalsAggregated
     * at the end of the interval. The sender is answered either way; sequence 0 says "counted, not journaled
     * on its own".
     */
    private ReplyEffect<SafetyEvent, SupervisorState> refuseUnauthenticated(SupervisorState state,
            SignedEnvelope envelope, String digest, Rejected rejected, ActorRef<DeliveryReply> replyTo, long now) {
        boolean first = refusals.count(clip(envelope.sender()), rejected.code(), now);
        if (!timers.isTimerActive(FlushRefusals.INSTANCE)) {
            timers.startSingleTimer(FlushRefusals.INSTANCE, FlushRefusals.INSTANCE, refusals.interval());
        }
        if (first) {
            return refuse(appender(state, now), envelope, digest, rejected.code(), rejected.detail(), replyTo);
        }
        return Effect().reply(replyTo, new DeliveryReply.Refused(self.toString(), rejected.code(),
                clip(rejected.detail()), 0));
    }

    private ReplyEffect<SafetyEvent, SupervisorState> onFlushRefusals(SupervisorState state) {
        long now = now();
        Optional<RefusalTally.Interval> counted = refusals.close(now);
        if (counted.isEmpty()) {
            return Effect().noReply();
        }
        RefusalTally.Interval i = counted.get();
        EventAppender events = appender(state, now);
        events.append(c -> new RefusalsAggregated(c, i.fromMillis(), i.toMillis(), i.counts(), i.otherCount()), "",
                List.of("external:unauthenticated traffic"));
        return Effect().persist(events.batch()).thenNoReply();
    }

    /** An intent the child sent before it was stopped: nothing of it happens, but the attempt is on record. */
    private ReplyEffect<SafetyEvent, SupervisorState> refuseIntentWhileQuarantined(Quarantined state, FromChild cmd) {
        Intent intent = cmd.intent();
        EventAppender events = appender(state, now());
        String actionClass = intent.actionClass() == null ? "" : clip(intent.actionClass());
        events.append(c -> new ActionDenied(c, clip(intent.intentId()), actionClass, RefusalCode.QUARANTINED,
                self + " is quarantined: " + state.reason(), state.denials(), c.policyVersion(), 0.0), "",
                List.of("external:logic after quarantine"));
        return Effect().persist(events.batch()).thenNoReply();
    }

    private String invalidCredential() {
        return credentialProblem.map(p -> "credential " + spec.credential().id() + " does not verify ("
                + p.code() + ": " + p.detail() + "); the logic is not started").orElse("");
    }

    /** The logic version of the last Started event ("version|credential id"), or empty. */
    private static String lastStartedVersion(String started) {
        int bar = started.lastIndexOf('|');
        return bar < 0 ? "" : started.substring(0, bar);
    }

    private ReplyEffect<SafetyEvent, SupervisorState> refuse(EventAppender events, SignedEnvelope envelope,
            String digest, RefusalCode code, String detail, ActorRef<DeliveryReply> replyTo) {
        Refused refused = events.append(c -> new Refused(c, clip(envelope.sender()), clip(envelope.senderDid()), code,
                clip(detail)), digest, causeOf(envelope));
        return Effect().persist(events.batch()).thenReply(replyTo, s -> new DeliveryReply.Refused(self.toString(), code,
                refused.detail(), refused.chronotope().sequence()));
    }

    // ---- outbound --------------------------------------------------------------------------------------

    /**
     * An intent of the logic. On the THROTTLE rung it passes the token bucket first: with a token it is decided at
     * once, as usual; without one it is journaled as held ({@code IntentHeld}) and waits in the held queue (in order,
     * behind any intent already waiting) until the bucket refills; when the queue is full it is refused THROTTLED
     * and journaled. The held queue is state: a crash or passivation neither loses nor repeats a held intent.
     */
    private ReplyEffect<SafetyEvent, SupervisorState> onIntent(Active state, FromChild cmd) {
        long now = now();
        SafetySettings.Throttle throttle = settings.throttle();
        boolean throttled = state.memory().escalation() == EscalationLevel.THROTTLE;
        boolean noToken = throttled && state.memory().stats().throttle()
                .tokens(now, throttle.perSecond(), throttle.burst()) < 1;
        int waiting = state.memory().held().size();
        if (waiting > 0 || noToken) {
            if (waiting >= throttle.queue()) {
                return decideIntent(state, cmd, now, throttledRefusal("the throttle queue is full (" + waiting
                        + " intents wait for tokens of " + throttle.perSecond() + "/s, burst " + throttle.burst()
                        + ")"), null);
            }
            Optional<Holdable> holdable = holdable(cmd.intent());
            if (holdable.isPresent()) {
                return hold(state, cmd, holdable.get(), now);
            }
            // One the decision refuses whatever the bucket says (unencodable, oversized, unreadable): no wait.
        }
        return decideIntent(state, cmd, now, null, null);
    }

    /** What a held intent is journaled with: the bytes it would send and the parameters read from them. */
    private record Holdable(byte[] payload, java.util.Map<String, Double> parameters) {}

    /**
     * The payload bytes and parameters of an intent that can wait for a token: one whose strings are within bounds,
     * with a target, and whose payload encodes, decodes and reads as its logic declares. Empty for any other, which
     * the decision refuses at once (so no wait is journaled for it).
     */
    private Optional<Holdable> holdable(Intent intent) {
        if (intent.actionClass() == null || intent.target() == null || intent.payload() == null
                || String.valueOf(intent.intentId()).length() > MAX_UNAUTHENTICATED_CHARS
                || intent.actionClass().length() > MAX_UNAUTHENTICATED_CHARS
                || intent.payload() instanceof ProvenanceFrame) {
            return Optional.empty();
        }
        try {
            byte[] bytes = PAYLOADS.toBytes(intent.payload());
            org.nexusswarm.actors.SwarmMessage asReceived = PAYLOADS.fromBytes(bytes,
                    org.nexusswarm.actors.SwarmMessage.class);
            PayloadParameters.Result read = payloadParameters.check(new Intent(intent.intentId(),
                    intent.actionClass(), intent.target(), asReceived, intent.parameters()));
            return read instanceof PayloadParameters.Read r ? Optional.of(new Holdable(bytes, r.parameters()))
                    : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Journals the hold before the intent waits (persist before effect), then arms the release. */
    private ReplyEffect<SafetyEvent, SupervisorState> hold(Active state, FromChild cmd, Holdable holdable, long now) {
        Intent intent = cmd.intent();
        CauseChain cause = cmd.cause() == null ? CauseChain.NONE : cmd.cause();
        InputHistory history = cmd.history() == null ? InputHistory.NONE : cmd.history();
        EventAppender events = appender(state, now);
        long seen = state.memory().lastObserved();
        IntentHeld held = events.append(c -> new IntentHeld(c, intent.intentId(), intent.actionClass(),
                intent.target().toString(), intent.payload().getClass().getSimpleName(), holdable.parameters(),
                holdable.payload(), cause.hops()), HashChain.sha256Hex(holdable.payload()),
                seen > 0 ? List.of(persistenceId + "#" + seen) : List.of());
        return Effect().persist(events.batch())
                .thenRun(s -> {
                    heldHistories.put(held.chronotope().sequence(), history);
                    armRelease(s, now);
                })
                .thenNoReply();
    }

    /** The bucket may have a token: the oldest held intent is decided (or waits on, if it has none yet). */
    private ReplyEffect<SafetyEvent, SupervisorState> onReleaseHeld(Active state, ReleaseHeld cmd) {
        Optional<IntentHeld> oldest = state.memory().oldestHeld();
        if (oldest.isEmpty()) {
            return Effect().noReply();
        }
        long now = now();
        SafetySettings.Throttle throttle = settings.throttle();
        if (state.memory().escalation() == EscalationLevel.THROTTLE
                && state.memory().stats().throttle().tokens(now, throttle.perSecond(), throttle.burst()) < 1) {
            armRelease(state, now);
            return Effect().noReply();
        }
        IntentHeld held = oldest.get();
        InputHistory history = heldHistories.remove(held.chronotope().sequence());
        Optional<String> lost = unrecoverable(held);
        if (lost.isPresent()) {
            EventAppender events = appender(state, now);
            appendDropped(events, state, List.of(held), RefusalCode.THROTTLED_LOST, lost.get(), false);
            return Effect().persist(events.batch()).thenRun(s -> {
                tellChild(new AgentInput.Outcome(held.intentId(), false, OutboundDecisions.denialReason(
                        RefusalCode.THROTTLED_LOST, lost.get()), now), CauseChain.LOST);
                armRelease(s, now);
            }).thenNoReply();
        }
        Intent intent = new Intent(held.intentId(), held.actionClass(), EntityAddress.parse(held.target()),
                (org.nexusswarm.actors.SwarmMessage) PAYLOADS.fromBytes(held.payload()), held.parameters());
        // Within the incarnation that held it, the intent keeps its chain and history; the chain is journaled with
        // the hold, so it survives a restart too; the history does not (fail closed).
        return decideIntent(state, new FromChild(intent, new CauseChain(held.causeHops()),
                history == null ? HISTORY_LOST : history), now, null, held);
    }

    /**
     * Why a held intent can no longer be decided as it was proposed: its payload does not decode (its type is gone)
     * or its target does not parse, or another logic version runs now than the one that proposed it.
     */
    private Optional<String> unrecoverable(IntentHeld held) {
        if (!logicVersion.equals(held.chronotope().logicVersion())) {
            return Optional.of("held for logic " + clip(held.chronotope().logicVersion()) + ", but logic "
                    + logicVersion + " runs now; never sent");
        }
        try {
            EntityAddress.parse(held.target());
            Object payload = PAYLOADS.fromBytes(held.payload());
            if (!(payload instanceof org.nexusswarm.actors.SwarmMessage)) {
                return Optional.of("its payload no longer decodes; never sent");
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("its payload or target no longer reads (" + e.getClass().getSimpleName()
                    + "); never sent");
        }
    }

    /** Arms the release of the oldest held intent for when the bucket has a token again (at once if not throttled). */
    private void armRelease(SupervisorState state, long now) {
        if (state.memory().held().isEmpty() || !(state instanceof Active)) {
            return;
        }
        SafetySettings.Throttle throttle = settings.throttle();
        long wait = state.memory().escalation() != EscalationLevel.THROTTLE ? 0
                : state.memory().stats().throttle().millisUntilToken(now, throttle.perSecond(), throttle.burst());
        // A timer already waiting is kept: re-arming it for every new intent would let a flood postpone it forever.
        if (wait == 0 || !timers.isTimerActive(RELEASE_HELD_TIMER)) {
            timers.startSingleTimer(RELEASE_HELD_TIMER, ReleaseHeld.INSTANCE, Duration.ofMillis(wait));
        }
    }

    /** A refusal because the throttle's queue is full (its token is given back, see SupervisorState). */
    private OutboundDecider.Deny throttledRefusal(String detail) {
        return new OutboundDecider.Deny(RefusalCode.THROTTLED, detail,
                org.nexusswarm.safety.internal.policy.PolicyEngine.versions(
                        services.policies().applicable(spec.rail(), spec.pack())), 0.0);
    }

    /**
     * Decides and journals one intent at {@code now}; {@code forced} (not null) refuses it without deciding (the
     * held queue is full); {@code held} (not null) is the IntentHeld it waited as, which its proposal names as its
     * cause, so the state stops holding it in the same write that decides it.
     */
    private ReplyEffect<SafetyEvent, SupervisorState> decideIntent(Active state, FromChild cmd, long now,
            OutboundDecider.Deny forced, IntentHeld held) {
        Intent raw = cmd.intent();
        // A missing action class is journaled and observed as "": a null would fail the monitors (and this
        // supervisor with them) instead of being denied.
        Intent intent = raw.actionClass() != null ? raw : new Intent(raw.intentId(), "",
                raw.target(), raw.payload(), raw.parameters());
        // The logic chooses these strings and they are journaled: an overlong one is refused, and journaled clipped.
        boolean oversized = String.valueOf(intent.intentId()).length() > MAX_UNAUTHENTICATED_CHARS
                || intent.actionClass().length() > MAX_UNAUTHENTICATED_CHARS;
        if (oversized) {
            intent = new Intent(clip(intent.intentId()), clip(intent.actionClass()), intent.target(), intent.payload(),
                    intent.parameters());
        }
        List<Policy> policies = services.policies().applicable(spec.rail(), spec.pack());
        EventAppender events = appender(state, now, policies);
        String payloadType = intent.payload() == null ? "none" : intent.payload().getClass().getSimpleName();
        byte[] payloadBytes = new byte[0];
        OutboundDecider.Outcome outcome = null;
        org.nexusswarm.actors.SwarmMessage asReceived = null;
        try {
            payloadBytes = PAYLOADS.toBytes(intent.payload());
            // Policy reads the parameters of the payload as its recipient will decode these very bytes: encoding
            // runs the record's accessors, which a pack may override to send something else than its fields say.
            asReceived = intent.payload() == null ? null : PAYLOADS.fromBytes(payloadBytes,
                    org.nexusswarm.actors.SwarmMessage.class);
        } catch (UnregisteredTypeException e) {
            outcome = new OutboundDecider.Deny(RefusalCode.UNREGISTERED_TYPE, e.getMessage(),
                    org.nexusswarm.safety.internal.policy.PolicyEngine.versions(policies), 0.0);
        } catch (RuntimeException e) {
            outcome = new OutboundDecider.Deny(RefusalCode.OVERSIZED, "the payload does not decode as its recipient "
                    + "would read it: " + clip(String.valueOf(e.getMessage())),
                    org.nexusswarm.safety.internal.policy.PolicyEngine.versions(policies), 0.0);
        }
        // Policy judges the parameters read from the payload that would travel, not those the logic states.
        PayloadParameters.Result read = payloadParameters.check(asReceived == null ? intent
                : new Intent(intent.intentId(), intent.actionClass(), intent.target(), asReceived, intent.parameters()));
        if (read instanceof PayloadParameters.Read r) {
            intent = new Intent(intent.intentId(), intent.actionClass(), intent.target(), intent.payload(),
                    r.parameters());
        }
        Optional<PayloadParameters.Refusal> payloadRefusal = read instanceof PayloadParameters.Refusal refusal
                ? Optional.of(refusal) : Optional.empty();
        CauseChain cause = cmd.cause() == null ? CauseChain.NONE : cmd.cause();
        if (oversized) {
            outcome = new OutboundDecider.Deny(RefusalCode.OVERSIZED, "an intent id or action class longer than "
                    + MAX_UNAUTHENTICATED_CHARS + " characters (journaled clipped)",
                    org.nexusswarm.safety.internal.policy.PolicyEngine.versions(policies), 0.0);
        } else if (outcome == null && forced != null) {
            outcome = forced;
        } else if (outcome == null && intent.payload() instanceof ProvenanceFrame) {
            // Only supervisors frame payloads: a logic sending a frame tries to forge its own cause chain.
            outcome = new OutboundDecider.Deny(RefusalCode.PROVENANCE, "a logic may not send a provenance frame "
                    + "(its supervisor builds the cause chain)",
                    org.nexusswarm.safety.internal.policy.PolicyEngine.versions(policies), 0.0);
        } else if (outcome == null) {
            outcome = OutboundDecider.decide(intent, payloadRefusal, situation(state, policies, now),
                    provenance(cause, cmd.history() == null ? InputHistory.NONE : cmd.history()));
        }
        String digest = HashChain.sha256Hex(payloadBytes);
        long seen = state.memory().lastObserved();
        Intent decided = intent;
        ActionProposed proposed = events.append(c -> new ActionProposed(c, decided.intentId(), decided.actionClass(),
                String.valueOf(decided.target()), payloadType, logicVersion, decided.parameters()), digest,
                held != null ? List.of(persistenceId + "#" + held.chronotope().sequence())
                        : seen > 0 ? List.of(persistenceId + "#" + seen) : List.of());
        String ref = events.ref(proposed);
        // What the event handler will make of the ActionProposed: the monitors read it with this decision.
        TrajectoryStats stats = state.memory().stats().proposed(now, intent.actionClass(), intent.parameters(),
                state.memory().escalation() == EscalationLevel.THROTTLE);
        if (outcome instanceof OutboundDecider.NeedsApproval approval) {
            return requestApproval(events, ref, intent, approval, payloadBytes, digest, now, cause);
        }
        if (outcome instanceof OutboundDecider.Deny deny) {
            return deny(events, ref, state, stats, intent.intentId(), intent.actionClass(), deny.code(),
                    deny.detail(), deny.policyVersion(), deny.envelopeUse(), digest, policies, now, cause);
        }
        OutboundDecider.Allow allow = (OutboundDecider.Allow) outcome;
        return allow(events, ref, state, stats, intent.intentId(), intent.actionClass(), intent.target(),
                allow.rule(), allow.policyVersion(), allow.envelopeUse(), payloadBytes, digest, policies, now, cause);
    }

    /** Journals each intent the throttle held when the logic was stopped: proposed, then refused QUARANTINED. */
    private ReplyEffect<SafetyEvent, SupervisorState> onHeldAtStop(Quarantined state) {
        if (state.memory().held().isEmpty()) {
            return Effect().noReply();
        }
        EventAppender events = appender(state, now());
        appendDropped(events, state, state.memory().held(), RefusalCode.QUARANTINED,
                "held by the throttle when the logic was stopped; never sent", true);
        return Effect().persist(events.batch()).thenNoReply();
    }

    /**
     * Appends, for each of {@code dropped}, the proposal that ends its hold (caused by its IntentHeld) and its
     * refusal: never sent. {@code counted}: whether the refusals count as the logic's denials.
     */
    private void appendDropped(EventAppender events, SupervisorState state, List<IntentHeld> dropped,
            RefusalCode code, String detail, boolean counted) {
        String versions = org.nexusswarm.safety.internal.policy.PolicyEngine.versions(
                services.policies().applicable(spec.rail(), spec.pack()));
        int denials = state.denials();
        for (IntentHeld held : dropped) {
            String digest = held.chronotope().inputDigest();
            ActionProposed proposed = events.append(c -> new ActionProposed(c, held.intentId(), held.actionClass(),
                    held.target(), held.payloadType(), held.chronotope().logicVersion(), held.parameters()), digest,
                    List.of(persistenceId + "#" + held.chronotope().sequence()));
            int count = counted ? ++denials : denials;
            events.append(c -> new ActionDenied(c, held.intentId(), held.actionClass(), code, detail, count, versions,
                    0.0), digest, List.of(events.ref(proposed)));
        }
    }

    private ReplyEffect<SafetyEvent, SupervisorState> allow(EventAppender events, String cause,
            Active state, TrajectoryStats stats, String intentId, String actionClass, EntityAddress target, String rule,
            String policyVersion, double use, byte[] payloadBytes, String digest, List<Policy> policies, long now,
            CauseChain chain) {
        // Kill means no effect: the intent whose allowing would reach the KILL rung is itself denied.
        TrajectoryStats after = state.memory().stats().record(new Observation(now, actionClass, true, use));
        Assessment verdict = after.assess(OutboundDecider.thresholds(policies, after), now);
        if (verdict.level() == EscalationLevel.KILL) {
            return denyAndKill(events, cause, state, intentId, actionClass, verdict, policyVersion, use, digest);
        }
        ActionAllowed allowed = events.append(c -> new ActionAllowed(c, intentId, actionClass, target.toString(),
                rule, policyVersion, use), digest, List.of(cause));
        boolean killed = monitor(events, events.ref(allowed), state, stats,
                new Observation(now, actionClass, true, use), policies, now, digest);
        // The allowed event's sequence is this sender's nonce: unique per journal, and replays reproduce it.
        // The intent's cause chain travels inside the authenticated bytes, so no one on the way can strip it.
        byte[] sent = chain.isEmpty() ? payloadBytes : PAYLOADS.toBytes(new ProvenanceFrame(chain.hops(), payloadBytes));
        SignedEnvelope envelope = sessions.seal(spec.signer(), target.toString(), allowed.chronotope().sequence(),
                allowed.chronotope().hlc(), sent);
        return Effect().persist(events.batch())
                .thenRun(s -> {
                    registry.router().deliver(target, new Deliver(envelope, ackAdapter));
                    if (killed) {
                        stopChild();
                    } else {
                        tellChild(new AgentInput.Outcome(intentId, true, rule, allowed.chronotope().wallTimeMillis()),
                                chain);
                        armRelease(s, now);
                    }
                })
                .thenNoReply();
    }

    /** Denies the intent that would trip the KILL rung, and kills: denial, escalation and kill in one write. */
    private ReplyEffect<SafetyEvent, SupervisorState> denyAndKill(EventAppender events, String cause, Active state,
            String intentId, String actionClass, Assessment verdict, String policyVersion, double use, String digest) {
        int denials = state.denials() + 1;
        ActionDenied denied = events.append(c -> new ActionDenied(c, intentId, actionClass, RefusalCode.MONITOR_KILL,
                "allowing it would trip monitor " + verdict.monitor() + ": " + verdict.reason(), denials,
                policyVersion, use), digest, List.of(cause));
        String decision = events.ref(denied);
        if (state.memory().escalation() != EscalationLevel.KILL) {
            events.append(c -> new Escalated(c, verdict.level(), verdict.monitor(), verdict.value(), verdict.reason()),
                    digest, List.of(decision));
        }
        events.append(c -> new Killed(c, "safety-layer", "trajectory monitor " + verdict.monitor() + ": "
                + verdict.reason()), digest, List.of(decision));
        return Effect().persist(events.batch()).thenRun(s -> stopChild()).thenNoReply();
    }

    /** Journals the denial (and escalation, and the kill when a limit is reached) in one atomic write. */
    private ReplyEffect<SafetyEvent, SupervisorState> deny(EventAppender events, String cause,
            Active state, TrajectoryStats stats, String intentId, String actionClass, RefusalCode code, String detail,
            String policyVersion, double use, String digest, List<Policy> policies, long now, CauseChain chain) {
        int denials = state.denials() + 1;
        ActionDenied denied = events.append(c -> new ActionDenied(c, intentId, actionClass, code, detail, denials,
                policyVersion, use), digest, List.of(cause));
        String decision = events.ref(denied);
        boolean killed = monitor(events, decision, state, stats, new Observation(now, actionClass, false, use),
                policies, now, digest);
        if (!killed && denials >= settings.maxDenials()) {
            events.append(c -> new Killed(c, "safety-layer", denials + " denied intents (limit "
                    + settings.maxDenials() + "), last: " + code), digest, List.of(decision));
            killed = true;
        }
        boolean stop = killed;
        return Effect().persist(events.batch())
                .thenRun(s -> {
                    if (stop) {
                        stopChild();
                    } else {
                        // An outcome is caused by the intent's inputs: acting on it inherits their chain.
                        tellChild(new AgentInput.Outcome(intentId, false, OutboundDecisions.denialReason(code, detail),
                                denied.chronotope().wallTimeMillis()), chain);
                        armRelease(s, now);
                    }
                })
                .thenNoReply();
    }

    /**
     * Feeds one decision to the trajectory monitors; appends {@code Escalated} when the rung changes and
     * {@code Killed} on the KILL rung. Returns whether the entity is killed.
     */
    private boolean monitor(EventAppender events, String decision, Active state, TrajectoryStats before,
            Observation observation, List<Policy> policies, long now, String digest) {
        TrajectoryStats stats = before.record(observation);
        Assessment a = stats.assess(OutboundDecider.thresholds(policies, stats), now);
        if (a.level() != state.memory().escalation()) {
            events.append(c -> new Escalated(c, a.level(), a.monitor(), a.value(), a.reason()), digest,
                    List.of(decision));
            if (a.level() == EscalationLevel.WARN || a.level() == EscalationLevel.THROTTLE) {
                context.getLog().warn("{} escalated to {} by {}: {}", self, a.level(), a.monitor(), a.reason());
            }
        }
        if (a.level() == EscalationLevel.KILL) {
            events.append(c -> new Killed(c, "safety-layer", "trajectory monitor " + a.monitor() + ": "
                    + a.reason()), digest, List.of(decision));
            return true;
        }
        return false;
    }

    private ReplyEffect<SafetyEvent, SupervisorState> requestApproval(EventAppender events, String cause,
            Intent intent, OutboundDecider.NeedsApproval approval, byte[] payloadBytes, String digest, long now,
            CauseChain chain) {
        ApprovalRequirement req = approval.requirement();
        // The supervisor names the request after the journal position of the request itself, never after the
        // child's intent id: an intent re-sent under the same id opens a new request, so an old decision cannot
        // be reused for a new payload.
        // The request's input digest binds the payload and the parameters read from it: approvers decide on both,
        // and a decision is obeyed only while both still read the same.
        ApprovalRequested requested = events.append(c -> new ApprovalRequested(c,
                ApprovalRequest.idFor(self, "approval-" + c.sequence()), intent.intentId(),
                intent.actionClass(), intent.target().toString(), req, now + req.timeout().toMillis(),
                approval.policyVersion(), approval.envelopeUse(), payloadBytes),
                IntentDigest.of(payloadBytes, intent.parameters()), List.of(cause));
        return Effect().persist(events.batch()).thenRun(s -> {
            pendingChains.put(requested.approvalId(), chain);
            openApproval(requested);
            armRelease(s, now);
        }).thenNoReply();
    }

    private void openApproval(ApprovalRequested requested) {
        String summary = summaryOf(requested);
        services.openApproval(new ApprovalRequest.Open(requested.approvalId(), self, requested.intentId(),
                requested.actionClass(), summary, requested.requirement(), context.getSystem().ignoreRef()));
        armDeadline(requested.approvalId(), requested.deadlineMillis());
    }

    private void armDeadline(String approvalId, long deadlineMillis) {
        long wait = Math.max(0, deadlineMillis - now()) + APPROVAL_GRACE.toMillis();
        timers.startSingleTimer(approvalId, new ApprovalExpired(approvalId), Duration.ofMillis(wait));
    }

    /**
     * The policy parameters read from a waiting intent's payload now, as the logic declares them; empty when the
     * payload no longer decodes or is no longer declared.
     */
    private Optional<java.util.Map<String, Double>> parametersOf(ApprovalRequested requested) {
        try {
            Object payload = PAYLOADS.fromBytes(requested.payload());
            if (payload != null && !(payload instanceof org.nexusswarm.actors.SwarmMessage)) {
                return Optional.empty();
            }
            PayloadParameters.Result read = payloadParameters.check(new Intent(requested.intentId(),
                    requested.actionClass(), EntityAddress.parse(requested.target()),
                    (org.nexusswarm.actors.SwarmMessage) payload));
            return read instanceof PayloadParameters.Read r ? Optional.of(r.parameters()) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the approval still binds the waiting intent: the digest of its payload and the parameters read from
     * it now equals the digest the request was journaled with. Requests journaled before approvals bound
     * parameters carry the payload digest alone, and are held to that.
     */
    private boolean stillBinds(ApprovalRequested requested) {
        String journaled = requested.chronotope().inputDigest();
        if (journaled.equals(HashChain.sha256Hex(requested.payload()))) {
            return true;
        }
        return parametersOf(requested).map(p -> IntentDigest.of(requested.payload(), p).equals(journaled))
                .orElse(false);
    }

    /**
     * What approvers are shown, and what the decision must name again: who asks for what, under which policy, until
     * when, the SHA-256 of the exact payload bytes, the parameters read from it, the digest binding both, and the
     * payload itself, rendered. Derived only from the journaled request and the logic's declarations, so a
     * supervisor that recovers re-opens with the same text (and a changed reading of the parameters changes it).
     */
    String summaryOf(ApprovalRequested requested) {
        String rendered;
        try {
            rendered = PayloadRendering.render(PAYLOADS.fromBytes(requested.payload()));
        } catch (RuntimeException e) {
            rendered = "(payload does not decode: " + e.getClass().getSimpleName() + ")";
        }
        String head = "asks to " + requested.actionClass() + " -> " + requested.target() + " (under "
                + requested.policyVersion() + ", expires " + java.time.Instant.ofEpochMilli(requested.deadlineMillis())
                + ", payload sha256 " + HashChain.sha256Hex(requested.payload()) + ", parameters "
                + parametersOf(requested).map(p -> new java.util.TreeMap<>(p).toString()).orElse("(unreadable)")
                + ", intent digest " + requested.chronotope().inputDigest() + "): ";
        int room = ApprovalRequest.MAX_SUMMARY_CHARS - 400 - head.length();
        return head + (rendered.length() <= room ? rendered : rendered.substring(0, room) + "…");
    }

    /**
     * A decision arriving through sharding: obeyed only when its votes prove it for the request this supervisor
     * journaled (id, approvers, summary with the payload digest, deadline). A decision for no pending request (a
     * duplicate, a late or a stray one) does nothing; a forged one for a pending request is journaled as refused
     * and the intent keeps waiting.
     */
    private ReplyEffect<SafetyEvent, SupervisorState> onApprovalProof(Active state, ApprovalProof proof) {
        String approvalId = proof.decided() == null ? null : proof.decided().approvalId();
        ApprovalRequested waiting = approvalId == null ? null : state.memory().pending().get(approvalId);
        if (waiting == null) {
            return Effect().noReply();
        }
        ApprovalProof.Result result = proof.verify(approvalId, waiting.requirement(), summaryOf(waiting),
                waiting.deadlineMillis(), now(), services.operatorCommands().settings().audience());
        if (result instanceof ApprovalProof.Forged forged) {
            return refuseDecision(state, approvalId, forged.problem(), HashChain.sha256Hex(waiting.payload()));
        }
        return onApprovalDecided(state, (ApprovalProof.Verified) result);
    }

    private ReplyEffect<SafetyEvent, SupervisorState> refuseDecision(SupervisorState state, String approvalId,
            String problem, String digest) {
        EventAppender events = appender(state, now());
        events.append(c -> new Refused(c, "approval:" + clip(approvalId), "", RefusalCode.BAD_SIGNATURE,
                clip("decision not proven: " + problem)), digest, List.of("external:approval " + clip(approvalId)));
        return Effect().persist(events.batch()).thenNoReply();
    }

    private ReplyEffect<SafetyEvent, SupervisorState> onApprovalDecided(Active state, ApprovalProof.Verified decided) {
        ApprovalRequested waiting = state.memory().pending().get(decided.approvalId());
        if (waiting == null) {
            return Effect().noReply(); // a duplicate or late notice: already resolved
        }
        timers.cancel(decided.approvalId());
        long now = now();
        List<Policy> policies = services.policies().applicable(spec.rail(), spec.pack());
        EventAppender events = appender(state, now, policies);
        String digest = HashChain.sha256Hex(waiting.payload());
        ApprovalResolved resolved = events.append(c -> new ApprovalResolved(c, decided.approvalId(),
                decided.approved(), decided.reason(), decided.voters()), digest,
                List.of(persistenceId + "#" + waiting.chronotope().sequence()));
        String cause = events.ref(resolved);
        CauseChain chain = pendingChains.getOrDefault(decided.approvalId(), CauseChain.LOST);
        pendingChains.remove(decided.approvalId());
        // The credential may have been revoked or run out while the approvers decided: it still has the last word.
        Optional<OutboundDecider.Deny> lapsed = decided.approved()
                ? OutboundDecider.credentialLapsed(situation(state, policies, now), waiting.policyVersion(),
                        waiting.envelopeUse())
                : Optional.empty();
        if (decided.approved() && lapsed.isEmpty() && !stillBinds(waiting)) {
            return deny(events, cause, state, state.memory().stats(), waiting.intentId(), waiting.actionClass(),
                    RefusalCode.APPROVAL_MISMATCH, "approved, but the payload's parameters no longer read as approved",
                    waiting.policyVersion(), waiting.envelopeUse(), digest, policies, now, chain);
        }
        if (lapsed.isPresent()) {
            return deny(events, cause, state, state.memory().stats(), waiting.intentId(), waiting.actionClass(),
                    lapsed.get().code(),
                    "approved, but " + lapsed.get().detail(), waiting.policyVersion(), waiting.envelopeUse(), digest,
                    policies, now, chain);
        }
        if (decided.approved()) {
            return allow(events, cause, state, state.memory().stats(), waiting.intentId(), waiting.actionClass(),
                    EntityAddress.parse(waiting.target()), "approval " + decided.approvalId(), waiting.policyVersion(),
                    waiting.envelopeUse(), waiting.payload(), digest, policies, now, chain);
        }
        return deny(events, cause, state, state.memory().stats(), waiting.intentId(), waiting.actionClass(),
                RefusalCode.APPROVAL_REJECTED,
                decided.reason(), waiting.policyVersion(), waiting.envelopeUse(), digest, policies, now, chain);
    }

    /**
     * Answers {@code require-provenance} rules for an intent caused through {@code chain}: a hop holds an action class
     * only as an entity deployed here (every node deploys the same rails) whose credential holds now: issued to its
     * DID by a trusted issuer, unrevoked, in its validity window. Resolved lazily, only when a rule asks.
     */
    private ChainCheck provenance(CauseChain chain, InputHistory history) {
        return new ChainCheck(chain, history, hop -> {
            EntityAddress address;
            try {
                address = EntityAddress.parse(hop);
            } catch (IllegalArgumentException | NullPointerException e) {
                return Optional.empty();
            }
            return registry.spec(address)
                    .filter(s -> s.credential().check(s.signer().did(), registry.trusted(), System.currentTimeMillis())
                            .isEmpty())
                    .map(EntitySpec::credential)
                    .filter(c -> !services.revocations().isRevoked(c.id()));
        });
    }

    private OutboundDecider.Situation situation(SupervisorState state, List<Policy> policies, long now) {
        return new OutboundDecider.Situation(spec.credential(), credentialProblem,
                services.revocations().isRevoked(spec.credential().id()), spec.place(), policies,
                state.memory().stats(), state.memory().escalation(), now);
    }

    // ---- kill, kill switch, release ----------------------------------------------------------------------

    private ReplyEffect<SafetyEvent, SupervisorState> onKill(Active state, Kill cmd) {
        VerifiedOperatorCommand order;
        try {
            order = operatorCommand(state, cmd.operatorToken(), OperatorCommandKind.KILL, "scope");
        } catch (OperatorCommandRefused refused) {
            return refuseOperatorCommand(state, "kill", refused, cmd.replyTo());
        }
        EventAppender events = appender(state, now());
        taken(events, order);
        events.append(c -> new Killed(c, "operator " + clip(order.operator()), clip(order.text("reason"))), "",
                List.of("external:operator " + clip(order.operator())));
        return Effect().persist(events.batch())
                .thenRun(s -> stopChild())
                .thenReply(cmd.replyTo(), this::status);
    }

    /**
     * Already quarantined: nothing to do, but a forged kill is still refused and journaled, and a genuine one is
     * taken (journaled), so it cannot be used again.
     */
    private ReplyEffect<SafetyEvent, SupervisorState> onKillWhileQuarantined(Quarantined state, Kill cmd) {
        return onNoOpCommand(state, cmd.operatorToken(), OperatorCommandKind.KILL, "scope", "kill", cmd.replyTo());
    }

    /** Not quarantined: nothing to release, but the command is checked, and refused or taken, as above. */
    private ReplyEffect<SafetyEvent, SupervisorState> onReleaseWhileActive(Active state, RequestRelease cmd) {
        return onNoOpCommand(state, cmd.operatorToken(), OperatorCommandKind.RELEASE, "entity", "release",
                cmd.replyTo());
    }

    private ReplyEffect<SafetyEvent, SupervisorState> onNoOpCommand(SupervisorState state, String token,
            OperatorCommandKind kind, String targetField, String what, ActorRef<EntityStatus> replyTo) {
        VerifiedOperatorCommand cmd;
        try {
            cmd = operatorCommand(state, token, kind, targetField);
        } catch (OperatorCommandRefused refused) {
            return refuseOperatorCommand(state, what, refused, replyTo);
        }
        EventAppender events = appender(state, now());
        taken(events, cmd);
        return Effect().persist(events.batch()).thenReply(replyTo, this::status);
    }

    /** Journals that {@code cmd} was taken: in the same write as what it does, before anything of it happens. */
    private void taken(EventAppender events, VerifiedOperatorCommand cmd) {
        events.append(c -> new OperatorCommandTaken(c, cmd.kind().claim(), clip(cmd.jti()), clip(cmd.operator()),
                cmd.expiresAt().toEpochMilli()), "", List.of("external:operator " + clip(cmd.operator())));
    }

    private ReplyEffect<SafetyEvent, SupervisorState> onKillSwitch(Active state, KillSwitchNotice notice) {
        Optional<String> covering = services.killSwitch().covering(self.toString(), spec.rail(), spec.pack());
        if (covering.isEmpty()) {
            return Effect().noReply();
        }
        EventAppender events = appender(state, now());
        events.append(c -> new Killed(c, "kill switch", covering.get()), "", List.of("external:kill switch"));
        return Effect().persist(events.batch()).thenRun(s -> stopChild()).thenNoReply();
    }

    private ReplyEffect<SafetyEvent, SupervisorState> onRequestRelease(Quarantined state, RequestRelease request) {
        VerifiedOperatorCommand cmd;
        try {
            cmd = operatorCommand(state, request.operatorToken(), OperatorCommandKind.RELEASE, "entity");
        } catch (OperatorCommandRefused refused) {
            return refuseOperatorCommand(state, "release", refused, request.replyTo());
        }
        return onRequestRelease(state, cmd, request.replyTo());
    }

    /**
     * The operator command a Kill or RequestRelease carries, verified: signature, admitted operator, kind, time,
     * that it names this entity (a kill: scope ENTITY; its nonce was spent at the edge that accepted it) and that
     * this entity never took it. The caller journals it as taken ({@link #taken}) with what it does.
     */
    private VerifiedOperatorCommand operatorCommand(SupervisorState state, String token, OperatorCommandKind kind,
            String targetField) {
        VerifiedOperatorCommand cmd = services.operatorCommands().verify(token, kind);
        // The edge spent the token's nonce in the journaled replay guard; a cluster member that captured the
        // forwarded command could still re-send it here within its lifetime. So the entity journals every command it
        // takes and refuses it again until it expires, across restarts and passivation.
        TakenCommands taken = state.memory().taken();
        if (taken.contains(clip(cmd.jti()))) {
            throw new OperatorCommandRefused(OperatorCommandRefused.Code.REPLAYED, "command " + clip(cmd.jti())
                    + " was already taken by " + self);
        }
        if (cmd.issuedAt().toEpochMilli() < incarnationStartMillis - OPERATOR_CLOCK_SKEW_MILLIS) {
            throw new OperatorCommandRefused(OperatorCommandRefused.Code.REPLAYED, "issued before this incarnation of "
                    + self + " started");
        }
        if (!taken.hasRoom(now())) {
            throw new OperatorCommandRefused(OperatorCommandRefused.Code.FORBIDDEN, "more than " + TakenCommands.MAX
                    + " unexpired operator commands were taken by " + self + "; try again when some expire");
        }
        String named = cmd.text(kind == OperatorCommandKind.KILL ? "name" : "entity");
        if (kind == OperatorCommandKind.KILL && !"ENTITY".equalsIgnoreCase(cmd.text(targetField))) {
            throw new OperatorCommandRefused(OperatorCommandRefused.Code.WRONG_TARGET, "a kill sent to an entity "
                    + "must name scope ENTITY");
        }
        if (!self.toString().equals(named)) {
            throw new OperatorCommandRefused(OperatorCommandRefused.Code.WRONG_TARGET, "the command names "
                    + clip(named) + ", not " + self);
        }
        cmd.text("reason");
        return cmd;
    }

    /** A Kill or RequestRelease that does not prove itself: journaled, answered with the unchanged status. */
    private ReplyEffect<SafetyEvent, SupervisorState> refuseOperatorCommand(SupervisorState state, String what,
            OperatorCommandRefused refused, ActorRef<EntityStatus> replyTo) {
        RefusalCode code = switch (refused.code()) {
            case BAD_SIGNATURE, WRONG_ALGORITHM -> RefusalCode.BAD_SIGNATURE;
            case UNKNOWN_OPERATOR -> RefusalCode.UNKNOWN_SENDER;
            case EXPIRED, NOT_YET_VALID, LIFETIME_TOO_LONG -> RefusalCode.STALE;
            case OVERSIZED -> RefusalCode.OVERSIZED;
            case WRONG_TARGET, WRONG_KIND, WRONG_TYPE, WRONG_AUDIENCE -> RefusalCode.WRONG_RECIPIENT;
            case REPLAYED -> RefusalCode.REPLAYED;
            case FORBIDDEN -> RefusalCode.RATE_LIMITED;
            default -> RefusalCode.MISSING_SIGNATURE;
        };
        EventAppender events = appender(state, System.currentTimeMillis());
        events.append(c -> new Refused(c, "operator " + what, "", code, clip(refused.getMessage())), "", List.of());
        return Effect().persist(events.batch()).thenReply(replyTo, s -> status(s, "operator " + what
                + " refused: " + clip(refused.getMessage())));
    }

    private ReplyEffect<SafetyEvent, SupervisorState> onRequestRelease(Quarantined state, VerifiedOperatorCommand cmd,
            ActorRef<EntityStatus> replyTo) {
        long now = now();
        List<Policy> policies = services.policies().applicable(spec.rail(), spec.pack());
        EventAppender events = appender(state, now, policies);
        // Taken even when it cannot open a release now: re-sent once a policy or the kill switch changed, it would.
        taken(events, cmd);
        if (!state.releaseApprovalId().isEmpty()) {
            return Effect().persist(events.batch()).thenReply(replyTo, s -> status(s, "release awaits approval "
                    + state.releaseApprovalId()));
        }
        Optional<String> covering = services.killSwitch().covering(self.toString(), spec.rail(), spec.pack());
        if (covering.isPresent()) {
            return Effect().persist(events.batch()).thenReply(replyTo, s -> status(s, "cannot release while the "
                    + "kill switch is engaged: " + covering.get()));
        }
        Optional<ApprovalRequirement> requirement = OutboundDecider.approvalFor(OutboundDecider.RELEASE_ACTION,
                situation(state, policies, now));
        if (requirement.isEmpty()) {
            return Effect().persist(events.batch()).thenReply(replyTo, s -> status(s, "no policy rule for '"
                    + OutboundDecider.RELEASE_ACTION + "' names approvers: release is not possible (fail closed)"));
        }
        ApprovalRequirement req = requirement.get();
        String approvalId = ApprovalRequest.idFor(self, "release-" + (state.chain().sequence() + 1));
        String versions = org.nexusswarm.safety.internal.policy.PolicyEngine.versions(policies);
        events.append(c -> new ReleaseRequested(c, approvalId, "operator " + clip(cmd.operator()), clip(cmd.text("reason")),
                describe(req), versions), "", List.of("external:operator " + clip(cmd.operator())));
        return Effect().persist(events.batch())
                .thenRun(s -> {
                    services.openApproval(new ApprovalRequest.Open(approvalId, self, "release", OutboundDecider.RELEASE_ACTION,
                            self + " asks to be released from quarantine: " + clip(cmd.text("reason")), req,
                            context.getSystem().ignoreRef()));
                    armDeadline(approvalId, now + req.timeout().toMillis());
                })
                .thenReply(replyTo, s -> status(s, "release awaits approval " + approvalId));
    }

    /**
     * A release decision through sharding: its votes must prove it against the requirement the policies in force
     * name for release. A rejection without enough votes (a time-out) is left to this supervisor's own deadline.
     */
    private ReplyEffect<SafetyEvent, SupervisorState> onReleaseProof(Quarantined state, ApprovalProof proof) {
        String approvalId = proof.decided() == null ? null : proof.decided().approvalId();
        if (approvalId == null || state.releaseApprovalId().isEmpty() || !approvalId.equals(state.releaseApprovalId())) {
            return Effect().noReply();
        }
        long now = now();
        Optional<ApprovalRequirement> requirement = OutboundDecider.approvalFor(OutboundDecider.RELEASE_ACTION,
                situation(state, services.policies().applicable(spec.rail(), spec.pack()), now));
        if (requirement.isEmpty()) {
            return refuseDecision(state, approvalId, "no policy names release approvers any more", "");
        }
        ApprovalProof.Result result = proof.verify(approvalId, requirement.get(), null, Long.MAX_VALUE, now,
                services.operatorCommands().settings().audience());
        if (result instanceof ApprovalProof.Forged forged) {
            if (!proof.decided().approved()) {
                return Effect().noReply(); // an unproven rejection: the deadline timer decides
            }
            return refuseDecision(state, approvalId, forged.problem(), "");
        }
        return onReleaseDecided(state, (ApprovalProof.Verified) result);
    }

    private ReplyEffect<SafetyEvent, SupervisorState> onReleaseDecided(Quarantined state,
            ApprovalProof.Verified decided) {
        if (!decided.approvalId().equals(state.releaseApprovalId())) {
            return Effect().noReply();
        }
        timers.cancel(decided.approvalId());
        EventAppender events = appender(state, now());
        ApprovalResolved resolved = events.append(c -> new ApprovalResolved(c, decided.approvalId(),
                decided.approved(), decided.reason(), decided.voters()), "",
                List.of("external:approvers of " + decided.approvalId()));
        if (!decided.approved()) {
            return Effect().persist(events.batch()).thenNoReply();
        }
        if (!state.memory().held().isEmpty()) {
            // Held by the logic before its kill, not yet journaled as refused: they are now, never sent.
            appendDropped(events, state, state.memory().held(), RefusalCode.QUARANTINED,
                    "held by the throttle when the logic was stopped; never sent", true);
        }
        events.append(c -> new Released(c, decided.approvalId(), decided.reason(), decided.voters()), "",
                List.of(events.ref(resolved)));
        Optional<String> covering = services.killSwitch().covering(self.toString(), spec.rail(), spec.pack());
        if (covering.isPresent()) {
            // Engaged after the release was asked for (and its notice ignored while quarantined): the kill switch
            // overrides the approvers, so the entity is killed again before any logic starts.
            events.append(c -> new Killed(c, "kill switch", covering.get()), "", List.of("external:kill switch"));
            return Effect().persist(events.batch()).thenNoReply();
        }
        return Effect().persist(events.batch()).thenRun(s -> spawnChild()).thenNoReply();
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
        EventAppender events = appender(state, now());
        events.append(c -> new Killed(c, "safety-layer", "logic " + logicVersion
                + " stopped after repeated failures"), "", List.of());
        return Effect().persist(events.batch()).thenRun(s -> stopChild()).thenNoReply();
    }

    /** The logic child started: what it declared is what this incarnation is judged by; waiting commands go on. */
    private ReplyEffect<SafetyEvent, SupervisorState> onLogicReady(SupervisorState state, LogicChild.Ready ready) {
        if (child == null || !child.equals(ready.child())) {
            return Effect().noReply();
        }
        LogicChild.Declarations declared = ready.declarations();
        logicVersion = clip(declared.version());
        acceptsInput = declared.accepts();
        payloadParameters = declared.payloads();
        childReady = true;
        if (reopenPendingWhenReady) {
            reopenPendingWhenReady = false;
            state.memory().pending().values().forEach(this::openApproval);
        }
        return Effect().noReply().thenUnstashAll();
    }

    /**
     * The logic failed (or overran) while starting: killed and quarantined like any fault. It never ran, so no
     * Started is journaled for it; commands that waited for it are then refused as quarantined.
     */
    private ReplyEffect<SafetyEvent, SupervisorState> onStartFault(Active state, LogicChild.Fault cmd) {
        if (child == null || !child.equals(cmd.child())) {
            return Effect().noReply();
        }
        startJournaled = true;
        EventAppender events = appender(state, now());
        events.append(c -> new Killed(c, "safety-layer", clip(cmd.reason())), "", List.of());
        return Effect().persist(events.batch()).thenRun(s -> stopChild()).thenNoReply().thenUnstashAll();
    }

    /** The logic threw or overran its step budget: journaled as a kill, the child stopped, quarantined. */
    private ReplyEffect<SafetyEvent, SupervisorState> onLogicFault(Active state, LogicChild.Fault cmd) {
        if (child == null || !child.equals(cmd.child())) {
            return Effect().noReply();
        }
        EventAppender events = appender(state, now());
        events.append(c -> new Killed(c, "safety-layer", clip(cmd.reason())), "", List.of());
        return Effect().persist(events.batch()).thenRun(s -> stopChild()).thenNoReply();
    }

    private ReplyEffect<SafetyEvent, SupervisorState> onDeliveryAck(SupervisorState state, DeliveryAck ack) {
        if (ack.reply() instanceof DeliveryReply.Refused refused) {
            context.getLog().warn("{}: delivery refused: {}", self, refused);
        }
        return Effect().noReply();
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    /** The time decisions are made and journaled at: the node's injected clock ({@link SafetyRegistry#clock}). */
    private long now() {
        return registry.clock().millis();
    }

    private static String describe(ApprovalRequirement req) {
        return (req.kind() == ApprovalRequirement.Kind.CO_SIGN ? "co-sign " : "quorum ") + req.k() + " of "
                + req.approvers().size() + ", " + req.timeout().toSeconds() + "s";
    }

    private static String clip(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= MAX_UNAUTHENTICATED_CHARS ? s : s.substring(0, MAX_UNAUTHENTICATED_CHARS) + "…";
    }

    /**
     * An appender for the events of one command. The first batch each incarnation of the logic writes opens with
     * {@code Started}, so every episode a reviewer reads names the logic and credential its decisions were made
     * with, and a replay knows where the live logic started from empty memory.
     */
    private EventAppender appender(SupervisorState state, long now) {
        return appender(state, now, services.policies().applicable(spec.rail(), spec.pack()));
    }

    /** The same, for a command that already looked up the policies in force (not looked up twice). */
    private EventAppender appender(SupervisorState state, long now, List<Policy> policies) {
        String policyVersion = org.nexusswarm.safety.internal.policy.PolicyEngine.versions(policies);
        EventAppender events = new EventAppender(state.memory(), new EventAppender.Context(persistenceId, spec.place(),
                policyVersion, logicVersion, services.checkpointSigner(), settings.checkpointEvery()), now);
        if (state instanceof Active && !startJournaled && credentialProblem.isEmpty()) {
            startJournaled = true;
            events.append(c -> new SafetyEvent.Started(c, spec.rail(), spec.pack(), logicVersion,
                    spec.credential().id(), spec.credential().toJson()), "", List.of("external:deployment"));
        }
        return events;
    }

    /**
     * The cause of an inbound envelope: the sender's ActionAllowed (an entity's nonce is the sequence of the
     * event that allowed the send), or the outside principal that sent it.
     */
    private static List<String> causeOf(SignedEnvelope envelope) {
        try {
            return List.of(EntityAddress.parse(envelope.sender()).persistenceId() + "#" + envelope.nonce());
        } catch (IllegalArgumentException | NullPointerException e) {
            return List.of("external:" + clip(envelope.sender()));
        }
    }

    private EntityStatus status(SupervisorState state) {
        return status(state, state instanceof Quarantined q ? q.reason() : invalidCredential());
    }

    private EntityStatus status(SupervisorState state, String reason) {
        return new EntityStatus(self, state instanceof Quarantined, state.denials(), state.chain().sequence(), reason);
    }
}
