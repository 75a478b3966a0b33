package org.nexusswarm.safety.api.replay;


import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.actors.spi.AgentInput;
import org.nexusswarm.actors.spi.AgentLogic;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.safety.internal.supervisor.OutboundDecisions;
import org.nexusswarm.safety.api.supervisor.SafetyEvent;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionAllowed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionDenied;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionProposed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Killed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Observed;

/**
 * Determinism replay: runs an entity's logic again, in the version its journal records, on exactly what its
 * supervisor fed it, and reports every intent that differs from the journal. No side effects: the logic runs in
 * {@link LogicRunner}, which calls the same pure step function the supervisor's logic child calls, on a watchdog
 * thread with the child's wall-time cap ({@link ReplayCalls}; the calling thread waits); its intents go to the
 * matcher and nowhere else. A call still running at the cap is stopped and the logic is dead until the next
 * {@code Started}/{@code Released}, as the live supervisor kills it: reported at that input as a fault the journal
 * records ({@code Killed} "logic fault: ...") or, if it records none, as a difference.
 *
 * <p>What the logic is fed, in journal order, as the supervisor did: each {@code Observed} as
 * {@link AgentInput.Inbound} (payload read back from the journaled bytes, time from the Observed event), each {@code ActionAllowed} /
 * {@code ActionDenied} as the {@link AgentInput.Outcome} the supervisor sent, except when the same batch
 * killed the entity (no outcome is sent then). A {@code Started} or {@code Released} starts a fresh logic, a
 * {@code Killed} stops it. The logic throwing is reported (the live supervisor kills it then, which the journal's Killed shows).
 * An intent the throttle held is recorded by its {@code IntentHeld} (compared then); the {@code ActionProposed} that
 * later decides it (caused by the hold, possibly after a restart) is not compared again, but its outcome is fed.
 *
 * <p>Streaming: call {@link #accept} per event, then {@link #finish}. Besides the logic's own state it keeps
 * counters and at most {@value IntentMatcher#MAX_PENDING} waiting intents, so journals of any length replay in
 * constant memory. {@link #done()} says when the rest of the journal no longer matters.
 *
 * <p>Caveats: a logic restarted without a journaled {@code Started} (passivation, rebalancing, recovery with the
 * same logic and credential) lost its memory in the live system but not here, which may show as differences;
 * inputs journaled in stored
 * format 1 carry no payload and are skipped (reported as not replayable).
 */
public final class DeterminismReplay {

    /** How many events past the window are read to find the proposals of intents emitted inside it. */
    static final int LOOKAHEAD_EVENTS = 1000;
    private static final SwarmKryo PAYLOADS = SwarmKryo.withoutActorRefs();

    private final EntityAddress self;
    private final LogicCatalog logics;
    private final ReplayCalls calls;
    private final ReplayWindow window;
    private final Consumer<ReplayFinding> findings;
    private final IntentMatcher matcher;
    private final Set<String> versionsUsed = new LinkedHashSet<>();
    /** Sequences of the IntentHeld events whose deciding proposal has not come by yet (bounded). */
    private final Set<Long> holds = new LinkedHashSet<>();

    private LogicRunner<?> logic;
    /** The logic's intents as the supervisor journals them (parameters read from the payload). */
    private java.util.function.UnaryOperator<Intent> journaled = java.util.function.UnaryOperator.identity();
    private String version = "";
    /** The pack the latest Started names ("" before one, or for journals that name none). */
    private String pack = "";
    private String place = "";
    /** A call that overran the cap, reported once the journal shows whether the live logic faulted too. */
    private ReplayFinding pendingFault;
    private boolean quarantined;
    /** An outcome read from the journal, sent once the events after it show the entity was not killed with it. */
    private AgentInput.Outcome heldOutcome;
    private long heldOutcomeSeq;
    private long heldOutcomeTime;
    private long lookahead = -1;
    private long eventsRead;
    private long inputsFed;
    private final long[] counts = new long[ReplayFinding.Kind.values().length];

