package org.nexusswarm.safety.supervisor;

import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.memory.chronotope.HashChain;

/**
 * A supervisor's state, one type per lifecycle phase: {@link Active} (the child runs) and
 * {@link Quarantined} (no child; everything refused). Both carry the journal's {@link ChainHead}.
 * Immutable: the event handler returns a new state.
 */
public sealed interface SupervisorState extends SwarmMessage
        permits SupervisorState.Active, SupervisorState.Quarantined {

    ChainHead chain();

    int denials();

    SupervisorState apply(SafetyEvent event);

    static SupervisorState initial() {
        return new Active(ChainHead.GENESIS, 0);
    }

    /** The last journaled event's sequence, hybrid logical clock and hash. */
    record ChainHead(long sequence, long hlc, String lastHash) implements SwarmMessage {
        static final ChainHead GENESIS = new ChainHead(0, 0, HashChain.GENESIS);

        ChainHead advance(SafetyEvent event) {
            return new ChainHead(event.chronotope().sequence(), event.chronotope().hlc(), HashChain.hashOf(event));
        }
    }

    record Active(ChainHead chain, int denials) implements SupervisorState {
        @Override
        public SupervisorState apply(SafetyEvent event) {
            ChainHead next = chain.advance(event);
            if (event instanceof SafetyEvent.Killed k) {
                return new Quarantined(next, denials, k.reason(), k.chronotope().wallTimeMillis());
            }
            if (event instanceof SafetyEvent.ActionDenied d) {
                return new Active(next, d.denials());
            }
            return new Active(next, denials);
        }
    }

    record Quarantined(ChainHead chain, int denials, String reason, long sinceMillis) implements SupervisorState {
        @Override
        public SupervisorState apply(SafetyEvent event) {
            return new Quarantined(chain.advance(event), denials, reason, sinceMillis);
        }
    }
}
