package org.nexusswarm.safety.api.operator;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.api.approval.VoteReply;
import org.nexusswarm.safety.api.credential.RevocationList;
import org.nexusswarm.safety.internal.durable.DurableSafetyState;
import org.nexusswarm.safety.internal.monitor.KillSwitch;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * The operator edge's one entry point: each method takes a signed operator command (compact JWS, see
 * {@link OperatorTokens}), has the {@link OperatorCommandAuthenticator} check it for the one kind that method
 * carries out (and spend its nonce), then hands the verified command to its service. Votes, lifts and policy pushes
 * are only verified here (for an early, typed answer) and forwarded: the approval request or policy store they reach
 * through sharding spends the nonce itself, so one sent there directly by a cluster member meets the same guard.
 * HTTP routes and CLI commands parse, call one of these, and render. Every failure is an
 * {@link OperatorCommandRefused}.
 */
public final class OperatorCommands implements Extension {

    private static final Duration DEFAULT_ASK_TIMEOUT = Duration.ofSeconds(15);

    private static final ExtensionId<OperatorCommands> ID = new ExtensionId<>() {
        @Override
        public OperatorCommands createExtension(ActorSystem<?> system) {
            var config = system.settings().config();
            Duration ask = config.hasPath("nexus.swarm.ask-timeout")
                    ? config.getDuration("nexus.swarm.ask-timeout") : DEFAULT_ASK_TIMEOUT;
            return new OperatorCommands(system, ask, OperatorCommandAuthenticator.get(system),
                    new KillSwitchOperations(system, SafetyRegistry.get(system), KillSwitch.get(system),
                            Clock.systemUTC(), ask),
                    new ReleaseOperations(system, ask),
                    new RevocationOperations(RevocationList.get(system),
                            cmd -> DurableSafetyState.get(system).revoke(cmd.token())),
                    new PolicyOperations(system, ask),
                    new OperatorRosterOperations(DurableSafetyState.get(system)), new MembershipOperations(system));
        }
    };

    private final ActorSystem<?> system;
    private final Duration askTimeout;
    private final OperatorCommandAuthenticator authenticator;
    private final KillSwitchOperations killSwitch;
    private final ReleaseOperations releases;
    private final RevocationOperations revocations;
    private final PolicyOperations policies;
    private final OperatorRosterOperations operators;
    private final MembershipOperations membership;

    public OperatorCommands(ActorSystem<?> system, Duration askTimeout, OperatorCommandAuthenticator authenticator,
            KillSwitchOperations killSwitch, ReleaseOperations releases, RevocationOperations revocations,
            PolicyOperations policies, OperatorRosterOperations operators, MembershipOperations membership) {
        this.system = system;
        this.askTimeout = askTimeout;
        this.authenticator = authenticator;
        this.killSwitch = killSwitch;
        this.releases = releases;
        this.revocations = revocations;
        this.policies = policies;
        this.operators = operators;
        this.membership = membership;
    }

    public static OperatorCommands get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    public CompletionStage<KillSwitchOperations.Engaged> engage(String token) {
        return run(token, OperatorCommandKind.KILL, killSwitch::engage);
    }

    public CompletionStage<KillSwitchOperations.LiftRequested> requestLift(String token) {
        return run(token, OperatorCommandKind.LIFT_REQUEST, killSwitch::requestLift);
    }

    /** Verified, not claimed here: the approval request claims the nonce when it consumes the decision. */
    public CompletionStage<KillSwitchOperations.Lifted> lift(String token) {
        return forward(token, OperatorCommandKind.LIFT, killSwitch::lift);
    }

    /** {@code entity}: the entity the request was addressed to (the command must name the same one). */
    public CompletionStage<EntityStatus> release(String entity, String token) {
        return run(token, OperatorCommandKind.RELEASE, cmd -> releases.release(cmd, entity));
    }

    public CompletionStage<RevocationOperations.Revoked> revoke(String token) {
        return run(token, OperatorCommandKind.REVOKE, revocations::revoke);
    }

    /** This node leaves the cluster gracefully (the command must name this node's address). */
    public CompletionStage<MembershipOperations.Leaving> leave(String token) {
        return run(token, OperatorCommandKind.LEAVE, membership::leave);
    }

    /** Admits an operator cluster-wide (journaled; signed by an operator already admitted). */
    public CompletionStage<OperatorRosterOperations.Admitted> admitOperator(String token) {
        return run(token, OperatorCommandKind.ADMIT_OPERATOR, operators::admit);
    }

    /** Removes an operator cluster-wide (journaled; not the signer itself). */
    public CompletionStage<OperatorRosterOperations.Removed> removeOperator(String token) {
        return run(token, OperatorCommandKind.REMOVE_OPERATOR, operators::remove);
    }

    /** {@code scope}: the scope the request was addressed to (the command must set the same one). */
    public CompletionStage<Long> pushPolicy(String scope, String token) {
        return forward(token, OperatorCommandKind.POLICY, cmd -> policies.push(cmd, scope));
    }

    /**
     * Casts a vote on {@code approvalId} (the command must name the same approval). Refusals by the approval
     * request come back as a {@link VoteReply.Refused} answer, not a failure: they are journaled there.
     */
    public CompletionStage<VoteReply> vote(String approvalId, String token) {
        return forward(token, OperatorCommandKind.VOTE, cmd -> {
            String named = cmd.text("approvalId");
            cmd.flag("approve");
            if (!named.equals(approvalId)) {
                throw new OperatorCommandRefused(OperatorCommandRefused.Code.WRONG_TARGET, "the vote is for approval "
                        + named + ", not " + approvalId);
            }
            if (!ApprovalRequest.isValidId(approvalId)) {
                throw new OperatorCommandRefused(OperatorCommandRefused.Code.MALFORMED, "not an approval id");
            }
            return ApprovalRequest.entityRef(system, approvalId)
                    .<VoteReply>ask(replyTo -> new ApprovalRequest.CastSignedVote(cmd.token(), replyTo), askTimeout)
                    .handle((reply, failure) -> {
                        if (failure != null) {
                            throw KillSwitchOperations.unavailable("approval request " + approvalId, failure);
                        }
                        return reply;
                    });
        });
    }

    private <T> CompletionStage<T> run(String token, OperatorCommandKind kind,
            Function<VerifiedOperatorCommand, CompletionStage<T>> service) {
        return authenticator.authenticate(token, kind).thenCompose(service);
    }

    /** Verified but not claimed: the entity the service forwards to claims the nonce. */
    private <T> CompletionStage<T> forward(String token, OperatorCommandKind kind,
            Function<VerifiedOperatorCommand, CompletionStage<T>> service) {
        try {
            return service.apply(authenticator.verifier().verify(token, kind));
        } catch (OperatorCommandRefused refused) {
            return java.util.concurrent.CompletableFuture.failedFuture(refused);
        }
    }
}
