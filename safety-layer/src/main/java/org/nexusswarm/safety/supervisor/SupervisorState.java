package org.nexusswarm.safety.supervisor;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.memory.chronotope.HashChain;
import org.nexusswarm.safety.auth.ReplayGuard;
import org.nexusswarm.safety.monitor.EscalationLevel;
import org.nexusswarm.safety.monitor.Observation;
import org.nexusswarm.safety.monitor.TrajectoryStats;
import org.nexusswarm.safety.supervisor.SafetyEvent.ActionAllowed;
import org.nexusswarm.safety.supervisor.SafetyEvent.ActionDenied;
import org.nexusswarm.safety.supervisor.SafetyEvent.ApprovalRequested;
import org.nexusswarm.safety.supervisor.SafetyEvent.ApprovalResolved;
import org.nexusswarm.safety.supervisor.SafetyEvent.Escalated;
import org.nexusswarm.safety.supervisor.SafetyEvent.Killed;
import org.nexusswarm.safety.supervisor.SafetyEvent.Observed;
import org.nexusswarm.safety.supervisor.SafetyEvent.ReleaseRequested;
import org.nexusswarm.safety.supervisor.SafetyEvent.Released;

/**
 * A supervisor's state, one type per lifecycle phase: {@link Active} (the child runs) and
 * {@link Quarantined} (no child; everything refused). Both carry the same {@link Memory}: journal head,
 * denials, trajectory statistics, replay window, intents waiting for approval and escalation rung — all
 * derived from events only, so a replay rebuilds exactly the same state. Immutable.
 */
public sealed interface SupervisorState extends SwarmMessage
        permits SupervisorState.Active, SupervisorState.Quarantined {

    Memory memory();

    SupervisorState apply(SafetyEvent event);

    default ChainHead chain() {
        return memory().chain();
    }

    default int denials() {
        return memory().denials();
    }

    static SupervisorState initial() {
        return new Active(Memory.EMPTY);
    }

    /** The last journaled event's sequence, hybrid logical clock and hash. */
    record ChainHead(long sequence, long hlc, String lastHash) implements SwarmMessage {
        static final ChainHead GENESIS = new ChainHead(0, 0, HashChain.GENESIS);

        ChainHead advance(SafetyEvent event) {
            return new ChainHead(event.chronotope().sequence(), event.chronotope().hlc(), HashChain.hashOf(event));
        }
    }

    /** What every phase remembers. {@code pending}: approval id → the waiting intent. */
    record Memory(ChainHead chain, int denials, TrajectoryStats stats, ReplayGuard replay,
            Map<String, ApprovalRequested> pending, EscalationLevel escalation) implements SwarmMessage {

        /**
         * How far back the trajectory statistics reach: the longest window a policy rate limit or a monitor can
         * use (the policy engine refuses a rate limit over a longer window, fail closed; a longer monitor window
         * is cut to this). Must cover the policy format's {@code per = 1h}.
         */
        static final Duration STATS_RETENTION = Duration.ofHours(1);

        static final Memory EMPTY = new Memory(ChainHead.GENESIS, 0, TrajectoryStats.empty(STATS_RETENTION),
                ReplayGuard.empty(), Map.of(), EscalationLevel.NONE);

        public Memory {
            pending = Map.copyOf(pending);
        }

        Memory advance(SafetyEvent event) {
            ChainHead head = chain.advance(event);
            int d = denials;
            TrajectoryStats s = stats;
            ReplayGuard r = replay;
            Map<String, ApprovalRequested> p = pending;
            EscalationLevel level = escalation;
            long at = event.chronotope().wallTimeMillis();
            if (event instanceof Observed o) {
                r = replay.accept(o.sender(), o.nonce());
            } else if (event instanceof ActionAllowed a) {
                s = stats.record(new Observation(at, a.actionClass(), true, a.envelopeUse()));
            } else if (event instanceof ActionDenied a) {
                s = stats.record(new Observation(at, a.actionClass(), false, a.envelopeUse()));
                d = a.denials();
            } else if (event instanceof ApprovalRequested a) {
                Map<String, ApprovalRequested> copy = new HashMap<>(pending);
                copy.put(a.approvalId(), a);
                p = copy;
            } else if (event instanceof ApprovalResolved a) {
                Map<String, ApprovalRequested> copy = new HashMap<>(pending);
                copy.remove(a.approvalId());
                p = copy;
            } else if (event instanceof Escalated e) {
                level = e.level();
            }
            return new Memory(head, d, s, r, p, level);
        }

        /** A fresh start after release: the chain and replay window go on, the trajectory starts over. */
        Memory released(ChainHead head) {
            return new Memory(head, 0, TrajectoryStats.empty(STATS_RETENTION), replay, Map.of(), EscalationLevel.NONE);
        }
    }

    record Active(Memory memory) implements SupervisorState {
        @Override
        public SupervisorState apply(SafetyEvent event) {
            Memory next = memory.advance(event);
            if (event instanceof Killed k) {
                // Intents waiting for approval die with the logic that proposed them.
                Memory dropped = new Memory(next.chain(), next.denials(), next.stats(), next.replay(), Map.of(),
                        next.escalation());
                return new Quarantined(dropped, k.reason(), k.chronotope().wallTimeMillis(), "");
            }
            return new Active(next);
        }
    }

    /** {@code releaseApprovalId} names the release request under way, or is empty. */
    record Quarantined(Memory memory, String reason, long sinceMillis, String releaseApprovalId)
            implements SupervisorState {
        @Override
        public SupervisorState apply(SafetyEvent event) {
            Memory next = memory.advance(event);
            if (event instanceof Released) {
                return new Active(next.released(next.chain()));
            }
            if (event instanceof ReleaseRequested r) {
                return new Quarantined(next, reason, sinceMillis, r.approvalId());
            }
            if (event instanceof ApprovalResolved a && a.approvalId().equals(releaseApprovalId) && !a.approved()) {
                return new Quarantined(next, reason, sinceMillis, "");
            }
            return new Quarantined(next, reason, sinceMillis, releaseApprovalId);
        }
    }
}
