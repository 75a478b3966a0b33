package org.nexusswarm.safety.api.replay;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.credential.Credential;
import org.nexusswarm.safety.internal.monitor.Assessment;
import org.nexusswarm.safety.internal.monitor.EscalationLevel;
import org.nexusswarm.safety.internal.monitor.Observation;
import org.nexusswarm.safety.internal.monitor.TrajectoryStats;
import org.nexusswarm.safety.api.policy.Policy;
import org.nexusswarm.safety.internal.provenance.CauseChain;
import org.nexusswarm.safety.internal.provenance.ChainCheck;
import org.nexusswarm.safety.internal.provenance.InputHistory;
import org.nexusswarm.safety.internal.provenance.ProvenanceFrame;
import org.nexusswarm.safety.api.replay.WhatIfDecision.Change;
import org.nexusswarm.safety.api.replay.WhatIfDecision.Outcome;
import org.nexusswarm.safety.api.replay.WhatIfDecision.Verdict;
import org.nexusswarm.safety.internal.supervisor.OutboundDecisions;
import org.nexusswarm.safety.api.supervisor.SafetyEvent;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionAllowed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionDenied;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionProposed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ApprovalRequested;

/**
 * What-if replay: decides every recorded {@code ActionProposed} again under another policy, with the safety
 * layer's own decision code ({@link OutboundDecisions}), and sets each against the recorded decision.
 *
 * <p>Each intent is decided with the credential the journal's latest {@code Started} names, the place and wall
 * time of its proposal, and trajectory statistics rebuilt from the what-if decisions themselves, so rate limits,
 * monitors (escalation rungs) and the denial limit behave as they would have under the other policy. The other
 * policy replaces every policy recorded as in force.
 *
 * <p>Caveats: the THROTTLE rung's token bucket is not replayed (what the live supervisor held back and released
 * later is decided here at its journaled time, as recorded; {@code IntentHeld} events only lend the held intent's
 * journaled cause chain to its later decision). Held intents dropped undecided (refused {@code QUARANTINED} or
 * {@code THROTTLED_LOST}) stay as recorded. Refusals by the credential (scope, validity, revocation, issuer signature, its own rate limit) and
 * of unregistered payload types stay as recorded: a policy does not change them, and revocation or signature
 * problems are not in the journal to check again. An action that would await approval counts in the statistics
 * only once the journal shows the approvers' answer (if the recording asked them too). A kill the what-if
 * predicts is reported; later decisions are still compared, as if the entity had carried on. A
 * {@code require-provenance} rule is checked against the cause chain of the latest {@code Observed} before the
 * proposal (what the journal names as its cause); the credentials of the entities in that chain are not in this
 * journal, so an intent the rule would have to check them for is reported UNKNOWN, not guessed.
 *
 * <p>Streaming, constant memory: a few counters, bounded statistics, and at most {@value #MAX_AWAITING} intent
 * ids awaiting approval.
 */
public final class WhatIfReplay {

    static final int MAX_AWAITING = 1024;
    private static final org.nexusswarm.actors.serialization.SwarmKryo PAYLOADS =
            org.nexusswarm.actors.serialization.SwarmKryo.withoutActorRefs();
    private static final Set<RefusalCode> CREDENTIAL_CODES = EnumSet.of(RefusalCode.NOT_IN_CREDENTIAL,
            RefusalCode.REVOKED, RefusalCode.EXPIRED, RefusalCode.NOT_YET_VALID, RefusalCode.UNREGISTERED_TYPE,
            RefusalCode.PAYLOAD_NOT_DECLARED, RefusalCode.PARAMETER_MISMATCH, RefusalCode.INVALID_CREDENTIAL);
    /** Refusals of held intents dropped without a decision (the logic was stopped, or could not be asked again). */
    private static final Set<RefusalCode> DROPPED_CODES = EnumSet.of(RefusalCode.QUARANTINED,
            RefusalCode.THROTTLED_LOST);

