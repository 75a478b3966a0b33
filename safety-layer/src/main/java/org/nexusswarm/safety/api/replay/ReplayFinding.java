package org.nexusswarm.safety.api.replay;

/**
 * One result of a determinism replay, reported as it is found.
 *
 * @param sequence       the journal sequence it concerns: the recorded ActionProposed, or the input after which
 *                       the logic emitted an intent that was not recorded, or the input that was not replayable
 * @param wallTimeMillis that event's wall time
 * @param intentId       the intent concerned ("" for inputs)
 * @param recorded       the intent as journaled ("" if none)
 * @param replayed       the intent as the replayed logic emitted it ("" if none)
 * @param detail         what differs, or why an input could not be replayed
 */
public record ReplayFinding(Kind kind, long sequence, long wallTimeMillis, String intentId, String recorded,
        String replayed, String detail) {

    public enum Kind {
        /** The replayed intent equals the recorded one. */
        MATCH("reproduced"),
        /** Same intent id, but action class, target, parameters or payload differ. */
        DIFFERENT("different"),
        /** The logic emitted an intent the journal does not record. */
        NOT_RECORDED("replayed, not recorded"),
        /** The journal records an intent the replayed logic did not emit. */
        NOT_REPLAYED("recorded, not replayed"),
        /** An input that cannot be fed to the logic (no payload journaled, or it no longer deserializes). */
        NOT_REPLAYABLE("not replayable"),
        /**
         * The logic threw on an input (it is kept, as before), or a call overran the cap and the journal records no
         * such fault.
         */
        LOGIC_FAILED("logic failed"),
        /** An intent emitted just before the entity was killed: the supervisor drops those unjournaled. */
        DROPPED_AT_KILL("dropped at kill"),
        /**
         * A call into the logic overran the wall-time cap and was stopped, and the journal shows the live logic
         * faulted there too (the entity was killed for it): reproduced, not a difference.
         */
        FAULT_AS_RECORDED("fault, as recorded");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** Whether this finding means the replay did not reproduce the journal. */
        public boolean isDifference() {
            return this == DIFFERENT || this == NOT_RECORDED || this == NOT_REPLAYED || this == LOGIC_FAILED;
        }
    }
}
