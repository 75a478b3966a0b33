package org.nexusswarm.safety.internal.policy;

import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.policy.PolicyChange;
import org.nexusswarm.safety.api.policy.PolicyChanged;
import org.nexusswarm.safety.api.policy.PolicyChangedSigned;
import org.nexusswarm.safety.api.policy.PolicyParseException;
import org.nexusswarm.safety.api.policy.PolicyParser;
import org.nexusswarm.safety.api.policy.PolicyStoreEvent;


import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandlerBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.safety.api.operator.OperatorCommandAuthenticator;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused.Code;
import org.nexusswarm.safety.api.operator.VerifiedOperatorCommand;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * The journaled source of truth for one scope's policy ({@code rail:<name>} or {@code pack:<name>}): a
 * sharded, event-sourced entity ({@link #ENTITY_KEY} "policy", persistence id {@code policy|<scope>}).
 *
 * <p>A policy arrives only as a signed operator command ({@link ProposeSigned}, kind {@code policy}), whoever sends
 * it through sharding: the node's one {@link OperatorCommandAuthenticator} verifies the token (signature, admitted
 * operator, audience, time) and the store checks it names this scope; only then is the token's nonce claimed in the
 * journaled ledger (so a token sent to the wrong store does not burn it, and a replayed one is refused
 * {@code REPLAYED} whatever it says); then the text must parse, name this scope and raise the version. Then
 * {@link PolicyChangedSigned} is persisted (the journal is the audit trail) and only after that the policy is
 * published to the {@link PolicyRegistry} of every node.
 *
 * <p>A refusal is journaled as {@link ChangeRefused} (bounded: the first {@value #REFUSALS_JOURNALED_EACH} per
 * reason, then only at each power of two of the running count, counted per incarnation since the last snapshot) and
 * answered with an error starting with {@link #FORBIDDEN} (who sent it) or {@link #INVALID} (what it says),
 * followed by the {@link Code} name. The retired signed-bytes {@link Propose} is refused {@code LEGACY_FORMAT}.
 * Journals of earlier versions hold {@link PolicyChanged} events; they are still read. After recovery the current
 * policy is published again, so a restarted cluster regains its policies once the stores are woken ({@link #wake}).
 */
public final class PolicyStore
        extends EventSourcedBehaviorWithEnforcedReplies<PolicyStore.Command, SwarmMessage, PolicyStore.State> {

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "policy");

    /** Prefix of refusals for who sent the change (bad signature, not an operator, replayed): HTTP 403. */
    public static final String FORBIDDEN = "forbidden: ";
    /** Prefix of refusals for what the change says (does not parse, stale version, replayed nonce): HTTP 400. */
    public static final String INVALID = "invalid: ";

    /** Refusals journaled one by one per reason before only powers of two of the count are journaled. */
    public static final int REFUSALS_JOURNALED_EACH = 8;

    /** The store's protocol. */
    public interface Command extends SwarmMessage {}

    /**
     * Retired: the earlier signed-bytes policy change. Still Kryo-registered (370) so one that arrives through
     * sharding decodes and is refused {@code LEGACY_FORMAT} and journaled rather than failing in the serializer.
     */
    public record Propose(PolicyChange change, ActorRef<StatusReply<Long>> replyTo) implements Command {}

    /**
     * Replace the policy with the one a signed operator command (kind {@code policy}, body {@code {scope, text}})
     * carries; answered with the new version or a refusal. The store authenticates it itself (nonce included).
     */
    public record ProposeSigned(String token, ActorRef<StatusReply<Long>> replyTo) implements Command {}

    /** Internal: the ledger answered the claim of a policy push's nonce. Sent only by pipeToSelf. */
    private record Claimed(VerifiedOperatorCommand change, OperatorCommandRefused refused,
            ActorRef<StatusReply<Long>> replyTo) implements Command, NoSerializationVerificationNeeded {}

    /**
     * Event: a policy change was refused. {@code count} is the number refused for {@code codeName} by this
     * incarnation so far (including ones not journaled one by one); {@code operatorDid} is who the change claims
     * to come from (unverified when the code says the signature did not verify).
     */
    public record ChangeRefused(String scope, String codeName, String operatorDid, String detail, long count)
            implements SwarmMessage {}

    /** Read the current policy text and version. */
    public record GetPolicy(ActorRef<Current> replyTo) implements Command {}

    /** Publish the current policy again (also what waking a store at boot does). */
    public enum Republish implements Command { INSTANCE }

    /** The current policy of a scope; {@code version} 0 and empty strings when none was ever accepted. */
    public record Current(String scope, long version, String sha256, String text, String operatorDid)
            implements SwarmMessage {}

    /**
     * The store's state: the current policy and, per operator DID, the highest nonce used.
     */
    public record State(long version, String sha256, String text, String operatorDid, Map<String, Long> lastNonces)
            implements SwarmMessage {

        public State {
            lastNonces = Map.copyOf(lastNonces);
        }

        static final State EMPTY = new State(0, "", "", "", Map.of());

        State apply(PolicyStoreEvent event) {
            if (event instanceof PolicyChanged e) {
                Map<String, Long> nonces = new HashMap<>(lastNonces);
                nonces.merge(e.operatorDid(), e.nonce(), Math::max);
                return new State(e.version(), e.sha256(), e.text(), e.operatorDid(), nonces);
            }
            // A signed command's nonce lives in the operator-command replay guard, not here.
            return new State(event.version(), event.sha256(), event.text(), event.operatorDid(), lastNonces);
        }
    }

    private final ActorContext<Command> context;
    private final String scope;
    private final PolicyRegistry registry;
    /** Refusals per reason, rebuilt from {@link ChangeRefused} on recovery so journaling stays bounded. */
    private final Map<String, Long> refusals = new HashMap<>();

    private PolicyStore(ActorContext<Command> context, String scope) {
        super(PersistenceId.of(ENTITY_KEY.name(), scope),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
        this.context = context;
        this.scope = scope;
        this.registry = PolicyRegistry.get(context.getSystem());
    }

    /** Registers the store with Cluster Sharding on this node (every node that may host stores calls it). */
    public static void init(ActorSystem<?> system) {
        ClusterSharding.get(system).init(Entity.of(ENTITY_KEY, ctx -> create(ctx.getEntityId())));
    }

    /** The store of {@code scope}, as a sharded entity. */
    public static EntityRef<Command> ref(ActorSystem<?> system, String scope) {
        return ClusterSharding.get(system).entityRefFor(ENTITY_KEY, scope);
    }

    /** Starts (and so recovers and republishes) the stores of {@code scopes}: call at boot after {@link #init}. */
    public static void wake(ActorSystem<?> system, Collection<String> scopes) {
        scopes.stream().filter(Policy::isValidScope).forEach(s -> ref(system, s).tell(Republish.INSTANCE));
    }

    public static Behavior<Command> create(String scope) {
        return Behaviors.setup(ctx -> new PolicyStore(ctx, scope));
    }

    @Override
    public State emptyState() {
        return State.EMPTY;
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(50, 2);
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), state -> republish(state, "recovery"))
                .build();
    }

    @Override
    public EventHandler<State, SwarmMessage> eventHandler() {
        EventHandlerBuilder<State, SwarmMessage> builder = newEventHandlerBuilder();
        builder.forAnyState()
                .onEvent(ChangeRefused.class, (state, refused) -> {
                    refusals.merge(refused.codeName(), refused.count(), Math::max);
                    return state;
                })
                .onEvent(PolicyStoreEvent.class, State::apply);
        return builder.build();
    }

    @Override
    public CommandHandlerWithReply<Command, SwarmMessage, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onCommand(Propose.class, this::onPropose)
                .onCommand(ProposeSigned.class, this::onProposeSigned)
                .onCommand(Claimed.class, this::onClaimed)
                .onCommand(GetPolicy.class, (state, cmd) -> Effect().reply(cmd.replyTo(),
                        new Current(scope, state.version(), state.sha256(), state.text(), state.operatorDid())))
                .onCommand(Republish.class, (state, cmd) -> {
                    republish(state, "request");
                    return Effect().noReply();
                })
                .build();
    }

    /**
     * Checks the token and that it names this store first, so a token sent to the wrong store never burns the
     * nonce it needs at the right one; only then claims the nonce, asynchronously.
     */
    private ReplyEffect<SwarmMessage, State> onProposeSigned(State state, ProposeSigned cmd) {
        OperatorCommandAuthenticator authenticator = SafetyRegistry.get(context.getSystem()).services()
                .operatorAuthenticator();
        VerifiedOperatorCommand change;
        try {
            change = authenticator.verifier().verify(cmd.token(), OperatorCommandKind.POLICY);
        } catch (OperatorCommandRefused r) {
            return refuse(cmd.replyTo(), "(unverified)", new Refusal(r.code(), r.detail()));
        }
        try {
            textFor(change);
        } catch (Refusal r) {
            return refuse(cmd.replyTo(), change.issuerDid(), r);
        }
        return Effect().none()
                .thenRun(s -> context.pipeToSelf(authenticator.claim(change), (ok, failure) -> new Claimed(change,
                        failure == null ? null : OperatorCommandRefused.in(failure).orElseGet(() ->
                                new OperatorCommandRefused(Code.UNAVAILABLE, "the replay guard failed: " + failure)),
                        cmd.replyTo())))
                .thenNoReply();
    }

    /** The nonce is claimed (or not): the text is checked against the state the change now meets, then applied. */
    private ReplyEffect<SwarmMessage, State> onClaimed(State state, Claimed msg) {
        VerifiedOperatorCommand change = msg.change();
        if (msg.refused() != null) {
            return refuse(msg.replyTo(), change.issuerDid(), new Refusal(msg.refused().code(),
                    msg.refused().detail()));
        }
        Policy policy;
        try {
            policy = checkText(state, textFor(change));
        } catch (Refusal r) {
            return refuse(msg.replyTo(), change.issuerDid(), r);
        }
        PolicyChangedSigned event = new PolicyChangedSigned(scope, policy.version(), policy.sha256(), policy.text(),
                change.issuerDid(), change.jti(), change.token());
        return Effect().persist(event)
                .thenRun(s -> {
                    context.getLog().info("policy {} accepted from {}", policy.versionTag(), change.operator());
                    registry.publish(policy);
                })
                .thenReply(msg.replyTo(), s -> StatusReply.success(policy.version()));
    }

    private ReplyEffect<SwarmMessage, State> onPropose(State state, Propose cmd) {
        String claimed = cmd.change() == null || cmd.change().operatorDid() == null ? "(none)"
                : cmd.change().operatorDid();
        return refuse(cmd.replyTo(), claimed, new Refusal(Code.LEGACY_FORMAT, "signed-bytes policy changes are "
                + "retired; push the policy as a signed operator command (kind policy, swarm policy push)"));
    }

    /** The policy text of a verified command that names this store. */
    private String textFor(VerifiedOperatorCommand change) throws Refusal {
        if (!Policy.isValidScope(scope)) {
            throw new Refusal(Code.INVALID, "'" + clip(scope) + "' is not a policy scope (rail:<name> or pack:<name>)");
        }
        String signedScope;
        String text;
        try {
            signedScope = change.text("scope");
            text = change.text("text");
        } catch (OperatorCommandRefused r) {
            throw new Refusal(r.code(), r.detail());
        }
        if (!scope.equals(signedScope)) {
            throw new Refusal(Code.WRONG_TARGET, "the change is signed for scope '" + clip(signedScope)
                    + "', this store holds '" + scope + "'");
        }
        return text;
    }

    /**
     * Answers a refused change and journals it, bounded: the first {@value #REFUSALS_JOURNALED_EACH} per reason,
     * then only when the running count reaches a power of two.
     */
    private ReplyEffect<SwarmMessage, State> refuse(ActorRef<StatusReply<Long>> replyTo, String operatorDid,
            Refusal refusal) {
        context.getLog().warn("policy change for {} refused: {}", scope, refusal.getMessage());
        String codeName = refusal.code().name();
        long count = refusals.getOrDefault(codeName, 0L) + 1;
        StatusReply<Long> reply = StatusReply.error(refusal.getMessage());
        if (count > REFUSALS_JOURNALED_EACH && Long.bitCount(count) != 1) {
            refusals.put(codeName, count);
            return Effect().reply(replyTo, reply);
        }
        return Effect().persist(new ChangeRefused(scope, codeName, clip(operatorDid), clip(refusal.detail()), count))
                .thenReply(replyTo, s -> reply);
    }

    /** The parsed policy if {@code text} parses, names this scope and raises the version. */
    private Policy checkText(State state, String text) throws Refusal {
        Policy policy;
        try {
            policy = PolicyParser.parse(text);
        } catch (PolicyParseException e) {
            throw new Refusal(Code.INVALID, "the policy does not parse: " + e.getMessage());
        }
        if (!scope.equals(policy.scope())) {
            throw new Refusal(Code.INVALID, "the policy text declares scope '" + policy.scope() + "', not '" + scope
                    + "'");
        }
        if (policy.version() <= state.version()) {
            throw new Refusal(Code.INVALID, "version " + policy.version() + " is not above the current version "
                    + state.version() + " of " + scope);
        }
        return policy;
    }

    private void republish(State state, String why) {
        if (state.version() == 0) {
            return;
        }
        Optional<Policy> policy;
        try {
            policy = Optional.of(PolicyParser.parse(state.text()));
        } catch (PolicyParseException e) {
            // A journaled text this code no longer accepts: fail closed (not published), loudly.
            context.getLog().error("journaled policy {}@{} no longer parses and is not published: {}", scope,
                    state.version(), e.getMessage());
            policy = Optional.empty();
        }
        policy.ifPresent(p -> {
            context.getLog().debug("republishing {} after {}", p.versionTag(), why);
            registry.publish(p);
        });
    }

    private static String clip(String s) {
        if (s == null) {
            return "(none)";
        }
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    /**
     * A refused change. The message is the reply: {@link #FORBIDDEN} or {@link #INVALID} by the code's category,
     * then {@code CODE: detail}, which the operator edge turns back into the typed refusal.
     */
    private static final class Refusal extends Exception {
        private final Code code;
        private final String detail;

        Refusal(Code code, String detail) {
            super((code.category() == OperatorCommandRefused.Category.FORBIDDEN ? FORBIDDEN : INVALID) + code + ": "
                    + detail, null, false, false);
            this.code = code;
            this.detail = detail;
        }

        Code code() {
            return code;
        }

        String detail() {
            return detail;
        }
    }
}
