package org.nexusswarm.safety.api.operator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.apache.pekko.pattern.StatusReply;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.safety.internal.approval.ApprovalRequest;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.approval.ApprovalView;
import org.nexusswarm.safety.internal.durable.DurableSafetyState;
import org.nexusswarm.safety.internal.monitor.KillSwitch;
import org.nexusswarm.safety.api.monitor.KillTarget;
import org.nexusswarm.safety.api.operator.OperatorCommandRefused.Code;
import org.nexusswarm.safety.api.policy.ActionRequest;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.api.policy.PolicyDecision;
import org.nexusswarm.safety.internal.policy.PolicyEngine;
import org.nexusswarm.safety.internal.policy.PolicyRegistry;
import org.nexusswarm.safety.api.policy.RateView;
import org.nexusswarm.safety.api.registry.EntitySpec;
import org.nexusswarm.safety.api.registry.SafetyRegistry;

/**
 * The kill switch as operators drive it, each step from a verified {@link OperatorCommandKind#KILL},
 * {@link OperatorCommandKind#LIFT_REQUEST} or {@link OperatorCommandKind#LIFT} command.
 *
 * <ul>
 *   <li>engage: journaled in the cluster's kill-switch ledger, then the cluster-wide {@link KillSwitch} covers the
 *       target.</li>
 *   <li>request a lift: opens a quorum approval whose approvers come from the policy rule for
 *       {@value #RELEASE_ACTION} of the target's rail or pack (an entity: its deployed spec's); fail closed when
 *       no rule names approvers or the target is not engaged.</li>
 *   <li>lift: once that approval is approved (and not more than {@link #LIFT_GRACE} past its deadline), releases
 *       the target. The approval request itself journals the decision as used before the release
 *       ({@link ApprovalRequest.Consume}), so an approval lifts once in the whole cluster, across restarts; a
 *       quarantined entity's release is used likewise in its supervisor's own journal.</li>
 * </ul>
 *
 * <p>Caveat: a release that fails after its approval was used leaves the target engaged and the approval used up
 * (fail closed): the operator requests a new lift.
 */
public final class KillSwitchOperations {

    /** The action class whose policy rule names the approvers of a lift. */
    public static final String RELEASE_ACTION = "safety.release";
    /** The action class of the approval requests a lift opens. */
    public static final String LIFT_ACTION = "safety.lift";
    /** The requester of lift approvals (nothing is deployed there: the decision notice is dropped). */
    public static final EntityAddress REQUESTER = EntityAddress.of(EntityKind.NODE, "kill-switch");
    /** How long after an approval's deadline an approved lift may still be applied. */
    public static final Duration LIFT_GRACE = Duration.ofMinutes(15);
    private static final String INTENT_PREFIX = "lift-";
    /** Separates the target from the command's nonce in a lift's intent id (no jti contains it). */
    private static final char NONCE_SEPARATOR = '#';

    /** The kill switch covers {@code target} (replication: whether every node confirmed in time). */
    public record Engaged(KillTarget target, String operator, String replication) {}

    /** A lift approval was opened. */
    public record LiftRequested(String approvalId, KillTarget target, ApprovalRequirement requirement, String rule,
            String policyVersions) {}

    /** The target was released. */
    public record Lifted(KillTarget target, String approvalId, String replication) {}

    private final ActorSystem<?> system;
    private final SafetyRegistry registry;
    private final KillSwitch killSwitch;
    private final Clock clock;
    private final Duration askTimeout;
    private final DurableSafetyState journal;

    public KillSwitchOperations(ActorSystem<?> system, SafetyRegistry registry, KillSwitch killSwitch, Clock clock,
            Duration askTimeout) {
        this.system = system;
        this.journal = DurableSafetyState.get(system);
        this.registry = registry;
        this.killSwitch = killSwitch;
        this.clock = clock;
        this.askTimeout = askTimeout;
    }