    /**
     * @param self     the entity whose journal is replayed (its logic is created with this address)
     * @param logics   finds the logic of a recorded version, e.g. by asking the packs on the class path
     * @param window   the part of the journal to report on
     * @param findings receives every finding, in journal order, matches included
     */
    public DeterminismReplay(EntityAddress self, Function<String, Optional<AgentLogic<?>>> logics, ReplayWindow window,
            Consumer<ReplayFinding> findings) {
        this(self, (pack, version) -> logics.apply(version), ReplayCalls.defaults(), window, findings);
    }

    /**
     * @param logics   finds the logic of a recorded pack and version (a pack admitted first, see the packs module's
     *                 {@code ReplayLogics}); what it throws ends the replay
     * @param calls    the watchdog every call into the logic runs under
     */
    public DeterminismReplay(EntityAddress self, LogicCatalog logics, ReplayCalls calls, ReplayWindow window,
            Consumer<ReplayFinding> findings) {
        this.self = self;
        this.logics = logics;
        this.calls = calls;
        this.window = window;
        this.findings = findings;
        this.matcher = new IntentMatcher(this::report);
    }

    /** Replays a whole journal given as an iterator (tests, and callers that already hold one). */
    public static ReplayReport run(EntityAddress self, Function<String, Optional<AgentLogic<?>>> logics,
            ReplayWindow window, Iterator<? extends SafetyEvent> events, Consumer<ReplayFinding> findings) {
        DeterminismReplay replay = new DeterminismReplay(self, logics, window, findings);
        while (events.hasNext() && !replay.done()) {
            replay.accept(events.next());
        }
        return replay.finish();
    }

    /** Whether later events can no longer change the report (past the window, nothing left to pair). */
    public boolean done() {
        return lookahead >= LOOKAHEAD_EVENTS || (lookahead >= 0 && matcher.isEmpty());
    }

    /** Replays the next journal event. */
    public void accept(SafetyEvent event) {
        eventsRead++;
        if (place.isEmpty()) {
            place = event.chronotope().place();
        }
        if (heldOutcome != null && !(event instanceof SafetyEvent.Escalated)
                && !(event instanceof SafetyEvent.Checkpointed)) {
            if (!killedWithHeldOutcome(event)) {
                feed(heldOutcome, heldOutcomeSeq, heldOutcomeTime);
            }
            heldOutcome = null;
        }
        if (pendingFault != null) {
            settleFault(event);
        }
        if (lookahead >= 0 || window.isAfter(event.chronotope().wallTimeMillis())) {
            lookahead++;
            if (event instanceof SafetyEvent.IntentHeld held) {
                hold(held);
                matcher.recordedLate(asProposal(held));
            } else if (event instanceof ActionProposed p && !decidesHold(p)) {
                matcher.recordedLate(p);
            }
            return;
        }
        if (event instanceof SafetyEvent.Started s) {
            pack = s.pack() == null ? "" : s.pack();
            start(s.logicVersion(), s, true);
        } else if (event instanceof SafetyEvent.Released r) {
            start(version.isEmpty() ? r.chronotope().logicVersion() : version, r, true);
        } else if (event instanceof Killed) {
            matcher.flush(ReplayFinding.Kind.DROPPED_AT_KILL, "emitted before the kill; the supervisor refuses "
                    + "intents of a killed logic (journaled as denied, never proposed)");
            logic = null;
            quarantined = true;
        } else if (event instanceof Observed o) {
            observed(o);
        } else if (event instanceof SafetyEvent.IntentHeld held) {
            hold(held);
            matcher.recorded(asProposal(held));
        } else if (event instanceof ActionProposed p) {
            if (!decidesHold(p)) {
                matcher.recorded(p);
            }
        } else if (event instanceof ActionAllowed a) {
            hold(new AgentInput.Outcome(a.intentId(), true, a.rule(), a.chronotope().wallTimeMillis()), a);
        } else if (event instanceof ActionDenied d) {
            hold(new AgentInput.Outcome(d.intentId(), false,
                    OutboundDecisions.denialReason(d.code(), d.detail()), d.chronotope().wallTimeMillis()), d);
        }
    }

    private void hold(SafetyEvent.IntentHeld held) {
        if (holds.size() >= IntentMatcher.MAX_PENDING) {
            holds.remove(holds.iterator().next());
        }
        holds.add(held.chronotope().sequence());
    }

