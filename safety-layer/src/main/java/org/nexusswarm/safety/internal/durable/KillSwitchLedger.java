package org.nexusswarm.safety.internal.durable;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
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
import org.nexusswarm.safety.api.monitor.KillTarget;
import org.nexusswarm.safety.api.operator.KillSwitchOperations;
import org.nexusswarm.safety.api.operator.OperatorCommandKind;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused;
import org.nexusswarm.safety.api.operator.OperatorTokenVerifier;
import org.nexusswarm.safety.api.operator.VerifiedOperatorCommand;

/**
 * The source of truth for kill-switch engagements: one event-sourced entity for the whole cluster
 * ({@link #ENTITY_KEY} {@code safety-kill-switch}, id {@value #ENTITY_ID}, persistence id
 * {@code safety-kill-switch|cluster}). Distributed Data ({@code KillSwitch}) stays the fast read path; this journal is
 * what a restarted cluster re-seeds it from.
 *
 * <p>Every write carries the signed operator command itself and is checked here again (signature, admitted operator,
 * kind, time, audience), so a cluster member that sends a command straight through sharding gets no further than
 * the operator edge would. Its nonce was claimed at the edge; a replay within the token's lifetime only re-engages
 * what is engaged (no new event). A release is applied once per lift approval id, across restarts.
 *
 * <p>Caveat: the ledger cannot tell which target a lift approval was opened for (the approval request checks that
 * before it is consumed); a release names its target and is trusted for it.
 */
public final class KillSwitchLedger
        extends EventSourcedBehaviorWithEnforcedReplies<KillSwitchLedger.Command, KillSwitchLedger.Event,
        KillSwitchLedger.State> {

    public static final EntityTypeKey<Command> ENTITY_KEY = EntityTypeKey.create(Command.class, "safety-kill-switch");
    public static final String ENTITY_ID = "cluster";

    /** The ledger's protocol (crosses the network through sharding, so every write is signed). */
    public interface Command extends SwarmMessage {}

    /** Journal an engagement from a signed {@code kill} command; answered once stored. */
    public record Engage(String token, ActorRef<LedgerReply> replyTo) implements Command {}

    /** Journal the release of {@code target} by a signed {@code lift} command whose approval was consumed. */
    public record Release(String liftToken, KillTarget target, ActorRef<LedgerReply> replyTo) implements Command {}

    /** The engagements in force. */
    public record Get(ActorRef<State> replyTo) implements Command {}

    /** Journaled facts. */
    public sealed interface Event extends SwarmMessage permits Engaged, Released {}

    /** A target engaged by {@code operator} ({@code operatorDid}, command {@code jti}) for {@code reason}. */
    public record Engaged(String scope, String name, String operator, String reason, String operatorDid, String jti,
            long atMillis) implements Event {
        public KillTarget target() {
            return new KillTarget(KillTarget.Scope.valueOf(scope), name);
        }
    }

    /** Every engagement of a target released by the lift approval {@code approvalId}. */
    public record Released(String scope, String name, String approvalId, String operator, long atMillis)
            implements Event {}

    /** Engagements in force, and the lift approvals already applied. */
    public record State(List<Engaged> engaged, Set<String> usedApprovals) implements SwarmMessage {
        public static final State EMPTY = new State(List.of(), Set.of());

        public State {
            engaged = List.copyOf(engaged);
            usedApprovals = Set.copyOf(usedApprovals);
        }

        boolean engages(KillTarget target) {
            return engaged.stream().anyMatch(e -> e.scope().equals(target.scope().name())
                    && e.name().equals(target.name()));
        }

        boolean holds(Engaged e) {
            return engaged.stream().anyMatch(x -> x.scope().equals(e.scope()) && x.name().equals(e.name())
                    && x.operator().equals(e.operator()) && x.reason().equals(e.reason()));
        }

        State apply(Event event) {
            if (event instanceof Engaged e) {
                List<Engaged> next = new ArrayList<>(engaged);
                next.add(e);
                return new State(next, usedApprovals);
            }
            Released r = (Released) event;
            Set<String> used = new HashSet<>(usedApprovals);
            used.add(r.approvalId());
            return new State(engaged.stream().filter(e -> !(e.scope().equals(r.scope()) && e.name().equals(r.name())))
                    .toList(), used);
        }
    }

    /** The node's current operator-command verifier (installed after boot, so read at each command). */
    private final Supplier<OperatorTokenVerifier> verifiers;
    private final Clock clock;

    private KillSwitchLedger(PersistenceId id, Supplier<OperatorTokenVerifier> verifiers, Clock clock) {
        super(id, SupervisorStrategy.restartWithBackoff(Duration.ofMillis(200), Duration.ofSeconds(5), 0.2));
        this.verifiers = verifiers;
        this.clock = clock;
    }

    public static Behavior<Command> create(Supplier<OperatorTokenVerifier> verifiers, Clock clock) {
        return Behaviors.setup(ctx -> new KillSwitchLedger(ledgerId(), verifiers, clock));
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
                .onCommand(Engage.class, this::onEngage)
                .onCommand(Release.class, this::onRelease)
                .onCommand(Get.class, (state, cmd) -> Effect().reply(cmd.replyTo(), state))
                .build();
    }

    private ReplyEffect<Event, State> onEngage(State state, Engage cmd) {
        Engaged engaged;
        try {
            VerifiedOperatorCommand verified = verifiers.get().verify(cmd.token(), OperatorCommandKind.KILL);
            KillTarget target = KillSwitchOperations.target(verified);
            engaged = new Engaged(target.scope().name(), target.name(), verified.operator(), verified.text("reason"),
                    verified.issuerDid(), verified.jti(), clock.millis());
        } catch (OperatorCommandRefused refused) {
            return Effect().reply(cmd.replyTo(), LedgerReply.refused(refused.code(), refused.detail()));
        }
        if (state.holds(engaged)) {
            return Effect().reply(cmd.replyTo(), LedgerReply.ACCEPTED);
        }
        return Effect().persist(engaged).thenReply(cmd.replyTo(), s -> LedgerReply.ACCEPTED);
    }

    private ReplyEffect<Event, State> onRelease(State state, Release cmd) {
        VerifiedOperatorCommand verified;
        String approvalId;
        try {
            verified = verifiers.get().verify(cmd.liftToken(), OperatorCommandKind.LIFT);
            approvalId = verified.text("approvalId");
        } catch (OperatorCommandRefused refused) {
            return Effect().reply(cmd.replyTo(), LedgerReply.refused(refused.code(), refused.detail()));
        }
        if (cmd.target() == null) {
            return Effect().reply(cmd.replyTo(), LedgerReply.refused(OperatorCommandRefused.Code.MALFORMED,
                    "a release names its target"));
        }
        if (state.usedApprovals().contains(approvalId)) {
            return Effect().reply(cmd.replyTo(), LedgerReply.refused(OperatorCommandRefused.Code.ALREADY_USED,
                    "approval " + approvalId + " already released a target"));
        }
        if (!state.engages(cmd.target())) {
            // Nothing journaled to release (e.g. engaged before the ledger existed): the live switch is released.
            return Effect().reply(cmd.replyTo(), LedgerReply.ACCEPTED);
        }
        return Effect().persist(new Released(cmd.target().scope().name(), cmd.target().name(), approvalId,
                        verified.operator(), clock.millis()))
                .thenReply(cmd.replyTo(), s -> LedgerReply.ACCEPTED);
    }
}
