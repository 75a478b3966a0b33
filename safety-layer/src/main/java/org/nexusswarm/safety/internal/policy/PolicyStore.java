package org.nexusswarm.safety.internal.policy;

import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.policy.PolicyChange;
import org.nexusswarm.safety.api.policy.PolicyChanged;
import org.nexusswarm.safety.api.policy.PolicyChangedSigned;
import org.nexusswarm.safety.api.policy.PolicyParseException;
import org.nexusswarm.safety.api.policy.PolicyParser;
import org.nexusswarm.safety.api.policy.PolicyStoreEvent;


import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.IdentityDirectory;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused;
import org.nexusswarm.safety.api.operator.VerifiedOperatorCommand;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * The journaled source of truth for one scope's policy ({@code rail:<name>} or {@code pack:<name>}): a
 * sharded, event-sourced entity ({@link #ENTITY_KEY} "policy", persistence id {@code policy|<scope>}).
 *
 * <p>A {@link Propose} is accepted only when, in this order: its signature verifies against the operator's
 * DID; that DID is admitted in the node's {@link SafetyRegistry} under a name starting with
 * {@code operator:}; its nonce exceeds every earlier nonce of that operator here; the text parses; the
 * policy names this scope; and its version is higher than the current one. Then {@link PolicyChanged} is
 * persisted (the journal is the audit trail) and only after that the policy is published to the
 * {@link PolicyRegistry} of every node. A refusal persists nothing and answers with an error starting with
 * {@link #FORBIDDEN} (authentication) or {@link #INVALID} (content). After recovery the current policy is
 * published again, so a restarted cluster regains its policies once the stores are woken ({@link #wake}).
 */
public final class PolicyStore
        extends EventSourcedBehaviorWithEnforcedReplies<PolicyStore.Command, PolicyStoreEvent, PolicyStore.State> {

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "policy");

    /** Prefix of refusals for who sent the change (bad signature, not an operator): HTTP 403. */
    public static final String FORBIDDEN = "forbidden: ";
    /** Prefix of refusals for what the change says (does not parse, stale version, replayed nonce): HTTP 400. */
    public static final String INVALID = "invalid: ";

    /** The store's protocol. */
    public interface Command extends SwarmMessage {}

    /** Replace the policy; answered with the new version or a refusal. */
    public record Propose(PolicyChange change, ActorRef<StatusReply<Long>> replyTo) implements Command {}

    /**
     * Replace the policy with the one a signed operator command (kind {@code policy}, body {@code {scope, text}})
     * carries; its nonce was spent by the edge ({@code OperatorCommands}), the store checks the rest again.
     */
    public record ProposeSigned(String token, ActorRef<StatusReply<Long>> replyTo) implements Command {}

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
    private final IdentityDirectory identities;
    private final PolicyRegistry registry;

    private PolicyStore(ActorContext<Command> context, String scope) {
        super(PersistenceId.of(ENTITY_KEY.name(), scope),
                SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
        this.context = context;
        this.scope = scope;
        this.identities = SafetyRegistry.get(context.getSystem()).identities();
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
    public EventHandler<State, PolicyStoreEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
    }

    @Override
    public CommandHandlerWithReply<Command, PolicyStoreEvent, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onCommand(Propose.class, this::onPropose)
                .onCommand(ProposeSigned.class, this::onProposeSigned)
                .onCommand(GetPolicy.class, (state, cmd) -> Effect().reply(cmd.replyTo(),
                        new Current(scope, state.version(), state.sha256(), state.text(), state.operatorDid())))
                .onCommand(Republish.class, (state, cmd) -> {
                    republish(state, "request");
                    return Effect().noReply();
                })
                .build();
    }

    private ReplyEffect<PolicyStoreEvent, State> onProposeSigned(State state, ProposeSigned cmd) {
        VerifiedOperatorCommand change;
        Policy policy;
        try {
            try {
                change = SafetyRegistry.get(context.getSystem()).services().operatorCommands()
                        .verify(cmd.token(), OperatorCommandKind.POLICY);
            } catch (OperatorCommandRefused r) {
                throw new Refusal((r.code().category() == OperatorCommandRefused.Category.FORBIDDEN ? FORBIDDEN
                        : INVALID) + r.getMessage());
            }
            String signedScope;
            String text;
            try {
                signedScope = change.text("scope");
                text = change.text("text");
            } catch (OperatorCommandRefused r) {
                throw new Refusal(INVALID + r.detail());
            }
            if (!scope.equals(signedScope)) {
                throw new Refusal(INVALID + "the change is signed for scope '" + clip(signedScope)
                        + "', this store holds '" + scope + "'");
            }
            policy = checkText(state, text);
        } catch (Refusal r) {
            context.getLog().warn("policy change for {} refused: {}", scope, r.getMessage());
            return Effect().reply(cmd.replyTo(), StatusReply.error(r.getMessage()));
        }
        PolicyChangedSigned event = new PolicyChangedSigned(scope, policy.version(), policy.sha256(), policy.text(),
                change.issuerDid(), change.jti(), change.token());
        return Effect().persist(event)
                .thenRun(s -> {
                    context.getLog().info("policy {} accepted from {}", policy.versionTag(), change.operator());
                    registry.publish(policy);
                })
                .thenReply(cmd.replyTo(), s -> StatusReply.success(policy.version()));
    }

    private ReplyEffect<PolicyStoreEvent, State> onPropose(State state, Propose cmd) {
        PolicyChange change = cmd.change();
        Policy policy;
        try {
            policy = check(state, change);
        } catch (Refusal r) {
            context.getLog().warn("policy change for {} refused: {}", scope, r.getMessage());
            return Effect().reply(cmd.replyTo(), StatusReply.error(r.getMessage()));
        }
        PolicyChanged event = new PolicyChanged(scope, policy.version(), policy.sha256(), policy.text(),
                change.operatorDid(), change.nonce(), Base64.getEncoder().encodeToString(change.signature()));
        return Effect().persist(event)
                .thenRun(s -> {
                    context.getLog().info("policy {} accepted from {}", policy.versionTag(), change.operatorDid());
                    registry.publish(policy);
                })
                .thenReply(cmd.replyTo(), s -> StatusReply.success(policy.version()));
    }

    /** The parsed policy if the change is acceptable; otherwise a refusal saying why. */
    private Policy check(State state, PolicyChange change) throws Refusal {
        if (!Policy.isValidScope(scope)) {
            throw new Refusal(INVALID + "'" + scope + "' is not a policy scope (rail:<name> or pack:<name>)");
        }
        if (change == null || change.text() == null || change.operatorDid() == null) {
            throw new Refusal(INVALID + "the change needs a text and an operator DID");
        }
        if (!scope.equals(change.scope())) {
            throw new Refusal(INVALID + "the change is signed for scope '" + change.scope() + "', this store holds '"
                    + scope + "'");
        }
        Did did;
        try {
            did = new Did(change.operatorDid());
        } catch (IllegalArgumentException e) {
            throw new Refusal(FORBIDDEN + "'" + clip(change.operatorDid()) + "' is not a DID");
        }
        if (!Ed25519.verify(did.publicKey(), change.signedBytes(), change.signature())) {
            throw new Refusal(FORBIDDEN + "the signature does not verify against " + did.shortForm());
        }
        boolean operator = identities.lookup(did.value()).map(p -> p.name().startsWith("operator:")).orElse(false);
        if (!operator) {
            throw new Refusal(FORBIDDEN + did.shortForm() + " is not an admitted operator");
        }
        Long last = state.lastNonces().get(did.value());
        if (last != null && change.nonce() <= last) {
            throw new Refusal(INVALID + "nonce " + change.nonce() + " was already used (replay?); this operator's "
                    + "last nonce here is " + last);
        }
        return checkText(state, change.text());
    }

    /** The parsed policy if {@code text} parses, names this scope and raises the version. */
    private Policy checkText(State state, String text) throws Refusal {
        Policy policy;
        try {
            policy = PolicyParser.parse(text);
        } catch (PolicyParseException e) {
            throw new Refusal(INVALID + "the policy does not parse: " + e.getMessage());
        }
        if (!scope.equals(policy.scope())) {
            throw new Refusal(INVALID + "the policy text declares scope '" + policy.scope() + "', not '" + scope + "'");
        }
        if (policy.version() <= state.version()) {
            throw new Refusal(INVALID + "version " + policy.version() + " is not above the current version "
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
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }

    /** A refused change; the message is the reply. */
    private static final class Refusal extends Exception {
        Refusal(String message) {
            super(message, null, false, false);
        }
    }
}