    /** Whether {@code p} decides an intent recorded as held before (it names the hold as its cause). */
    private boolean decidesHold(ActionProposed p) {
        for (String cause : p.chronotope().causes()) {
            int hash = cause.lastIndexOf('#');
            if (hash >= 0) {
                try {
                    if (holds.remove(Long.parseLong(cause.substring(hash + 1)))) {
                        return true;
                    }
                } catch (NumberFormatException e) {
                    // not a journal position
                }
            }
        }
        return false;
    }

    /** A held intent as the proposal the supervisor journals when it decides it. */
    private static ActionProposed asProposal(SafetyEvent.IntentHeld held) {
        return new ActionProposed(held.chronotope(), held.intentId(), held.actionClass(), held.target(),
                held.payloadType(), held.chronotope().logicVersion(), held.parameters());
    }

    /** Ends the replay: intents still waiting were never recorded. */
    public ReplayReport finish() {
        if (heldOutcome != null) {
            feed(heldOutcome, heldOutcomeSeq, heldOutcomeTime);
            heldOutcome = null;
        }
        if (pendingFault != null) {
            settleFault(null);
        }
        matcher.flush(ReplayFinding.Kind.NOT_RECORDED, "the journal records no such intent");
        return new ReplayReport(eventsRead, String.join(", ", versionsUsed), inputsFed,
                count(ReplayFinding.Kind.MATCH) + count(ReplayFinding.Kind.DIFFERENT)
                        + count(ReplayFinding.Kind.NOT_REPLAYED),
                count(ReplayFinding.Kind.MATCH), count(ReplayFinding.Kind.DIFFERENT),
                count(ReplayFinding.Kind.NOT_RECORDED), count(ReplayFinding.Kind.NOT_REPLAYED),
                count(ReplayFinding.Kind.NOT_REPLAYABLE), count(ReplayFinding.Kind.LOGIC_FAILED),
                count(ReplayFinding.Kind.DROPPED_AT_KILL), count(ReplayFinding.Kind.FAULT_AS_RECORDED));
    }

    private void observed(Observed o) {
        long seq = o.chronotope().sequence();
        long at = o.chronotope().wallTimeMillis();
        byte[] bytes = o.payload();
        if (bytes.length == 0) {
            report(new ReplayFinding(ReplayFinding.Kind.NOT_REPLAYABLE, seq, at, "", "", "", o.payloadType()
                    + " from " + o.sender() + ": recorded before payloads were journaled"));
            return;
        }
        SwarmMessage payload;
        try {
            // The logic was fed the framed message; the cause chain around it was the supervisor's.
            payload = (SwarmMessage) org.nexusswarm.safety.internal.provenance.ProvenanceFrame.messageOf(PAYLOADS, bytes);
        } catch (RuntimeException e) {
            report(new ReplayFinding(ReplayFinding.Kind.NOT_REPLAYABLE, seq, at, "", "", "", o.payloadType()
                    + " from " + o.sender() + ": the payload no longer deserializes (" + e.getMessage() + ")"));
            return;
        }
        if (logic == null && !quarantined) {
            start(version.isEmpty() ? o.chronotope().logicVersion() : version, o, true);
        }
        feed(new AgentInput.Inbound(o.sender(), payload, at), seq, at);
    }

    private void hold(AgentInput.Outcome outcome, SafetyEvent decision) {
        heldOutcome = outcome;
        heldOutcomeSeq = decision.chronotope().sequence();
        heldOutcomeTime = decision.chronotope().wallTimeMillis();
    }

    /** A kill journaled with the decision (same batch, caused by it): the supervisor sent no outcome then. */
    private boolean killedWithHeldOutcome(SafetyEvent event) {
        return event instanceof Killed k && k.chronotope().causes().stream()
                .anyMatch(c -> c.endsWith("#" + heldOutcomeSeq));
    }

    private void start(String logicVersion, SafetyEvent at, boolean newIncarnation) {
        start(logicVersion, at.chronotope().sequence(), at.chronotope().wallTimeMillis(), newIncarnation);
    }

