package org.nexusswarm.safety.internal.approval;

import org.nexusswarm.safety.api.approval.TokenVote;
import org.nexusswarm.safety.api.approval.Vote;

import org.nexusswarm.safety.api.approval.ApprovalDecided;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.approval.ApprovalView;
import org.nexusswarm.safety.api.approval.SignedVote;
import org.nexusswarm.safety.api.approval.VoteReply;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandlerBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.safety.api.operator.KillSwitchOperations;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorCommandAuthenticator;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused;
import org.nexusswarm.safety.api.operator.VerifiedOperatorCommand;
import org.nexusswarm.safety.internal.registry.SafetyServices;
import org.nexusswarm.safety.api.registry.SafetyRegistry;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.safety.api.approval.VoteReply.Code;
import org.nexusswarm.safety.api.approval.VoteReply.Refused;

/**
 * One approval request: a sharded, event-sourced entity that collects signed votes from the approvers an
 * {@link ApprovalRequirement} names, and tells the requester's supervisor the outcome. A vote is a signed operator
 * command (kind {@code vote}, {@link CastSignedVote}) and nothing else: the request checks it with the node's one
 * {@link OperatorCommandAuthenticator}, first the token against its own state, then (only if it would count) its
 * nonce in the journaled ledger, so a vote that reaches it through sharding from any cluster member is treated
 * exactly like one the operator API forwarded.
 *
 * <p>Lifecycle: {@link Empty} until {@link Open}ed, then {@link Pending} until k approvals arrive (approved), more
 * than n − k denials arrive (rejected) or the deadline passes (rejected, "timed out"); then {@link Closed} for good.
 * The journal holds {@link Opened} (with the deadline, so recovery re-arms the timer), every accepted vote verbatim
 * ({@link TokenVote}; journals of earlier versions also hold {@link SignedVote}s, still read and re-verifiable), the
 * {@link ApprovalDecided} the requester receives, {@link VoteRefused}, and for lifts {@link DecisionConsumed} and
 * {@link ConsumeRefused}. Every event is persisted before anything is told; the requester is
 * notified once through {@link ApprovalNotifier} with an {@link ApprovalProof} (the decision, the summary it was
 * opened with, and the counted votes, which the requester verifies itself), and again only when it re-opens a decided request (a restarted supervisor learns the
 * outcome that way; {@link Get} also answers it).
 *
 * <p>Votes are refused (typed, and journaled as {@link VoteRefused}: the first {@value #REFUSALS_JOURNALED_EACH}
 * per reason one by one, then only at each power of two of the running count, so a flood of junk votes grows the
 * journal logarithmically, not linearly; an id never opened journals nothing) when they are in the retired
 * signed-bytes format ({@link CastVote}), come from a non-approver, do not verify, were minted for another swarm,
 * name another request, carry a nonce the ledger already holds, come from an approver who already voted, or arrive
 * after the decision. The token names the approval id, so a vote cannot be replayed on another request either.
 *
 * <p>A decision is used at most once. An approved kill-switch lift ({@value KillSwitchOperations#LIFT_ACTION},
 * requested by {@link KillSwitchOperations#REQUESTER}) is {@link Consume}d by the signed {@code lift} command that
 * applies it: the request checks the token, its state and the grace window, claims the token's nonce, and journals
 * {@link DecisionConsumed} before it answers, so the lift takes effect only after its use is durable, and a second
 * consume, at any node or after any restart, is refused {@code ALREADY_USED} (journaled as {@link ConsumeRefused},
 * bounded like refused votes). The requester has no journal of its own to hold the use, hence this one. Decisions a
 * supervisor requested are used in the supervisor's own journal ({@code ApprovalResolved}, {@code Released}) and are
 * never consumed here.
 *
 * <p>Caveat: no snapshots (a request has at most n votes and one use); its state types are never serialized.
 */
