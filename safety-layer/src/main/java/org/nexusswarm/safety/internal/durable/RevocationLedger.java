package org.nexusswarm.safety.internal.durable;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;
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
import org.nexusswarm.safety.api.credential.RevocationList;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused;
import org.nexusswarm.safety.api.operator.OperatorTokenVerifier;
import org.nexusswarm.safety.api.operator.RevocationOperations;
import org.nexusswarm.safety.api.operator.VerifiedOperatorCommand;

/**
 * The source of truth for credential revocations: one event-sourced entity for the whole cluster
 * ({@link #ENTITY_KEY} {@code safety-revocations}, id {@value #ENTITY_ID}, persistence id
 * {@code safety-revocations|cluster}). {@link RevocationList} (Distributed Data) is the fast read path, re-seeded
 * from this journal when a node starts. Revocation is permanent: the state only grows (no snapshots; a few thousand
 * ids replay in well under a second).
 *
 * <p>Each write carries the signed {@code revoke} command and is checked here again, like the operator edge does.
 */
public final class RevocationLedger
        extends EventSourcedBehaviorWithEnforcedReplies<RevocationLedger.Command, RevocationLedger.Revoked,
        RevocationLedger.State> {

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "safety-revocations");
    public static final String ENTITY_ID = "cluster";
    private static final int MAX_REASON_CHARS = 300;

    /** The ledger's protocol (crosses the network through sharding, so every write is signed). */
    public interface Command extends SwarmMessage {}

    /** Journal the revocation a signed {@code revoke} command asks for; answered once stored. */
    public record Revoke(String token, ActorRef<LedgerReply> replyTo) implements Command {}

    /** The revoked ids. */
    public record Get(ActorRef<State> replyTo) implements Command {}

    /** Journaled: {@code credentialId} revoked by {@code operator} (its DID and command {@code jti}). */
    public record Revoked(String credentialId, String operator, String reason, String operatorDid, String jti,
            long atMillis) implements SwarmMessage {}

    /** Every revoked credential id. */
    public record State(Set<String> revoked) implements SwarmMessage {
        public static final State EMPTY = new State(Set.of());

        public State {
            revoked = Set.copyOf(revoked);
        }

        State apply(Revoked e) {
            Set<String> next = new HashSet<>(revoked);
            next.add(e.credentialId());
            return new State(next);
        }
    }

    private final Supplier<OperatorTokenVerifier> verifiers;
    private final Clock clock;

    private RevocationLedger(PersistenceId id, Supplier<OperatorTokenVerifier> verifiers, Clock clock) {
        super(id, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
        this.verifiers = verifiers;
        this.clock = clock;
    }

    public static Behavior<Command> create(Supplier<OperatorTokenVerifier> verifiers, Clock clock) {
        return Behaviors.setup(ctx -> new RevocationLedger(ledgerId(), verifiers, clock));
    }

    public static PersistenceId ledgerId() {
        return PersistenceId.of(ENTITY_KEY.name(), ENTITY_ID);
    }

    @Override
    public State emptyState() {
        return State.EMPTY;
    }

    @Override
    public EventHandler<State, Revoked> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
    }

    @Override
    public CommandHandlerWithReply<Command, Revoked, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onCommand(Revoke.class, this::onRevoke)
                .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
                .build();
    }

    private ReplyEffect<Revoked, State> onRevoke(State state, Revoke cmd) {
        Revoked revoked;
        try {
            VerifiedOperatorCommand verified = verifiers.get().verify(cmd.token(), OperatorCommandKind.REVOKE);
            String id = RevocationOperations.checkedCredentialId(verified);
            String reason = RevocationOperations.checkedReason(verified);
            revoked = new Revoked(id, verified.operator(), reason.length() <= MAX_REASON_CHARS ? reason
                    : reason.substring(0, MAX_REASON_CHARS) + "…", verified.issuerDid(), verified.jti(),
                    clock.millis());
        } catch (OperatorCommandRefused refused) {
            return Effect().reply(cmd.replyTo(), LedgerReply.refused(refused.code(), refused.detail()));
        }
        if (state.revoked().contains(revoked.credentialId())) {
            return Effect().reply(cmd.replyTo(), LedgerReply.ACCEPTED);
        }
        return Effect().persist(revoked).thenReply(cmd.replyTo(), s -> LedgerReply.ACCEPTED);
    }
}