    private final List<Policy> policies;
    private final String policyTag;
    private final int maxDenials;
    private final ReplayWindow window;
    private final Consumer<WhatIfDecision> decisions;
    private final Map<Change, Long> counts = new EnumMap<>(Change.class);
    private final LinkedHashSet<String> awaitingApproval = new LinkedHashSet<>();
    /** The cause chains of held intents not yet decided, by the sequence of their IntentHeld (bounded). */
    private final java.util.LinkedHashMap<Long, CauseChain> heldChains = new java.util.LinkedHashMap<>();

    private Credential credential;
    private String credentialProblem = "no Started event before it names the credential";
    private ActionProposed proposal;
    private TrajectoryStats stats = OutboundDecisions.emptyStats();
    private EscalationLevel escalation = EscalationLevel.NONE;
    private int denials;
    private String whatIfKill = "";
    private long recordedKills;
    private long eventsRead;
    private long decided;
    private boolean done;
    /** Whether the other policy has a {@code require-provenance} rule (only then are Observed payloads decoded). */
    private final boolean provenanceRules;
    /** The cause chain of the latest Observed: the sender, then the chain its payload's frame carried. */
    private CauseChain lastChain = CauseChain.NONE;
    /** The chains of every Observed since the latest start or release: what the logic could remember. */
    private InputHistory history = InputHistory.NONE;

    /**
     * @param policy     the policy to decide under
     * @param maxDenials denials after which the supervisor kills the entity ({@code nexus.swarm.safety.max-denials})
     * @param window     the part of the journal to report on (earlier decisions still build the statistics)
     * @param decisions  receives every decision in the window, unchanged ones included, in journal order
     */
    public WhatIfReplay(Policy policy, int maxDenials, ReplayWindow window, Consumer<WhatIfDecision> decisions) {
        this.policies = List.of(policy);
        this.provenanceRules = policy.rules().stream().anyMatch(r -> r.provenanceHops() > 0);
        this.policyTag = policy.versionTag();
        this.maxDenials = maxDenials;
        this.window = window;
        this.decisions = decisions;
    }

    /** Replays a whole journal given as an iterator. */
    public static WhatIfReport run(Policy policy, int maxDenials, ReplayWindow window,
            Iterator<? extends SafetyEvent> events, Consumer<WhatIfDecision> decisions) {
        WhatIfReplay replay = new WhatIfReplay(policy, maxDenials, window, decisions);
        while (events.hasNext() && !replay.done()) {
            replay.accept(events.next());
        }
        return replay.finish();
    }

    /** Whether the window is over. */
    public boolean done() {
        return done;
    }

    public void accept(SafetyEvent event) {
        if (done) {
            return;
        }
        eventsRead++;
        if (proposal != null) {
            ActionProposed proposed = proposal;
            proposal = null;
            if (decide(proposed, event)) {
                return;
            }
        }
        long at = event.chronotope().wallTimeMillis();
        if (window.isAfter(at)) {
            done = true;
            return;
        }
        if (event instanceof SafetyEvent.Started s) {
            started(s);
            history = InputHistory.NONE;
        } else if (event instanceof SafetyEvent.Observed o) {
            // Sequence rules of the other policy ask what the entity observed, as the supervisor's would.
            stats = stats.seen(TrajectoryStats.SEEN_INBOUND + o.payloadType(), at);
            if (provenanceRules) {
                lastChain = chainOf(o);
                history = history.with(lastChain);
            }
        } else if (event instanceof SafetyEvent.IntentHeld held) {
            if (heldChains.size() >= MAX_AWAITING) {
                heldChains.remove(heldChains.keySet().iterator().next());
            }
            heldChains.put(held.chronotope().sequence(), new CauseChain(held.causeHops()));
        } else if (event instanceof ActionProposed p) {
            proposal = p;
        } else if (event instanceof ActionAllowed a && awaitingApproval.remove(a.intentId())) {
            observe(at, a.actionClass(), true, a.envelopeUse(), event.chronotope().sequence());
        } else if (event instanceof ActionDenied d && awaitingApproval.remove(d.intentId())) {
            observe(at, d.actionClass(), false, d.envelopeUse(), event.chronotope().sequence());
        } else if (event instanceof SafetyEvent.Killed k) {
            awaitingApproval.clear();
            if ("safety-layer".equals(k.by()) && window.contains(at)) {
                recordedKills++;
            }
        } else if (event instanceof SafetyEvent.Released) {
            // As the supervisor does on release: the trajectory starts over, and so does the logic's memory.
            stats = OutboundDecisions.emptyStats();
            history = InputHistory.NONE;
            escalation = EscalationLevel.NONE;
            denials = 0;
            awaitingApproval.clear();
        }
    }