public final class ApprovalRequest
        extends EventSourcedBehaviorWithEnforcedReplies<ApprovalRequest.Command, SwarmMessage, ApprovalRequest.State> {

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "approval");

    public static final int MAX_ID_CHARS = 200;
    public static final int MAX_TEXT_CHARS = 200;
    public static final int MAX_SUMMARY_CHARS = 2000;
    public static final int MAX_COMMENT_CHARS = 1000;
    /** Approval ids are URL path segments and entity ids: a conservative alphabet, no '|' and no '/'. */
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9._:@-]{1," + MAX_ID_CHARS + "}");
    private static final String DEADLINE_TIMER = "deadline";
    /** Prefixes the refusal counts of consumes, kept apart from those of votes. */
    private static final String CONSUME_REFUSAL = "consume:";
    /** Refused votes journaled one by one per reason before only powers of two of the count are journaled. */
    public static final int REFUSALS_JOURNALED_EACH = 8;

    /** Everything an approval request accepts. */
    public interface Command extends SwarmMessage {}

    /**
     * Opens the request (asked by the requester's supervisor). Idempotent: the same content again is answered
     * with success (and, once decided, the decision is delivered again); different content under the same id is
     * refused with an error reply.
     */
    public record Open(String approvalId, EntityAddress requester, String intentId, String actionClass,
            String summary, ApprovalRequirement requirement, ActorRef<StatusReply<Done>> replyTo) implements Command {}

    /**
     * Retired: the earlier signed-bytes vote. Still Kryo-registered (394) so one that arrives through sharding
     * decodes and is refused {@link Code#LEGACY_FORMAT} and journaled rather than failing in the serializer; it
     * never counts.
     */
    public record CastVote(SignedVote vote, ActorRef<VoteReply> replyTo) implements Command {}

    /**
     * Cast a vote that is a signed operator command (kind {@code vote}); the request verifies it (signature,
     * audience, time, body), checks it against its state, claims its nonce in the journaled ledger and journals it
     * as a {@link TokenVote}.
     */
    public record CastSignedVote(String token, ActorRef<VoteReply> replyTo) implements Command {}

    /** Internal: the ledger answered the claim of a vote's nonce. Sent only by pipeToSelf, never registered. */
    private record VoteAuthenticated(TokenVote vote, OperatorCommandRefused refused, ActorRef<VoteReply> replyTo)
            implements Command, NoSerializationVerificationNeeded {}

    /** Asks for the request's current view (status {@code UNKNOWN} if never opened). */
    public record Get(ActorRef<ApprovalView> replyTo) implements Command {}

    /**
     * Uses an approved kill-switch lift once: {@code token} is the operator's signed {@code lift} command naming
     * this approval. Answered {@link ConsumeReply.Granted} only after {@link DecisionConsumed} is journaled.
     */
    public record Consume(String token, ActorRef<ConsumeReply> replyTo) implements Command {}

    /** Internal: the ledger answered the claim of a lift's nonce. Sent only by pipeToSelf, never registered. */
    private record ConsumeAuthenticated(VerifiedOperatorCommand lift, OperatorCommandRefused refused,
            ActorRef<ConsumeReply> replyTo) implements Command, NoSerializationVerificationNeeded {}

    /** The answer to {@link Consume}. */
    public sealed interface ConsumeReply extends SwarmMessage permits ConsumeReply.Granted, ConsumeReply.Refused {

        /** The decision is now used (journaled); the caller may apply it. */
        record Granted(ApprovalView view) implements ConsumeReply {}

        /** Not used; the code travels as the stable name of an {@link OperatorCommandRefused.Code}. */
        record Refused(String codeName, String detail) implements ConsumeReply {

            static Refused of(OperatorCommandRefused.Code code, String detail) {
                return new Refused(code.name(), detail);
            }

            public OperatorCommandRefused.Code code() {
                return OperatorCommandRefused.Code.valueOf(codeName);
            }
        }
    }

    /** Internal: the deadline timer fired. Only ever sent locally by the timer, so not registered with Kryo. */
    private enum DeadlinePassed implements Command { INSTANCE }

    /**
     * Event: the request was opened.
     *
     * @param openedAtMillis epoch millis of the opening
     * @param deadlineMillis epoch millis after which the request is rejected as timed out
     */
    public record Opened(String approvalId, EntityAddress requester, String intentId, String actionClass,
            String summary, ApprovalRequirement requirement, long openedAtMillis, long deadlineMillis)
            implements SwarmMessage {

        boolean sameRequestAs(Open open) {
            return approvalId.equals(open.approvalId()) && requester.equals(open.requester())
                    && intentId.equals(open.intentId()) && actionClass.equals(open.actionClass())
                    && summary.equals(open.summary()) && requirement.equals(open.requirement());
        }
    }

    /**
     * Event: a vote was refused. {@code count} is the number of votes refused for {@code codeName} on this request
     * so far (including ones not journaled one by one).
     */
    public record VoteRefused(String approvalId, String codeName, String approverDid, String detail, long count)
            implements SwarmMessage {}

    /** Event: the approved decision was used by the {@code lift} command {@code jti} of {@code operator}. */
    public record DecisionConsumed(String approvalId, String operator, String jti, long consumedAtMillis)
            implements SwarmMessage {}

    /**
     * Event: a consume was refused; {@code count} is the number refused for {@code codeName} on this request so far
     * (bounded journaling, as for {@link VoteRefused}).
     */
    public record ConsumeRefused(String approvalId, String codeName, String operator, String detail, long count)
            implements SwarmMessage {}

    /** The request's state, one type per phase. */
    public sealed interface State permits Empty, Pending, Closed {}

    /** Nothing opened under this id. */
    public record Empty() implements State {}

    /** Opened and collecting votes; {@code votes} are the accepted ones, in order. */
    public record Pending(Opened opened, List<Vote> votes) implements State {

        public Pending {
            votes = List.copyOf(votes);
        }

        Pending with(Vote vote) {
            List<Vote> more = new ArrayList<>(votes);
            more.add(vote);
            return new Pending(opened, more);
        }

        /** The approver's last nonce on this request, if the approver voted. */
        OptionalLong lastNonceOf(String approverDid) {
            return votes.stream().filter(v -> v.approverDid().equals(approverDid))
                    .mapToLong(Vote::nonce).max();
        }

        boolean signatureSeen(String signatureBase64) {
            return votes.stream().anyMatch(v -> v.replayKey().equals(signatureBase64));
        }

        long approvals() {
            return votes.stream().filter(Vote::approve).count();
        }

        long denials() {
            return votes.size() - approvals();
        }
    }

    /**
     * Decided: approved, rejected or timed out. Final. {@code consumed} is null until an approved lift is used; a used
     * decision answers everything else as a decided one does, so it is a field here rather than a phase of its own.
     */
    public record Closed(Opened opened, List<Vote> votes, ApprovalDecided decision, DecisionConsumed consumed)
            implements State {

        public Closed {
            votes = List.copyOf(votes);
        }

        Closed consumedBy(DecisionConsumed used) {
            return new Closed(opened, votes, decision, used);
        }
    }

    private final String approvalId;
    private final ActorContext<Command> context;
    private final TimerScheduler<Command> timers;
    private final ApprovalNotifier notifier;
    private final PendingApprovals index;
    /** Where the node's verifier of signed operator commands (votes) lives. */
    private final SafetyServices services;
    /**
     * Refused votes per reason. Rebuilt from {@link VoteRefused} on recovery (its count), so the journaling rule
     * stays bounded across restarts; refusals not journaled since the last restart are not counted again.
     */
    private final java.util.Map<String, Long> refusals = new java.util.HashMap<>();

    private ApprovalRequest(String approvalId, ActorContext<Command> context, TimerScheduler<Command> timers,
            ApprovalNotifier notifier, PendingApprovals index, SafetyServices services) {
        super(PersistenceId.of(ENTITY_KEY.name(), approvalId),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
        this.approvalId = approvalId;
        this.context = context;
        this.timers = timers;
        this.notifier = notifier;
        this.index = index;
        this.services = services;
    }

    /** Registers the entity type with Cluster Sharding on this node. Idempotent (sharding returns the same region). */
    public static void init(ActorSystem<?> system) {
        ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
    }

    /** The sharded request {@code approvalId}, for the requester's supervisor and the operator API. */
    public static EntityRef<Command> entityRef(ActorSystem<?> system, String approvalId) {
        return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, approvalId);
    }

    /**
     * The request's behaviour (sharding calls this; tests run it under the EventSourcedBehaviorTestKit). An id that
     * is not {@linkplain #isValidId valid} gets a stand-in that journals nothing and refuses everything.
     */
    public static Behavior<Command> create(String approvalId) {
        if (!isValidId(approvalId)) {
            return invalidId(approvalId);
        }
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new ApprovalRequest(approvalId, ctx, timers,
                ApprovalNotifier.get(ctx.getSystem()), PendingApprovals.get(ctx.getSystem()),
                SafetyRegistry.get(ctx.getSystem()).services())));
    }

    private static Behavior<Command> invalidId(String approvalId) {
        String problem = "approval id must be 1-" + MAX_ID_CHARS + " characters of A-Z a-z 0-9 . _ : @ -, got "
                + clip(approvalId);
        return Behaviors.receive(Command.class)
                .onMessage(Open.class, cmd -> {
                    cmd.replyTo().tell(StatusReply.error(problem));
                    return Behaviors.same();
                })
                .onMessage(CastVote.class, cmd -> {
                    cmd.replyTo().tell(Refused.of(Code.UNKNOWN_REQUEST, problem));
                    return Behaviors.same();
                })
                .onMessage(CastSignedVote.class, cmd -> {
                    cmd.replyTo().tell(Refused.of(Code.UNKNOWN_REQUEST, problem));
                    return Behaviors.same();
                })
                .onMessage(Get.class, cmd -> {
                    cmd.replyTo().tell(ApprovalView.unknown(approvalId));
                    return Behaviors.same();
                })
                .onMessage(Consume.class, cmd -> {
                    cmd.replyTo().tell(ConsumeReply.Refused.of(OperatorCommandRefused.Code.UNKNOWN_APPROVAL, problem));
                    return Behaviors.same();
                })
                .build();
    }

    /** True for ids usable as approval ids (entity ids and URL path segments). */
    public static boolean isValidId(String id) {
        return id != null && VALID_ID.matcher(id).matches();
    }

    /**
     * A deterministic approval id for one intent of one requester: {@code <kind>:<id>:<intentId>} when that is a
     * valid id, else a hash of it. A supervisor that restarts gets the same id back, so re-opening is idempotent.
     */
    public static String idFor(EntityAddress requester, String intentId) {
        String readable = requester + ":" + intentId;
        if (isValidId(readable)) {
            return readable;
        }
        return "approval-" + org.nexusswarm.memory.chronotope.HashChain.sha256Hex(
                readable.getBytes(StandardCharsets.UTF_8)).substring(0, 40);
    }

    @Override
    public State emptyState() {
        return new Empty();
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), this::onRecovered).build();
    }

    /** A pending request re-arms its deadline from the journaled one and re-enters the (in-memory) index. */
    private void onRecovered(State state) {
        if (state instanceof Pending pending) {
            long remaining = Math.max(0, pending.opened().deadlineMillis() - System.currentTimeMillis());
            timers.startSingleTimer(DEADLINE_TIMER, DeadlinePassed.INSTANCE, Duration.ofMillis(remaining));
            index.put(view(pending));
        }
    }

    @Override
    public EventHandler<State, SwarmMessage> eventHandler() {
        EventHandlerBuilder<State, SwarmMessage> builder = newEventHandlerBuilder();
        builder.forStateType(Empty.class)
                .onEvent(Opened.class, (state, opened) -> new Pending(opened, List.of()));
        builder.forStateType(Pending.class)
                .onEvent(SignedVote.class, Pending::with)
                .onEvent(TokenVote.class, Pending::with)
                .onEvent(VoteRefused.class, (state, refused) -> counted(state, refused))
                .onEvent(ConsumeRefused.class, (state, refused) -> counted(state, refused))
                .onEvent(ApprovalDecided.class, (state, decided) -> new Closed(state.opened(), state.votes(), decided,
                        null));
        builder.forStateType(Closed.class)
                .onEvent(VoteRefused.class, (state, refused) -> counted(state, refused))
                .onEvent(ConsumeRefused.class, (state, refused) -> counted(state, refused))
                .onEvent(DecisionConsumed.class, Closed::consumedBy);
        return builder.build();
    }

    @Override
    public CommandHandlerWithReply<Command, SwarmMessage, State> commandHandler() {
        CommandHandlerWithReplyBuilder<Command, SwarmMessage, State> builder = newCommandHandlerWithReplyBuilder();
        builder.forStateType(Empty.class)
                .onCommand(Open.class, this::open)
                // An id never opened journals nothing, whatever arrives.
                .onCommand(CastVote.class, (state, cmd) -> Effect().reply(cmd.replyTo(), legacy()))
                .onCommand(CastSignedVote.class, (state, cmd) -> Effect().reply(cmd.replyTo(),
                        Refused.of(Code.UNKNOWN_REQUEST, "no approval request " + clip(approvalId))))
                .onCommand(VoteAuthenticated.class, (state, cmd) -> Effect().reply(cmd.replyTo(),
                        Refused.of(Code.UNKNOWN_REQUEST, "no approval request " + clip(approvalId))))
                .onCommand(Consume.class, (state, cmd) -> Effect().reply(cmd.replyTo(), ConsumeReply.Refused.of(
                        OperatorCommandRefused.Code.UNKNOWN_APPROVAL, "no approval request " + clip(approvalId))))
                .onCommand(ConsumeAuthenticated.class, (state, cmd) -> Effect().reply(cmd.replyTo(),
                        ConsumeReply.Refused.of(OperatorCommandRefused.Code.UNKNOWN_APPROVAL, "no approval request "
                                + clip(approvalId))))
                .onCommand(DeadlinePassed.class, (state, cmd) -> Effect().noReply());
        builder.forStateType(Pending.class)
                .onCommand(Open.class, (state, cmd) -> reopen(state.opened(), cmd, Optional.empty(), List.of()))
                .onCommand(CastVote.class, this::refuseLegacy)
                .onCommand(CastSignedVote.class, this::castSignedVote)
                .onCommand(VoteAuthenticated.class, this::authenticated)
                .onCommand(Consume.class, this::consumePending)
                .onCommand(ConsumeAuthenticated.class, (state, cmd) -> refuseConsume(cmd.replyTo(),
                        cmd.lift().operator(), awaiting(state)))
                .onCommand(DeadlinePassed.class, this::timeOut);
        builder.forStateType(Closed.class)
                .onCommand(Open.class, (state, cmd) -> reopen(state.opened(), cmd, Optional.of(state.decision()),
                        state.votes()))
                .onCommand(CastVote.class, this::refuseLegacy)
                .onCommand(CastSignedVote.class, (state, cmd) -> refuse(cmd.replyTo(), null, Refused.of(
                        Code.ALREADY_DECIDED, approvalId + " is already decided: " + state.decision().reason())))
                .onCommand(VoteAuthenticated.class, (state, cmd) -> refuse(cmd.replyTo(), cmd.vote().approverDid(),
                        Refused.of(Code.ALREADY_DECIDED, approvalId + " was decided while the vote's nonce was "
                                + "claimed: " + state.decision().reason())))
                .onCommand(Consume.class, this::consume)
                .onCommand(ConsumeAuthenticated.class, this::consumeAuthenticated)
                .onCommand(DeadlinePassed.class, (state, cmd) -> Effect().noReply());
        builder.forAnyState()
                .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), view(state)));
        return builder.build();
    }

    private ReplyEffect<SwarmMessage, State> open(Empty state, Open cmd) {
        Optional<String> problem = problemWith(cmd);
        if (problem.isPresent()) {
            return Effect().reply(cmd.replyTo(), StatusReply.error(problem.get()));
        }
        long now = System.currentTimeMillis();
        Duration timeout = cmd.requirement().timeout();
        Opened opened = new Opened(approvalId, cmd.requester(), cmd.intentId(), cmd.actionClass(), cmd.summary(),
                cmd.requirement(), now, now + timeout.toMillis());
        return Effect().persist(opened)
                .thenRun(s -> {
                    timers.startSingleTimer(DEADLINE_TIMER, DeadlinePassed.INSTANCE, timeout);
                    index.put(view(s));
                })
                .thenReply(cmd.replyTo(), s -> StatusReply.ack());
    }

    private ReplyEffect<SwarmMessage, State> reopen(Opened opened, Open cmd, Optional<ApprovalDecided> decision,
            List<Vote> votes) {
        if (cmd.approvalId() == null || cmd.requester() == null || cmd.intentId() == null
                || cmd.actionClass() == null || cmd.summary() == null || cmd.requirement() == null
                || !opened.sameRequestAs(cmd)) {
            return Effect().reply(cmd.replyTo(), StatusReply.error("approval " + approvalId
                    + " is already open for " + opened.requester() + " intent " + opened.intentId()
                    + " with different content; choose another approval id"));
        }
        // The same request again: a requester that restarted asks; a decided request answers with its decision.
        return Effect().none()
                .thenRun(s -> decision.ifPresent(d -> notifier.notify(opened.requester(),
                        new ApprovalProof(d, opened.summary(), votes))))
                .thenReply(cmd.replyTo(), s -> StatusReply.ack());
    }

    private Optional<String> problemWith(Open cmd) {
        if (cmd.approvalId() == null || !cmd.approvalId().equals(approvalId)) {
            return Optional.of("open names approval " + clip(cmd.approvalId()) + " but was sent to " + approvalId);
        }
        if (cmd.requester() == null) {
            return Optional.of("an approval request needs a requester");
        }
        if (isBlankOrLong(cmd.intentId(), MAX_TEXT_CHARS) || isBlankOrLong(cmd.actionClass(), MAX_TEXT_CHARS)) {
            return Optional.of("intent id and action class must be non-blank and at most " + MAX_TEXT_CHARS
                    + " characters");
        }
        if (cmd.summary() == null || cmd.summary().length() > MAX_SUMMARY_CHARS) {
            return Optional.of("summary is required and at most " + MAX_SUMMARY_CHARS + " characters");
        }
        if (cmd.requirement() == null) {
            return Optional.of("an approval request needs a requirement");
        }
        Set<String> seen = new HashSet<>();
        for (String approver : cmd.requirement().approvers()) {
            if (!isApproverDid(approver)) {
                return Optional.of("approver " + clip(approver) + " is not an Ed25519 Nexus DID");
            }
            if (!seen.add(approver)) {
                return Optional.of("approver " + clip(approver) + " is named twice");
            }
        }
        return Optional.empty();
    }

    private static boolean isApproverDid(String did) {
        return did != null && did.startsWith(Did.PREFIX) && new Did(did).publicKey().length == Ed25519.KEY_BYTES;
    }

    private static Refused legacy() {
        return Refused.of(Code.LEGACY_FORMAT, "signed-bytes votes are retired; cast the vote as a signed operator "
                + "command (kind vote, swarm approvals vote)");
    }

    private ReplyEffect<SwarmMessage, State> refuseLegacy(State state, CastVote cmd) {
        String did = cmd.vote() == null ? null : cmd.vote().approverDid();
        return refuse(cmd.replyTo(), did, legacy());
    }

    /**
     * Checks the token and the vote against this request first, so a token sent to the wrong request (or one that
     * would not count) never burns the nonce it needs elsewhere; only then claims the nonce, asynchronously.
     */
    private ReplyEffect<SwarmMessage, State> castSignedVote(Pending state, CastSignedVote cmd) {
        OperatorCommandAuthenticator authenticator = services.operatorAuthenticator();
        VerifiedOperatorCommand verified;
        TokenVote vote;
        try {
            verified = authenticator.verifier().verify(cmd.token(), OperatorCommandKind.VOTE);
            vote = TokenVote.of(verified);
        } catch (OperatorCommandRefused r) {
            return refuse(cmd.replyTo(), null, Refused.of(codeOf(r), r.getMessage()));
        }
        Optional<Refused> refusal = check(state, vote);
        if (refusal.isPresent()) {
            return refuse(cmd.replyTo(), vote.approverDid(), refusal.get());
        }
        return Effect().none()
                .thenRun(s -> context.pipeToSelf(authenticator.claim(verified), (ok, failure) ->
                        new VoteAuthenticated(vote, failure == null ? null : OperatorCommandRefused.in(failure)
                                .orElseGet(() -> new OperatorCommandRefused(OperatorCommandRefused.Code.UNAVAILABLE,
                                        "the replay guard failed: " + failure)), cmd.replyTo())))
                .thenNoReply();
    }

    /** The nonce is claimed (or not): the vote is checked again against the state it now meets, then counted. */
    private ReplyEffect<SwarmMessage, State> authenticated(Pending state, VoteAuthenticated msg) {
        if (msg.refused() != null) {
            return refuse(msg.replyTo(), msg.vote().approverDid(), Refused.of(codeOf(msg.refused()),
                    msg.refused().getMessage()));
        }
        return cast(state, msg.vote(), msg.vote().approverDid(), msg.replyTo());
    }

    private static Code codeOf(OperatorCommandRefused r) {
        return switch (r.code()) {
            case BAD_SIGNATURE, WRONG_ALGORITHM, WRONG_TYPE -> Code.FORGED_SIGNATURE;
            case REPLAYED -> Code.REPLAYED;
            case WRONG_AUDIENCE -> Code.WRONG_AUDIENCE;
            case UNAVAILABLE -> Code.UNAVAILABLE;
            default -> Code.MALFORMED;
        };
    }

    private ReplyEffect<SwarmMessage, State> cast(Pending state, Vote vote, String did, ActorRef<VoteReply> replyTo) {
        Optional<Refused> refusal = check(state, vote);
        if (refusal.isPresent()) {
            return refuse(replyTo, did, refusal.get());
        }
        Optional<ApprovalDecided> decision = tally(state.with(vote));
        if (decision.isEmpty()) {
            return Effect().persist((SwarmMessage) vote)
                    .thenRun(s -> index.put(view(s)))
                    .thenReply(replyTo, this::view);
        }
        return Effect().persist(List.of((SwarmMessage) vote, decision.get()))
                .thenRun(this::announce)
                .thenReply(replyTo, this::view);
    }

    private Optional<Refused> check(Pending state, Vote vote) {
        if (vote == null || vote.approvalId() == null || vote.approverDid() == null) {
            return Optional.of(Refused.of(Code.MALFORMED, "a vote needs an approval id and an approver DID"));
        }
        if (!vote.approvalId().equals(approvalId)) {
            return Optional.of(Refused.of(Code.MALFORMED, "the vote is for approval " + clip(vote.approvalId())
                    + ", not " + approvalId));
        }
        if (vote.nonce() <= 0) {
            return Optional.of(Refused.of(Code.MALFORMED, "the nonce must be positive, got " + vote.nonce()));
        }
        if (vote.comment().length() > MAX_COMMENT_CHARS) {
            return Optional.of(Refused.of(Code.MALFORMED, "the comment exceeds " + MAX_COMMENT_CHARS + " characters"));
        }
        String did = vote.approverDid();
        if (!state.opened().requirement().approvers().contains(did)) {
            return Optional.of(Refused.of(Code.NOT_APPROVER, clip(did) + " is not an approver of " + approvalId));
        }
        if (!vote.signatureValid()) {
            return Optional.of(Refused.of(Code.FORGED_SIGNATURE, "the signature does not verify for " + did));
        }
        if (state.signatureSeen(vote.replayKey())) {
            return Optional.of(Refused.of(Code.REPLAYED, "this exact vote was already counted"));
        }
        // The token's nonce (jti) is the ledger's to spend; one vote per approver is this request's rule.
        if (state.lastNonceOf(did).isPresent()) {
            return Optional.of(Refused.of(Code.DUPLICATE_VOTER, did + " already voted on " + approvalId));
        }
        return Optional.empty();
    }

    /**
     * Answers a refused vote and journals it, bounded: the first {@value #REFUSALS_JOURNALED_EACH} per reason, then
     * only when the running count reaches a power of two.
     */
    private ReplyEffect<SwarmMessage, State> refuse(ActorRef<VoteReply> replyTo, String approverDid, Refused refusal) {
        long count = refusals.getOrDefault(refusal.codeName(), 0L) + 1;
        if (count > REFUSALS_JOURNALED_EACH && Long.bitCount(count) != 1) {
            refusals.put(refusal.codeName(), count);
            return Effect().reply(replyTo, refusal);
        }
        String did = approverDid == null ? "(none)" : clip(approverDid);
        return Effect().persist(new VoteRefused(approvalId, refusal.codeName(), did, clip(refusal.detail()), count))
                .thenReply(replyTo, s -> refusal);
    }

    private <S extends State> S counted(S state, VoteRefused refused) {
        refusals.merge(refused.codeName(), refused.count(), Math::max);
        return state;
    }

    /** A lift while the approvers still vote: its token is checked (a forgery is refused as such), then refused. */
    private ReplyEffect<SwarmMessage, State> consumePending(Pending state, Consume cmd) {
        try {
            VerifiedOperatorCommand lift = verifiedLift(cmd.token());
            return refuseConsume(cmd.replyTo(), lift.operator(), awaiting(state));
        } catch (OperatorCommandRefused r) {
            return refuseConsume(cmd.replyTo(), null, ConsumeReply.Refused.of(r.code(), r.detail()));
        }
    }

    private ConsumeReply.Refused awaiting(Pending state) {
        return ConsumeReply.Refused.of(OperatorCommandRefused.Code.AWAITS_APPROVAL, "approval " + approvalId
                + " awaits approval: " + state.approvals() + " of " + state.opened().requirement().k()
                + " approved so far; approvers vote with `swarm approvals approve " + approvalId + "`");
    }

    /**
     * Checks the lift token and the decision first, so a lift that cannot apply never burns its nonce; only then
     * claims the nonce, asynchronously, and {@link #consumeAuthenticated} checks again against the state it meets.
     */
    private ReplyEffect<SwarmMessage, State> consume(Closed state, Consume cmd) {
        VerifiedOperatorCommand lift;
        try {
            lift = verifiedLift(cmd.token());
        } catch (OperatorCommandRefused r) {
            return refuseConsume(cmd.replyTo(), null, ConsumeReply.Refused.of(r.code(), r.detail()));
        }
        Optional<ConsumeReply.Refused> refusal = checkConsume(state, lift);
        if (refusal.isPresent()) {
            return refuseConsume(cmd.replyTo(), lift.operator(), refusal.get());
        }
        OperatorCommandAuthenticator authenticator = services.operatorAuthenticator();
        return Effect().none()
                .thenRun(s -> context.pipeToSelf(authenticator.claim(lift), (ok, failure) ->
                        new ConsumeAuthenticated(lift, failure == null ? null : OperatorCommandRefused.in(failure)
                                .orElseGet(() -> new OperatorCommandRefused(OperatorCommandRefused.Code.UNAVAILABLE,
                                        "the replay guard failed: " + failure)), cmd.replyTo())))
                .thenNoReply();
    }

    /** The nonce is claimed (or not); of two consumes that both passed {@link #consume}, the first journaled wins. */
    private ReplyEffect<SwarmMessage, State> consumeAuthenticated(Closed state, ConsumeAuthenticated msg) {
        String operator = msg.lift().operator();
        if (msg.refused() != null) {
            return refuseConsume(msg.replyTo(), operator, ConsumeReply.Refused.of(msg.refused().code(),
                    msg.refused().detail()));
        }
        Optional<ConsumeReply.Refused> refusal = checkConsume(state, msg.lift());
        if (refusal.isPresent()) {
            return refuseConsume(msg.replyTo(), operator, refusal.get());
        }
        DecisionConsumed used = new DecisionConsumed(approvalId, clip(operator), clip(msg.lift().jti()),
                System.currentTimeMillis());
        return Effect().persist(used).thenReply(msg.replyTo(), s -> new ConsumeReply.Granted(view(s)));
    }

    /** The token of a {@code lift} command that names this approval (signature, admitted operator, time, audience). */
    private VerifiedOperatorCommand verifiedLift(String token) {
        VerifiedOperatorCommand lift = services.operatorAuthenticator().verifier().verify(token,
                OperatorCommandKind.LIFT);
        String named = lift.text("approvalId");
        if (!named.equals(approvalId)) {
            throw new OperatorCommandRefused(OperatorCommandRefused.Code.WRONG_TARGET, "the lift names approval "
                    + clip(named) + ", not " + approvalId);
        }
        return lift;
    }

    private Optional<ConsumeReply.Refused> checkConsume(Closed state, VerifiedOperatorCommand lift) {
        Opened opened = state.opened();
        if (!KillSwitchOperations.REQUESTER.equals(opened.requester())
                || !KillSwitchOperations.LIFT_ACTION.equals(opened.actionClass())) {
            return Optional.of(ConsumeReply.Refused.of(OperatorCommandRefused.Code.NOT_A_LIFT, "approval "
                    + approvalId + " is not a kill switch lift request"));
        }
        if (!state.decision().approved()) {
            return Optional.of(ConsumeReply.Refused.of(OperatorCommandRefused.Code.REJECTED, "approval " + approvalId
                    + " was rejected: " + state.decision().reason()));
        }
        DecisionConsumed used = state.consumed();
        if (used != null) {
            return Optional.of(ConsumeReply.Refused.of(OperatorCommandRefused.Code.ALREADY_USED, "approval "
                    + approvalId + " was already applied (by " + used.operator() + ", command " + used.jti() + ", at "
                    + java.time.Instant.ofEpochMilli(used.consumedAtMillis()) + "); request a new lift"));
        }
        if (System.currentTimeMillis() > opened.deadlineMillis() + KillSwitchOperations.LIFT_GRACE.toMillis()) {
            return Optional.of(ConsumeReply.Refused.of(OperatorCommandRefused.Code.APPROVAL_EXPIRED, "approval "
                    + approvalId + " is too old to apply (more than " + KillSwitchOperations.LIFT_GRACE.toMinutes()
                    + " min past its deadline); request a new lift"));
        }
        return Optional.empty();
    }

    /**
     * Answers a refused consume and journals it, bounded like refused votes (their own count per reason). An id
     * never opened journals nothing.
     */
    private ReplyEffect<SwarmMessage, State> refuseConsume(ActorRef<ConsumeReply> replyTo, String operator,
            ConsumeReply.Refused refusal) {
        String key = CONSUME_REFUSAL + refusal.codeName();
        long count = refusals.getOrDefault(key, 0L) + 1;
        if (count > REFUSALS_JOURNALED_EACH && Long.bitCount(count) != 1) {
            refusals.put(key, count);
            return Effect().reply(replyTo, refusal);
        }
        String who = operator == null ? "(unverified)" : clip(operator);
        return Effect().persist(new ConsumeRefused(approvalId, refusal.codeName(), who, clip(refusal.detail()), count))
                .thenReply(replyTo, s -> refusal);
    }

    private <S extends State> S counted(S state, ConsumeRefused refused) {
        refusals.merge(CONSUME_REFUSAL + refused.codeName(), refused.count(), Math::max);
        return state;
    }

    /** k approvals approve; more than n − k denials reject (k approvals can no longer come). */
    private Optional<ApprovalDecided> tally(Pending state) {
        ApprovalRequirement requirement = state.opened().requirement();
        int n = requirement.approvers().size();
        int k = requirement.k();
        long yes = state.approvals();
        long no = state.denials();
        List<String> voters = voters(state.votes());
        if (yes >= k) {
            String reason = requirement.kind() == ApprovalRequirement.Kind.CO_SIGN
                    ? "co-signed by " + yes + " of " + n + " (" + k + " needed)"
                    : yes + " of " + n + " approved (" + k + " needed)";
            return Optional.of(new ApprovalDecided(approvalId, true, reason, voters));
        }
        if (no > n - k) {
            return Optional.of(new ApprovalDecided(approvalId, false, no + " of " + n + " denied (" + k
                    + " approvals needed, at most " + (n - no) + " possible)", voters));
        }
        return Optional.empty();
    }

    private ReplyEffect<SwarmMessage, State> timeOut(Pending state, DeadlinePassed cmd) {
        ApprovalRequirement requirement = state.opened().requirement();
        ApprovalDecided decided = new ApprovalDecided(approvalId, false, "timed out after "
                + human(requirement.timeout()) + " with " + state.approvals() + " of " + requirement.k()
                + " approvals", voters(state.votes()));
        return Effect().persist(decided).thenRun(this::announce).thenNoReply();
    }

    /** After the decision is journaled: stop the clock, leave the index, tell the requester. */
    private void announce(State state) {
        if (state instanceof Closed closed) {
            timers.cancel(DEADLINE_TIMER);
            index.remove(approvalId);
            notifier.notify(closed.opened().requester(),
                    new ApprovalProof(closed.decision(), closed.opened().summary(), closed.votes()));
        }
    }

    private ApprovalView view(State state) {
        if (state instanceof Pending p) {
            return view(p.opened(), p.votes(), null);
        }
        if (state instanceof Closed c) {
            return view(c.opened(), c.votes(), c.decision());
        }
        return ApprovalView.unknown(approvalId);
    }

    private static ApprovalView view(Opened o, List<Vote> votes, ApprovalDecided decision) {
        List<String> yes = votes.stream().filter(Vote::approve).map(Vote::approverDid).toList();
        List<String> no = votes.stream().filter(v -> !v.approve()).map(Vote::approverDid).toList();
        return new ApprovalView(o.approvalId(), o.requester(), o.intentId(), o.actionClass(), o.summary(),
                o.requirement(), o.openedAtMillis(), o.deadlineMillis(), yes, no, decision);
    }

    private static List<String> voters(List<Vote> votes) {
        return votes.stream().map(Vote::approverDid).toList();
    }

    private static boolean isBlankOrLong(String s, int max) {
        return s == null || s.isBlank() || s.length() > max;
    }

    private static String clip(String s) {
        if (s == null) {
            return "(none)";
        }
        return s.length() <= MAX_TEXT_CHARS ? s : s.substring(0, MAX_TEXT_CHARS) + "…";
    }

    /** 90s → "1m30s", 5m → "5m". */
    static String human(Duration d) {
        StringBuilder out = new StringBuilder();
        if (d.toHours() > 0) {
            out.append(d.toHours()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            out.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0 || out.length() == 0) {
            out.append(d.toSecondsPart()).append('s');
        }
        return out.toString();
    }
}
