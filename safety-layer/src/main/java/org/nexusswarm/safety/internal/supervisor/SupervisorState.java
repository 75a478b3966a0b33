package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.memory.chronotope.HashChain;
import org.nexusswarm.safety.internal.auth.ReplayGuard;
import org.nexusswarm.safety.internal.monitor.EscalationLevel;
import org.nexusswarm.safety.internal.monitor.Observation;
import org.nexusswarm.safety.internal.monitor.TrajectoryStats;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionAllowed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionDenied;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ApprovalRequested;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ApprovalResolved;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Escalated;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.IntentHeld;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Killed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Observed;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ReleaseRequested;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.Released;

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

    /**
     * Progress towards the next signed checkpoint: the first sequence it will cover and the hashes of the events
     * from there to the journal head (at most {@code checkpoint-every} of them).
     */
    record Checkpoints(long fromSeq, java.util.List<String> hashes) implements SwarmMessage {
        static final Checkpoints START = new Checkpoints(1, java.util.List.of());

        public Checkpoints {
            hashes = java.util.List.copyOf(hashes);
        }

        Checkpoints advance(SafetyEvent event, String hash) {
            if (event instanceof SafetyEvent.Checkpointed) {
                // A checkpoint is the first event the next one covers, so checkpoints tile the journal.
                return new Checkpoints(event.chronotope().sequence(), java.util.List.of(hash));
            }
            java.util.List<String> next = new java.util.ArrayList<>(hashes.size() + 1);
            next.addAll(hashes);
            next.add(hash);
            return new Checkpoints(fromSeq, next);
        }
    }

    /**
     * What every phase remembers. {@code pending}: approval id → the waiting intent; {@code lastObserved}: the
     * sequence of the latest Observed (the input the logic saw last, named as the cause of its next intent);
     * {@code started}: logic version and credential id of the last Started event; {@code held}: the intents the
     * throttle holds, oldest first, until their {@code ActionProposed} names them as its cause; {@code taken}: the
     * operator commands taken, until they expire.
     */
    record Memory(ChainHead chain, int denials, TrajectoryStats stats, ReplayGuard replay,
            Map<String, ApprovalRequested> pending, EscalationLevel escalation, long lastObserved,
            Checkpoints checkpoints, String started, java.util.List<IntentHeld> held, TakenCommands taken)
            implements SwarmMessage {

        /** The shape of stored format 1 (snapshots of earlier builds; never written). */
        public record V1(ChainHead chain, int denials, TrajectoryStats stats, ReplayGuard replay,
                Map<String, ApprovalRequested> pending, EscalationLevel escalation) {
            public Memory upgrade() {
                // Events before this point were written without checkpoints: the first one covers what follows.
                return new Memory(chain, denials, stats, replay, pending, escalation, 0,
                        new Checkpoints(chain.sequence() + 1, java.util.List.of()), "", java.util.List.of(),
                        TakenCommands.NONE);
            }
        }

        /**
         * The shape of stored formats 2 and 3 (never written): nothing held was journaled then, and the operator
         * commands taken were remembered per incarnation only.
         */
        public record V3(ChainHead chain, int denials, TrajectoryStats stats, ReplayGuard replay,
                Map<String, ApprovalRequested> pending, EscalationLevel escalation, long lastObserved,
                Checkpoints checkpoints, String started) {
            public Memory upgrade() {
                return new Memory(chain, denials, stats, replay, pending, escalation, lastObserved, checkpoints,
                        started, java.util.List.of(), TakenCommands.NONE);
            }
        }

        /**
         * How far back the trajectory statistics reach: the longest window a policy rate limit or a monitor can
         * use (the policy engine refuses a rate limit over a longer window, fail closed; a longer monitor window
         * is cut to this). Must cover the policy format's {@code per = 1h}.
         */
        static final Duration STATS_RETENTION = Duration.ofHours(1);

        static final Memory EMPTY = new Memory(ChainHead.GENESIS, 0, TrajectoryStats.empty(STATS_RETENTION),
                ReplayGuard.empty(), Map.of(), EscalationLevel.NONE, 0, Checkpoints.START, "", java.util.List.of(),
                TakenCommands.NONE);

        public Memory {
            pending = Map.copyOf(pending);
            checkpoints = checkpoints == null ? Checkpoints.START : checkpoints;
            started = started == null ? "" : started;
            held = held == null ? java.util.List.of() : java.util.List.copyOf(held);
            taken = taken == null ? TakenCommands.NONE : taken;
        }

        /** The oldest intent the throttle holds, if any. */
        java.util.Optional<IntentHeld> oldestHeld() {
            return held.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(held.get(0));
        }

        /** The key a Started event is journaled under: a change of logic version or credential opens an episode. */
        static String startKey(String logicVersion, String credentialId) {
            return logicVersion + "|" + credentialId;
        }

        Memory advance(SafetyEvent event) {
            ChainHead head = chain.advance(event);
            int d = denials;
            TrajectoryStats s = stats;
            ReplayGuard r = replay;
            Map<String, ApprovalRequested> p = pending;
            EscalationLevel level = escalation;
            long observedLast = lastObserved;
            String start = started;
            java.util.List<IntentHeld> h = held;
            TakenCommands t = taken;
            long at = event.chronotope().wallTimeMillis();
            if (event instanceof Observed o) {
                r = replay.accept(o.sender(), o.nonce());
                observedLast = event.chronotope().sequence();
                s = stats.seen(TrajectoryStats.SEEN_INBOUND + o.payloadType(), at);
            } else if (event instanceof SafetyEvent.Started st) {
                start = startKey(st.logicVersion(), st.credentialId());
            } else if (event instanceof SafetyEvent.ActionProposed a) {
                // Every intent decided on the THROTTLE rung took a token of the bucket (see Throttle).
                s = stats.proposed(at, a.actionClass(), a.parameters(), escalation == EscalationLevel.THROTTLE);
                h = withoutProposed(a);
            } else if (event instanceof IntentHeld i) {
                java.util.List<IntentHeld> copy = new java.util.ArrayList<>(held.size() + 1);
                copy.addAll(held);
                copy.add(i);
                h = copy;
            } else if (event instanceof SafetyEvent.OperatorCommandTaken o) {
                t = taken.take(o.jti(), o.expiresAtMillis(), at);
            } else if (event instanceof ActionAllowed a) {
                s = stats.record(new Observation(at, a.actionClass(), true, a.envelopeUse()))
                        .seen(TrajectoryStats.SEEN_PERFORMED + a.actionClass(), at);
            } else if (event instanceof ActionDenied a) {
                s = stats.record(new Observation(at, a.actionClass(), false, a.envelopeUse()));
                if (escalation == EscalationLevel.THROTTLE
                        && (a.code() == RefusalCode.THROTTLED || a.code() == RefusalCode.THROTTLED_LOST)) {
                    // Refused because the throttle queue was full, or dropped after it was held: sent nothing, so it
                    // gives its token back.
                    s = s.refunded();
                }
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
                if (level == EscalationLevel.THROTTLE && escalation != EscalationLevel.THROTTLE) {
                    s = stats.throttledFrom(at);
                } else if (level != EscalationLevel.THROTTLE) {
                    s = stats.unthrottled();
                }
            }
            return new Memory(head, d, s, r, p, level, observedLast, checkpoints.advance(event, head.lastHash()),
                    start, h, t);
        }

        /**
         * The held intents but the one {@code proposed} decides: a held intent's proposal names its IntentHeld as
         * its cause ({@code persistenceId#sequence}; an event's sequence is unique in its journal).
         */
        private java.util.List<IntentHeld> withoutProposed(SafetyEvent.ActionProposed proposed) {
            if (held.isEmpty()) {
                return held;
            }
            java.util.List<String> causes = proposed.chronotope().causes();
            java.util.List<IntentHeld> kept = new java.util.ArrayList<>(held.size());
            for (IntentHeld i : held) {
                String ref = "#" + i.chronotope().sequence();
                if (causes.stream().noneMatch(c -> c.endsWith(ref))) {
                    kept.add(i);
                }
            }
            return kept.size() == held.size() ? held : kept;
        }

        /**
         * A fresh start after release: the chain, replay window and operator commands taken go on, the trajectory
         * starts over. Nothing is held then (the supervisor journals held intents as dropped before a release).
         */
        Memory released() {
            return new Memory(chain, 0, TrajectoryStats.empty(STATS_RETENTION), replay, Map.of(), EscalationLevel.NONE,
                    lastObserved, checkpoints, "", java.util.List.of(), taken);
        }

        /** Without the intents waiting for approval; the held ones stay until they are journaled as dropped. */
        Memory withoutPending() {
            return new Memory(chain, denials, stats, replay, Map.of(), escalation, lastObserved, checkpoints, started,
                    held, taken);
        }
    }

    record Active(Memory memory) implements SupervisorState {
        @Override
        public SupervisorState apply(SafetyEvent event) {
            Memory next = memory.advance(event);
            if (event instanceof Killed k) {
                // Intents waiting for approval die with the logic that proposed them.
                Memory dropped = next.withoutPending();
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
                return new Active(next.released());
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