    public WhatIfReport finish() {
        if (proposal != null) {
            decide(proposal, null);
            proposal = null;
        }
        return new WhatIfReport(eventsRead, policyTag, decided, counts, whatIfKill, recordedKills);
    }

    private void started(SafetyEvent.Started s) {
        try {
            credential = Credential.fromJson(s.credentialJson());
        } catch (RuntimeException e) {
            credential = null;
            credentialProblem = "the credential journaled at event " + s.chronotope().sequence()
                    + " does not read: " + e.getMessage();
        }
    }

    /** Decides {@code p} under the other policy; returns whether {@code next} was its recorded decision. */
    private boolean decide(ActionProposed p, SafetyEvent next) {
        Outcome recorded = recordedOutcome(p, next);
        long at = p.chronotope().wallTimeMillis();
        long seq = p.chronotope().sequence();
        // Its parameters feed the flapping monitor, as the supervisor's ActionProposed does (not throttled here).
        stats = stats.proposed(at, p.actionClass(), p.parameters(), false);
        Outcome whatIf;
        if (credential == null) {
            whatIf = new Outcome(Verdict.UNKNOWN, credentialProblem, policyTag);
        } else if (next instanceof ActionDenied d && recorded != null && credentialRefusal(d)) {
            whatIf = new Outcome(Verdict.DENIED, recorded.reason() + "; a credential refusal stays as recorded",
                    policyTag);
            observe(at, p.actionClass(), false, d.envelopeUse(), seq);
        } else if (next instanceof ActionDenied d && recorded != null && DROPPED_CODES.contains(d.code())) {
            whatIf = new Outcome(Verdict.DENIED, recorded.reason() + "; dropped undecided, stays as recorded",
                    policyTag);
        } else {
            CauseChain chain = heldChainOf(p).orElse(lastChain);
            // Offline, no entity of the chain has a known credential: a rule that must look at one cannot be decided.
            OutboundDecisions.Decision d = OutboundDecisions.decide(intentOf(p), credential, p.chronotope().place(),
                    policies, stats, escalation, at, new ChainCheck(chain, history, hop -> java.util.Optional.empty()));
            whatIf = outcomeOf(d);
            if (d.kind() == OutboundDecisions.Kind.DENY && d.code() == RefusalCode.PROVENANCE) {
                whatIf = new Outcome(Verdict.UNKNOWN, "a require-provenance rule would check the cause chain "
                        + chain + ", whose credentials this journal does not hold", d.policyVersion());
            } else if (d.kind() == OutboundDecisions.Kind.NEEDS_APPROVAL) {
                awaitApproval(p.intentId());
            } else {
                observe(at, p.actionClass(), d.kind() == OutboundDecisions.Kind.ALLOW, d.envelopeUse(), seq);
            }
        }
        Outcome recordedOrUnknown = recorded != null ? recorded
                : new Outcome(Verdict.UNKNOWN, "the journal records no decision after it", "");
        if (window.contains(at)) {
            Change change = Change.between(recordedOrUnknown.verdict(), whatIf.verdict());
            decided++;
            counts.merge(change, 1L, Long::sum);
            decisions.accept(new WhatIfDecision(seq, at, p.intentId(), p.actionClass(), p.target(), recordedOrUnknown,
                    whatIf, change));
        }
        return recorded != null;
    }

    /** Feeds one what-if decision to the rebuilt trajectory, as the supervisor's monitors would see it. */
    private void observe(long at, String actionClass, boolean allowed, double envelopeUse, long seq) {
        double use = Double.isFinite(envelopeUse) && envelopeUse >= 0 ? envelopeUse : 0.0;
        stats = stats.record(new Observation(at, actionClass == null ? "" : actionClass, allowed, use));
        if (allowed) {
            stats = stats.seen(TrajectoryStats.SEEN_PERFORMED + actionClass, at);
        }
        Assessment a = OutboundDecisions.assess(stats, policies, at);
        escalation = a.level();
        if (!allowed) {
            denials++;
        }
        if (whatIfKill.isEmpty() && window.contains(at)) {
            if (a.level() == EscalationLevel.KILL) {
                whatIfKill = "event " + seq + ": trajectory monitor " + a.monitor() + ": " + a.reason();
            } else if (!allowed && denials >= maxDenials) {
                whatIfKill = "event " + seq + ": " + denials + " denied intents (limit " + maxDenials + ")";
            }
        }
    }