    /** The target a kill or lift-request command names ({@code scope}, {@code name}; {@code reason} checked). */
    public static KillTarget target(VerifiedOperatorCommand cmd) {
        KillTarget.Scope scope;
        try {
            scope = KillTarget.Scope.valueOf(cmd.text("scope").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new OperatorCommandRefused(Code.MALFORMED, "scope must be ENTITY, PACK or RAIL");
        }
        String reason = cmd.text("reason");
        if (reason.length() > KillSwitch.MAX_REASON_CHARS) {
            throw new OperatorCommandRefused(Code.MALFORMED, "reason has at most " + KillSwitch.MAX_REASON_CHARS
                    + " characters");
        }
        try {
            return new KillTarget(scope, cmd.text("name"));
        } catch (IllegalArgumentException e) {
            throw new OperatorCommandRefused(Code.MALFORMED, String.valueOf(e.getMessage()));
        }
    }

    /**
     * Engages the kill switch for the command's target. Persist before effect: the engagement is journaled in the
     * cluster's kill-switch ledger (which checks the signed command again) before the replicated switch covers it,
     * and acknowledged only after both; a failed journal write engages nothing and acknowledges nothing.
     */
    public CompletionStage<Engaged> engage(VerifiedOperatorCommand cmd) {
        require(cmd, OperatorCommandKind.KILL);
        KillTarget target = target(cmd);
        String reason = cmd.text("reason");
        try {
            KillSwitch.checkEngagement(cmd.operator(), reason);
        } catch (IllegalArgumentException e) {
            throw new OperatorCommandRefused(Code.MALFORMED, String.valueOf(e.getMessage()));
        }
        return journal.engage(cmd.token())
                .handle((stored, failure) -> {
                    if (failure != null) {
                        throw unavailable("journaling the kill switch for " + target, failure);
                    }
                    return stored;
                })
                .thenCompose(stored -> killSwitch.engage(target, cmd.operator(), reason))
                .handle((replication, failure) -> {
                    if (failure != null) {
                        throw unavailable("engaging the kill switch for " + target, failure);
                    }
                    return new Engaged(target, cmd.operator(), replication.name());
                });
    }

    /** Opens the quorum approval that may lift the command's target. */
    public CompletionStage<LiftRequested> requestLift(VerifiedOperatorCommand cmd) {
        require(cmd, OperatorCommandKind.LIFT_REQUEST);
        KillTarget target = target(cmd);
        String intentId = INTENT_PREFIX + target + NONCE_SEPARATOR + cmd.jti();
        if (intentId.length() > ApprovalRequest.MAX_TEXT_CHARS) {
            throw new OperatorCommandRefused(Code.MALFORMED, "the target's name is too long for a lift request");
        }
        if (!killSwitch.engaged().contains(target)) {
            throw new OperatorCommandRefused(Code.NOT_ENGAGED, "the kill switch is not engaged for " + target
                    + ": nothing to lift");
        }
        PolicyDecision decision = PolicyEngine.evaluate(policiesFor(target), new ActionRequest(RELEASE_ACTION,
                target.toString(), "*", Map.of(), Instant.now(clock)), RateView.NONE);
        if (!(decision instanceof PolicyDecision.NeedsApproval needs)) {
            throw new OperatorCommandRefused(Code.NO_APPROVERS, "no policy rule for " + RELEASE_ACTION
                    + " names approvers: the kill switch cannot be lifted (fail closed)");
        }
        ApprovalRequirement requirement = needs.requirement();
        String approvalId = ApprovalRequest.idFor(REQUESTER, intentId);
        String summary = clipSummary("lift the kill switch for " + target + " (asked by " + cmd.operator() + "): "
                + cmd.text("reason"));
        return ApprovalRequest.entityRef(system, approvalId)
                .<StatusReply<Done>>ask(replyTo -> new ApprovalRequest.Open(approvalId, REQUESTER, intentId,
                        LIFT_ACTION, summary, requirement, replyTo), askTimeout)
                .handle((reply, failure) -> {
                    if (failure != null) {
                        throw unavailable("opening the lift approval " + approvalId, failure);
                    }
                    if (reply.isError()) {
                        throw new OperatorCommandRefused(Code.APPROVAL_REFUSED, "the approval request could not be "
                                + "opened: " + reply.getError().getMessage());
                    }
                    return new LiftRequested(approvalId, target, requirement, needs.ruleId(), needs.policyVersions());
                });
    }

    /**
     * Releases the target of the approved lift the command names ({@code approvalId}). The command arrives verified
     * but with its nonce unspent: the approval request claims it when it consumes the decision.
     */
    public CompletionStage<Lifted> lift(VerifiedOperatorCommand cmd) {
        require(cmd, OperatorCommandKind.LIFT);
        String approvalId = cmd.text("approvalId");
        if (!ApprovalRequest.isValidId(approvalId)) {
            throw new OperatorCommandRefused(Code.MALFORMED, "approvalId is not a valid approval id");
        }
        EntityRef<ApprovalRequest.Command> approval = ApprovalRequest.entityRef(system, approvalId);
        return approval.<ApprovalView>ask(ApprovalRequest.Get::new, askTimeout)
                .handle((view, failure) -> {
                    if (failure != null) {
                        throw unavailable("lifting with approval " + approvalId, failure);
                    }
                    return liftTargetOf(approvalId, view);
                })
                .thenCompose(target -> consume(approval, approvalId, cmd)
                        .thenCompose(granted -> release(target, approvalId, cmd.token())));
    }

    /** The target, checked before anything is used: an unknown or foreign approval burns nothing. */
    private static KillTarget liftTargetOf(String approvalId, ApprovalView view) {
        if (view.status() == ApprovalView.Status.UNKNOWN) {
            throw new OperatorCommandRefused(Code.UNKNOWN_APPROVAL, "no approval request " + approvalId);
        }
        return liftTarget(approvalId, view).orElseThrow(() -> new OperatorCommandRefused(Code.NOT_A_LIFT,
                "approval " + approvalId + " is not a kill switch lift request"));
    }

    /**
     * Persist before effect: the approval request journals the decision as used (once, cluster-wide, across
     * restarts) before the kill switch is touched. It refuses, typed and journaled, a lift still pending, rejected,
     * past its grace window or already used.
     */
    private CompletionStage<ApprovalRequest.ConsumeReply.Granted> consume(EntityRef<ApprovalRequest.Command> approval,
            String approvalId, VerifiedOperatorCommand cmd) {
        return approval.<ApprovalRequest.ConsumeReply>ask(replyTo -> new ApprovalRequest.Consume(cmd.token(),
                        replyTo), askTimeout)
                .handle((reply, failure) -> {
                    if (failure != null) {
                        throw unavailable("using approval " + approvalId, failure);
                    }
                    if (reply instanceof ApprovalRequest.ConsumeReply.Refused refused) {
                        throw new OperatorCommandRefused(refused.code(), refused.detail());
                    }
                    return (ApprovalRequest.ConsumeReply.Granted) reply;
                });
    }

    /**
     * Persist before effect: the release is journaled in the kill-switch ledger (once per approval) before the switch
     * is released. Fails closed: an approval used by a release that then failed stays used (a new lift must be
     * requested).
     */
    private CompletionStage<Lifted> release(KillTarget target, String approvalId, String liftToken) {
        return journal.release(liftToken, target)
                .handle((stored, failure) -> {
                    if (failure != null) {
                        throw unavailable("journaling the release of " + target + " (approval " + approvalId
                                + " is used up; request a new lift)", failure);
                    }
                    return stored;
                })
                .thenCompose(stored -> killSwitch.release(target))
                .handle((replication, failure) -> {
                    if (failure != null) {
                        throw unavailable("releasing " + target + " (approval " + approvalId + " is used up; "
                                + "request a new lift)", failure);
                    }
                    return new Lifted(target, approvalId, replication.name());
                });
    }

    /** The target a lift approval was opened for, only if this flow opened it (requester, class and id agree). */
    static Optional<KillTarget> liftTarget(String approvalId, ApprovalView view) {
        String intent = view.intentId();
        if (!REQUESTER.equals(view.requester()) || !LIFT_ACTION.equals(view.actionClass()) || intent == null
                || !intent.startsWith(INTENT_PREFIX) || !approvalId.equals(ApprovalRequest.idFor(REQUESTER, intent))) {
            return Optional.empty();
        }
        String rest = intent.substring(INTENT_PREFIX.length());
        int end = rest.lastIndexOf(NONCE_SEPARATOR);
        int space = rest.indexOf(' ');
        if (end < 0 || space < 0 || space >= end) {
            return Optional.empty();
        }
        try {
            return Optional.of(new KillTarget(KillTarget.Scope.valueOf(rest.substring(0, space)),
                    rest.substring(space + 1, end)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The policies that govern lifting {@code target}: its rail's or pack's; an entity's from its deployed spec. */
    private List<Policy> policiesFor(KillTarget target) {
        PolicyRegistry policies = PolicyRegistry.get(system);
        return switch (target.scope()) {
            case RAIL -> policies.applicable(target.name(), null);
            case PACK -> policies.applicable(null, target.name());
            case ENTITY -> {
                Optional<EntitySpec> spec;
                try {
                    spec = registry.spec(EntityAddress.parse(target.name()));
                } catch (IllegalArgumentException e) {
                    spec = Optional.empty();
                }
                yield spec.map(s -> policies.applicable(s.rail(), s.pack())).orElse(List.of());
            }
        };
    }

    static void require(VerifiedOperatorCommand cmd, OperatorCommandKind kind) {
        if (cmd.kind() != kind) {
            throw new OperatorCommandRefused(Code.WRONG_KIND, "a " + kind.claim() + " command was expected");
        }
    }

    private static String clipSummary(String summary) {
        return summary.length() <= ApprovalRequest.MAX_SUMMARY_CHARS ? summary
                : summary.substring(0, ApprovalRequest.MAX_SUMMARY_CHARS - 1) + "…";
    }

    static OperatorCommandRefused unavailable(String what, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof OperatorCommandRefused r) {
            return r;
        }
        String detail = cause instanceof TimeoutException ? "no answer in time" : String.valueOf(cause.getMessage());
        return new OperatorCommandRefused(Code.UNAVAILABLE, what + " failed: " + detail);
    }

    static <T> CompletionStage<T> failed(Throwable t) {
        return CompletableFuture.failedFuture(t);
    }
}