    /**
     * Starts a fresh logic. A new incarnation (Started, Released) means the old one died with the intents it had
     * not yet handed over; a restart after a failure keeps them, since the supervisor still journals those.
     */
    private void start(String logicVersion, long seq, long time, boolean newIncarnation) {
        if (logicVersion == null || logicVersion.isEmpty()) {
            throw new UnknownLogicException("", "the journal of " + self + " does not record its logic version "
                    + "(event " + seq + "): it was written before logic versions were journaled");
        }
        AgentLogic<?> found = logics.logic(pack, logicVersion).orElseThrow(() -> new UnknownLogicException(
                logicVersion, "logic " + logicVersion + " (recorded in the journal of " + self + ") is not provided by "
                        + "any pack on the class path" + (pack.isEmpty() ? "" : " (its journal names pack " + pack + ")")));
        if (newIncarnation) {
            matcher.flush(ReplayFinding.Kind.NOT_RECORDED, "emitted by the previous incarnation of the logic; never "
                    + "journaled");
        }
        version = logicVersion;
        versionsUsed.add(logicVersion);
        quarantined = false;
        try {
            // asJournaled reads the logic's version() and payloads(): logic code, so under the watchdog too.
            journaled = calls.call(String.valueOf(self), "payload declarations",
                    () -> OutboundDecisions.asJournaled(found));
            logic = LogicRunner.start(found, calls, self, place);
        } catch (LogicTimeoutException e) {
            overran(e, seq, time);
        } catch (RuntimeException e) {
            logic = null;
            report(new ReplayFinding(ReplayFinding.Kind.LOGIC_FAILED, seq, time, "", "", "",
                    "logic " + logicVersion + " failed to start: " + e));
        }
    }

    private void feed(AgentInput input, long seq, long time) {
        if (logic == null || quarantined) {
            return;
        }
        inputsFed++;
        List<Intent> intents;
        try {
            intents = logic.feed(input);
        } catch (LogicTimeoutException e) {
            overran(e, seq, time);
            return;
        } catch (RuntimeException e) {
            report(new ReplayFinding(ReplayFinding.Kind.LOGIC_FAILED, seq, time, "", "", "",
                    "logic " + version + " threw on this input: " + e));
            return;
        }
        for (Intent intent : intents) {
            matcher.replayed(journaled.apply(intent), seq, time);
        }
    }

    /** As the live child: the logic is dead (quarantined) until the next Started or Released. */
    private void overran(LogicTimeoutException e, long seq, long time) {
        logic = null;
        quarantined = true;
        pendingFault = new ReplayFinding(ReplayFinding.Kind.LOGIC_FAILED, seq, time, "", "", "",
                "logic " + version + ": " + e.getMessage());
    }

    /**
     * Reports the pending overrun: as recorded when the journal kills the entity for a logic fault before the logic
     * is started again (other inputs may be journaled in between: the live child stashed them), else as a difference.
     */
    private void settleFault(SafetyEvent event) {
        ReplayFinding f = pendingFault;
        if (event instanceof Killed k && k.reason() != null && k.reason().startsWith("logic fault")) {
            pendingFault = null;
            report(new ReplayFinding(ReplayFinding.Kind.FAULT_AS_RECORDED, f.sequence(), f.wallTimeMillis(), "", "",
                    "", f.detail() + "; the entity was killed for this at seq " + k.chronotope().sequence() + " ("
                    + k.reason() + ")"));
        } else if (event == null || event instanceof Killed || event instanceof SafetyEvent.Started
                || event instanceof SafetyEvent.Released) {
            pendingFault = null;
            report(new ReplayFinding(ReplayFinding.Kind.LOGIC_FAILED, f.sequence(), f.wallTimeMillis(), "", "", "",
                    f.detail() + "; the journal records no such fault (a replay divergence)"));
        }
    }

    private void report(ReplayFinding finding) {
        if (window.contains(finding.wallTimeMillis())) {
            counts[finding.kind().ordinal()]++;
            findings.accept(finding);
        }
    }

    private long count(ReplayFinding.Kind kind) {
        return counts[kind.ordinal()];
    }
}
