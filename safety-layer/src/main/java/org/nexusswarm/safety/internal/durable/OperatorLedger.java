package org.nexusswarm.safety.internal.durable;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.identity.Did;
import org.nexusswarm.actors.identity.Ed25519;
import org.nexusswarm.actors.identity.IdentityDirectory;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused.Code;
import org.nexusswarm.safety.api.operator.OperatorTokenVerifier;
import org.nexusswarm.safety.api.operator.VerifiedOperatorCommand;

/**
 * The source of truth for operators admitted cluster-wide: one event-sourced entity ({@link #ENTITY_KEY}
 * {@code safety-operators}, id {@value #ENTITY_ID}, persistence id {@code safety-operators|cluster}). Every node
 * admits them into its {@link IdentityDirectory} at start, before it serves operator commands, and refreshes them
 * while it runs.
 *
 * <p>Only an admitted operator's signed {@code operator-admit} / {@code operator-remove} command writes here (checked
 * again in the entity). Refused: a DID this node knows as something other than an operator (an entity's sender key
 * must not become an operator under another name), a name that is not {@code [A-Za-z0-9._@-]{1,64}}, and an operator
 * removing itself (the last one would lock the cluster out).
 */
public final class OperatorLedger
        extends EventSourcedBehaviorWithEnforcedReplies<OperatorLedger.Command, OperatorLedger.Event,
        OperatorLedger.State> {

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "safety-operators");
    public static final String ENTITY_ID = "cluster";
    private static final int MAX_DID_CHARS = 100;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    /** The ledger's protocol (crosses the network through sharding, so every write is signed). */
    public interface Command extends SwarmMessage {}

    /** Journal the admission a signed {@code operator-admit} command {@code {did, name}} asks for. */
    public record Admit(String token, ActorRef<LedgerReply> replyTo) implements Command {}

    /** Journal the removal a signed {@code operator-remove} command {@code {did}} asks for. */
    public record Remove(String token, ActorRef<LedgerReply> replyTo) implements Command {}

    /** The admitted operators. */
    public record Get(ActorRef<State> replyTo) implements Command {}

    /** Journaled facts. */
    public sealed interface Event extends SwarmMessage permits OperatorAdmitted, OperatorRemoved {}

    /** {@code did} admitted as {@code name} (with its {@code operator:} prefix) by {@code admittedBy}. */
    public record OperatorAdmitted(String did, String name, String admittedBy, String jti, long atMillis)
            implements Event {}

    /** {@code did} no longer an operator, removed by {@code removedBy}. */
    public record OperatorRemoved(String did, String removedBy, String jti, long atMillis) implements Event {}

    /** Admitted operators: DID to name ({@code operator:...}). */
    public record State(Map<String, String> operators) implements SwarmMessage {
        public static final State EMPTY = new State(Map.of());

        public State {
            operators = Map.copyOf(operators);
        }

        State apply(Event event) {
            Map<String, String> next = new HashMap<>(operators);
            if (event instanceof OperatorAdmitted a) {
                next.put(a.did(), a.name());
            } else {
                next.remove(((OperatorRemoved) event).did());
            }
            return new State(next);
        }
    }

    private final Supplier<OperatorTokenVerifier> verifiers;
    private final IdentityDirectory identities;
    private final Clock clock;

    private OperatorLedger(PersistenceId id, Supplier<OperatorTokenVerifier> verifiers, IdentityDirectory identities,
            Clock clock) {
        super(id, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
        this.verifiers = verifiers;
        this.identities = identities;
        this.clock = clock;
    }

    public static Behavior<Command> create(Supplier<OperatorTokenVerifier> verifiers, IdentityDirectory identities,
            Clock clock) {
        return Behaviors.setup(ctx -> new OperatorLedger(ledgerId(), verifiers, identities, clock));
    }

    public static PersistenceId ledgerId() {
        return PersistenceId.of(ENTITY_KEY.name(), ENTITY_ID);
    }

    @Override
    public State emptyState() {
        return State.EMPTY;
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
    }

    @Override
    public CommandHandlerWithReply<Command, Event, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onCommand(Admit.class, this::onAdmit)
                .onCommand(Remove.class, this::onRemove)
                .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
                .build();
    }

    private ReplyEffect<Event, State> onAdmit(State state, Admit cmd) {
        OperatorAdmitted admitted;
        try {
            VerifiedOperatorCommand verified = verifiers.get().verify(cmd.token(), OperatorCommandKind.ADMIT_OPERATOR);
            String did = checkedDid(verified);
            String name = verified.text("name");
            if (!NAME.matcher(name).matches()) {
                throw new OperatorCommandRefused(Code.MALFORMED, "an operator name is 1-64 of A-Z a-z 0-9 . _ @ -");
            }
            identities.lookup(did).filter(p -> !p.name().startsWith(OperatorTokenVerifier.OPERATOR_PREFIX))
                    .ifPresent(p -> {
                        throw new OperatorCommandRefused(Code.INVALID, "that DID is the key of " + p.name()
                                + ", not an operator's");
                    });
            admitted = new OperatorAdmitted(did, OperatorTokenVerifier.OPERATOR_PREFIX + name, verified.operator(),
                    verified.jti(), clock.millis());
        } catch (OperatorCommandRefused refused) {
            return Effect().reply(cmd.replyTo(), LedgerReply.refused(refused.code(), refused.detail()));
        }
        if (admitted.name().equals(state.operators().get(admitted.did()))) {
            return Effect().reply(cmd.replyTo(), LedgerReply.ACCEPTED);
        }
        return Effect().persist(admitted).thenReply(cmd.replyTo(), s -> LedgerReply.ACCEPTED);
    }

    private ReplyEffect<Event, State> onRemove(State state, Remove cmd) {
        OperatorRemoved removed;
        try {
            VerifiedOperatorCommand verified = verifiers.get().verify(cmd.token(),
                    OperatorCommandKind.REMOVE_OPERATOR);
            String did = checkedDid(verified);
            if (did.equals(verified.issuerDid())) {
                throw new OperatorCommandRefused(Code.INVALID, "an operator cannot remove itself");
            }
            if (!state.operators().containsKey(did)) {
                throw new OperatorCommandRefused(Code.WRONG_TARGET, "that DID is not an operator admitted in the "
                        + "cluster's ledger (operators given to one node at start are removed by restarting it)");
            }
            removed = new OperatorRemoved(did, verified.operator(), verified.jti(), clock.millis());
        } catch (OperatorCommandRefused refused) {
            return Effect().reply(cmd.replyTo(), LedgerReply.refused(refused.code(), refused.detail()));
        }
        return Effect().persist(removed).thenReply(cmd.replyTo(), s -> LedgerReply.ACCEPTED);
    }

    private static String checkedDid(VerifiedOperatorCommand verified) {
        String did = verified.text("did");
        try {
            if (did.length() > MAX_DID_CHARS || new Did(did).publicKey().length != Ed25519.KEY_BYTES) {
                throw new IllegalArgumentException("not an Ed25519 key");
            }
        } catch (RuntimeException e) {
            throw new OperatorCommandRefused(Code.MALFORMED, "did is not a did:nexus Ed25519 DID");
        }
        return did;
    }
}
