package org.nexusswarm.safety.api.replay;

/**
 * One recorded decision set against the decision the other policy would have made.
 *
 * @param sequence       the journal sequence of the recorded ActionProposed
 * @param wallTimeMillis its wall time (the time the what-if decides at)
 * @param recorded       what the supervisor decided
 * @param whatIf         what it would have decided under the other policy
 */
public record WhatIfDecision(long sequence, long wallTimeMillis, String intentId, String actionClass, String target,
        Outcome recorded, Outcome whatIf, Change change) {

    /** A decision: its kind and why (the rule that allowed it, the refusal code and detail, or the approvers). */
    public record Outcome(Verdict verdict, String reason, String policyVersion) {
        @Override
        public String toString() {
            return verdict.label() + (reason.isEmpty() ? "" : " (" + reason + ")");
        }
    }

    public enum Verdict {
        ALLOWED("allowed"), DENIED("denied"), APPROVAL("approval needed"), UNKNOWN("unknown");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** How the decision would change. */
    public enum Change {
        UNCHANGED("unchanged"),
        ALLOWED_TO_DENIED("allowed → denied"),
        DENIED_TO_ALLOWED("denied → allowed"),
        APPROVAL_NOW_NEEDED("approval now needed"),
        APPROVAL_NO_LONGER_NEEDED("approval no longer needed"),
        APPROVAL_TO_DENIED("approval → denied"),
        /** The what-if could not decide: no credential journaled, or no recorded decision to compare with. */
        NOT_EVALUATED("not evaluated");

        private final String label;

        Change(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        static Change between(Verdict recorded, Verdict whatIf) {
            if (recorded == Verdict.UNKNOWN || whatIf == Verdict.UNKNOWN) {
                return NOT_EVALUATED;
            }
            if (recorded == whatIf) {
                return UNCHANGED;
            }
            if (whatIf == Verdict.APPROVAL) {
                return APPROVAL_NOW_NEEDED;
            }
            if (recorded == Verdict.APPROVAL) {
                return whatIf == Verdict.ALLOWED ? APPROVAL_NO_LONGER_NEEDED : APPROVAL_TO_DENIED;
            }
            return whatIf == Verdict.DENIED ? ALLOWED_TO_DENIED : DENIED_TO_ALLOWED;
        }
    }
}