    private void awaitApproval(String intentId) {
        if (awaitingApproval.size() >= MAX_AWAITING) {
            awaitingApproval.remove(awaitingApproval.iterator().next());
        }
        awaitingApproval.add(intentId);
    }

    private static Outcome recordedOutcome(ActionProposed p, SafetyEvent next) {
        if (next instanceof ActionAllowed a && a.intentId().equals(p.intentId())) {
            return new Outcome(Verdict.ALLOWED, "rule " + a.rule(), a.policyVersion());
        }
        if (next instanceof ActionDenied d && d.intentId().equals(p.intentId())) {
            return new Outcome(Verdict.DENIED, OutboundDecisions.denialReason(d.code(), d.detail()), d.policyVersion());
        }
        if (next instanceof ApprovalRequested r && r.intentId().equals(p.intentId())) {
            return new Outcome(Verdict.APPROVAL, describe(r.requirement()), r.policyVersion());
        }
        return null;
    }

    private static CauseChain chainOf(SafetyEvent.Observed o) {
        try {
            if (PAYLOADS.fromBytes(o.payload()) instanceof ProvenanceFrame frame) {
                return CauseChain.forInput(o.sender(), frame.upstream());
            }
        } catch (RuntimeException e) {
            // A payload that no longer decodes carried no readable chain: its sender is still the nearest hop.
        }
        return CauseChain.forInput(o.sender(), List.of());
    }

    private static Outcome outcomeOf(OutboundDecisions.Decision d) {
        return switch (d.kind()) {
            case ALLOW -> new Outcome(Verdict.ALLOWED, "rule " + d.rule(), d.policyVersion());
            case DENY -> new Outcome(Verdict.DENIED, OutboundDecisions.denialReason(d.code(), d.detail()),
                    d.policyVersion());
            case NEEDS_APPROVAL -> new Outcome(Verdict.APPROVAL, describe(d.requirement()) + ", rule " + d.rule(),
                    d.policyVersion());
        };
    }

    /** Refused by the credential or the payload's type: not a policy's business. */
    /** The chain journaled with the hold {@code p} decides (it names the IntentHeld as its cause), if any. */
    private java.util.Optional<CauseChain> heldChainOf(ActionProposed p) {
        for (String cause : p.chronotope().causes()) {
            int hash = cause.lastIndexOf('#');
            if (hash >= 0) {
                try {
                    CauseChain chain = heldChains.remove(Long.parseLong(cause.substring(hash + 1)));
                    if (chain != null) {
                        return java.util.Optional.of(chain);
                    }
                } catch (NumberFormatException e) {
                    // not a journal position
                }
            }
        }
        return java.util.Optional.empty();
    }

    private static boolean credentialRefusal(ActionDenied d) {
        return CREDENTIAL_CODES.contains(d.code())
                || (d.code() == RefusalCode.RATE_LIMITED && d.detail().startsWith("credential "));
    }

    private static Intent intentOf(ActionProposed p) {
        EntityAddress target;
        try {
            target = EntityAddress.parse(p.target());
        } catch (IllegalArgumentException e) {
            target = null; // journaled as "null": the decider refuses an intent without a target
        }
        return new Intent(p.intentId(), p.actionClass(), target, null, p.parameters());
    }

    private static String describe(ApprovalRequirement r) {
        return (r.kind() == ApprovalRequirement.Kind.CO_SIGN ? "co-sign " : "quorum ") + r.k() + " of "
                + r.approvers().size() + " within " + (r.timeout().toSeconds() % 60 == 0
                ? r.timeout().toMinutes() + "m" : r.timeout().toSeconds() + "s");
    }
}
