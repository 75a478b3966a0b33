package org.nexusswarm.safety.api.supervisor;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.memory.chronotope.Chronotope;
import org.nexusswarm.memory.chronotope.EpisodeEvent;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.internal.monitor.EscalationLevel;

/**
 * The decisions a safety supervisor journals, each with its chronotope. Persisted before they take effect.
 * Every fact a reviewer relies on is covered by the hash chain: through {@link #details()}, or
 * {@link #canonicalForm()} where too long to show. Field names and order are part of the stored format.
 * Decision events name the policy versions they were made under ({@code rail:drought-watch@3,...}).
 */
public sealed interface SafetyEvent extends EpisodeEvent {

    /**
     * An authenticated envelope was accepted and handed to the logic. {@code payload} holds the payload bytes
     * as received, so replays can feed the logic exactly what it saw (empty in events of stored format 1).
     */
    record Observed(Chronotope chronotope, String sender, String senderDid, String payloadType, long nonce,
            byte[] payload) implements SafetyEvent {
        public Observed {
            payload = payload == null ? new byte[0] : payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public String details() {
            return payloadType + " from " + sender + " nonce=" + nonce;
        }

        @Override
        public String canonicalForm() {
            // Format 1 events carry no payload and keep their original hash.
            return SafetyEvent.super.canonicalForm() + "|" + senderDid
                    + (payload.length == 0 ? "" : "|" + org.nexusswarm.memory.chronotope.HashChain.sha256Hex(payload));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Observed other && canonicalForm().equals(other.canonicalForm());
        }

        @Override
        public int hashCode() {
            return canonicalForm().hashCode();
        }

        /** The shape of stored format 1 (kept to read old journals; never written). */
        public record V1(Chronotope chronotope, String sender, String senderDid, String payloadType, long nonce) {
            public Observed upgrade() {
                return new Observed(chronotope, sender, senderDid, payloadType, nonce, new byte[0]);
            }
        }
    }

    /**
     * The logic started: first start, after a release, or with another logic version or credential than the
     * last start journaled. Opens an episode for reviewers: rail, pack, logic version and the credential in
     * force (its full JSON, so an evidence pack can include it).
     */
    record Started(Chronotope chronotope, String rail, String pack, String logicVersion, String credentialId,
            String credentialJson) implements SafetyEvent, org.nexusswarm.memory.chronotope.EpisodeStart {
        @Override
        public String details() {
            return "logic " + logicVersion + " in rail " + rail + " (pack " + pack + ") with credential "
                    + credentialId;
        }

        @Override
        public String canonicalForm() {
            return SafetyEvent.super.canonicalForm() + "|"
                    + org.nexusswarm.memory.chronotope.HashChain.sha256Hex(
                            credentialJson.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /**
     * A signed checkpoint: the Merkle root of the hashes of events {@code fromSeq..toSeq}, signed by the
     * hosting node (see {@link org.nexusswarm.memory.checkpoint.CheckpointEvent}).
     */
    record Checkpointed(Chronotope chronotope, long fromSeq, long toSeq, String merkleRoot, String nodeDid,
            String signature) implements SafetyEvent, org.nexusswarm.memory.checkpoint.CheckpointEvent {
        @Override
        public String details() {
            return "events " + fromSeq + ".." + toSeq + " root " + merkleRoot.substring(0, Math.min(16, merkleRoot.length()))
                    + "… signed by " + nodeDid;
        }

        @Override
        public String canonicalForm() {
            return SafetyEvent.super.canonicalForm() + "|" + merkleRoot + "|" + signature;
        }
    }

    /** An inbound envelope was refused; the sender got the same code and detail. */
    record Refused(Chronotope chronotope, String sender, String senderDid, RefusalCode code, String detail)
            implements SafetyEvent {
        @Override
        public String details() {
            return code + " from " + sender + ": " + detail;
        }

        @Override
        public String canonicalForm() {
            return SafetyEvent.super.canonicalForm() + "|" + senderDid;
        }
    }

    /** The logic asked to act, with the parameters policy envelopes bound. */
    record ActionProposed(Chronotope chronotope, String intentId, String actionClass, String target,
            String payloadType, String logicVersion, Map<String, Double> parameters) implements SafetyEvent {
        public ActionProposed {
            parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
        }

        @Override
        public String details() {
            return actionClass + " -> " + target + " (" + payloadType + ", intent " + intentId + ", logic "
                    + logicVersion + (parameters.isEmpty() ? "" : ", " + new TreeMap<>(parameters)) + ")";
        }
    }

    /** The proposed action passed every check; {@code rule} says which rule allowed it. */
    record ActionAllowed(Chronotope chronotope, String intentId, String actionClass, String target, String rule,
            String policyVersion, double envelopeUse) implements SafetyEvent {
        @Override
        public String details() {
            return actionClass + " -> " + target + " by " + rule + " under " + policyVersion + " (intent "
                    + intentId + ")";
        }

        @Override
        public String canonicalForm() {
            return SafetyEvent.super.canonicalForm() + "|" + envelopeUse;
        }
    }

    /** The proposed action was refused; {@code denials} counts the entity's denials so far. */
    record ActionDenied(Chronotope chronotope, String intentId, String actionClass, RefusalCode code,
            String detail, int denials, String policyVersion, double envelopeUse) implements SafetyEvent {
        @Override
        public String details() {
            return actionClass + " " + code + ": " + detail + " (denial " + denials + ", intent " + intentId
                    + ", under " + policyVersion + ")";
        }

        @Override
        public String canonicalForm() {
            return SafetyEvent.super.canonicalForm() + "|" + envelopeUse;
        }
    }

    /**
     * The action needs approvals before it may take effect; the intent waits here (with its payload) until
     * {@link ApprovalResolved}, or until {@code deadlineMillis} (plus a grace period) passes without one.
     */
    record ApprovalRequested(Chronotope chronotope, String approvalId, String intentId, String actionClass,
            String target, ApprovalRequirement requirement, long deadlineMillis, String policyVersion,
            double envelopeUse, byte[] payload) implements SafetyEvent {
        public ApprovalRequested {
            payload = payload == null ? new byte[0] : payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public String details() {
            return actionClass + " -> " + target + " awaits " + requirement.kind() + " " + requirement.k() + " of "
                    + requirement.approvers() + " by " + java.time.Instant.ofEpochMilli(deadlineMillis) + " as "
                    + approvalId + " (intent " + intentId + ", under " + policyVersion + ")";
        }

        @Override
        public String canonicalForm() {
            // The requirement's timeout is not in the details; it is re-sent to approvers when the entity recovers.
            return SafetyEvent.super.canonicalForm() + "|" + envelopeUse + "|" + requirement.timeout().toMillis()
                    + "|" + org.nexusswarm.memory.chronotope.HashChain.sha256Hex(payload);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ApprovalRequested a && canonicalForm().equals(a.canonicalForm());
        }

        @Override
        public int hashCode() {
            return canonicalForm().hashCode();
        }
    }

    /** The approvers decided; an approval is followed by the action's {@link ActionAllowed}. */
    record ApprovalResolved(Chronotope chronotope, String approvalId, boolean approved, String reason,
            List<String> voters) implements SafetyEvent {
        public ApprovalResolved {
            voters = List.copyOf(voters);
        }

        @Override
        public String details() {
            return approvalId + (approved ? " approved: " : " rejected: ") + reason + " " + voters;
        }
    }

    /** A trajectory monitor moved the entity to another rung of the escalation ladder. */
    record Escalated(Chronotope chronotope, EscalationLevel level, String monitor, double value, String reason)
            implements SafetyEvent {
        @Override
        public String details() {
            return level + " by " + monitor + ": " + reason;
        }

        @Override
        public String canonicalForm() {
            return SafetyEvent.super.canonicalForm() + "|" + value;
        }
    }

    /** The child was stopped and the entity quarantined. */
    record Killed(Chronotope chronotope, String by, String reason) implements SafetyEvent {
        @Override
        public String details() {
            return "by " + by + ": " + reason;
        }
    }

    /** A quarantined entity asked to be released; approvers must agree ({@code approvalId}). */
    record ReleaseRequested(Chronotope chronotope, String approvalId, String by, String reason, String requirement,
            String policyVersion) implements SafetyEvent {
        @Override
        public String details() {
            return "by " + by + " awaits " + requirement + " as " + approvalId + ": " + reason + " (under "
                    + policyVersion + ")";
        }
    }

    /** Approvers released the entity from quarantine: the logic starts afresh. */
    record Released(Chronotope chronotope, String approvalId, String reason, List<String> voters)
            implements SafetyEvent {
        public Released {
            voters = List.copyOf(voters);
        }

        @Override
        public String details() {
            return approvalId + ": " + reason + " " + voters;
        }
    }

    /**
     * The throttle held an intent of the logic (no token in the bucket): journaled before it waits, with all it
     * takes to decide it later, so a crash or passivation cannot lose it unrecorded. It waits until its
     * {@link ActionProposed} names this event as its cause (decided, or dropped on a kill or at recovery); an intent
     * whose proposal is journaled is never held again, so none is sent twice. {@code parameters} were read from the
     * payload (held intents agree with it); {@code causeHops} is its cause chain, newest hop first.
     */
    record IntentHeld(Chronotope chronotope, String intentId, String actionClass, String target, String payloadType,
            Map<String, Double> parameters, byte[] payload, List<String> causeHops) implements SafetyEvent {
        public IntentHeld {
            parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
            payload = payload == null ? new byte[0] : payload.clone();
            causeHops = causeHops == null ? List.of() : List.copyOf(causeHops);
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public String details() {
            return actionClass + " -> " + target + " (" + payloadType + ", intent " + intentId
                    + (parameters.isEmpty() ? "" : ", " + new TreeMap<>(parameters)) + ") held by the throttle";
        }

        @Override
        public String canonicalForm() {
            return SafetyEvent.super.canonicalForm() + "|" + org.nexusswarm.memory.chronotope.HashChain.sha256Hex(payload)
                    + "|" + String.join(",", causeHops);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof IntentHeld other && canonicalForm().equals(other.canonicalForm());
        }

        @Override
        public int hashCode() {
            return canonicalForm().hashCode();
        }
    }

    /**
     * The supervisor took a signed operator command (a kill or release request) forwarded through sharding: its
     * token id ({@code jti}), operator and expiry, journaled with (before) whatever the command does, so a
     * captured token re-sent later, across restarts and passivation, is refused until it expires.
     */
    record OperatorCommandTaken(Chronotope chronotope, String kind, String jti, String operator,
            long expiresAtMillis) implements SafetyEvent {
        @Override
        public String details() {
            return kind + " command " + jti + " by " + operator + ", valid until "
                    + java.time.Instant.ofEpochMilli(expiresAtMillis);
        }
    }

    /**
     * Refusals of unauthenticated traffic (unknown sender, bad or missing signature, decode failure, replay, stale,
     * oversized, misaddressed) counted over {@code fromMillis..toMillis}, per claimed source and reason, for at most
     * {@code nexus.swarm.safety.refusals.max-sources} sources; the rest are counted in {@code otherCount}. The first
     * refusal of each listed source and reason in the interval is also journaled as a {@link Refused}; the counts
     * include it. So a flood adds a bounded number of events per interval, however many envelopes it sends.
     */
    record RefusalsAggregated(Chronotope chronotope, long fromMillis, long toMillis, List<RefusalCount> counts,
            long otherCount) implements SafetyEvent {
        public RefusalsAggregated {
            counts = counts == null ? List.of() : List.copyOf(counts);
        }

        /** How often {@code source} (as it claimed to be, clipped) was refused for {@code code}. */
        public record RefusalCount(String source, RefusalCode code, long count) {}

        /** Every refusal counted, listed sources and the rest. */
        public long total() {
            return otherCount + counts.stream().mapToLong(RefusalCount::count).sum();
        }

        @Override
        public String details() {
            return total() + " unauthenticated refusals from " + counts.size() + " sources"
                    + (otherCount > 0 ? " (+" + otherCount + " from others)" : "") + " between "
                    + java.time.Instant.ofEpochMilli(fromMillis) + " and " + java.time.Instant.ofEpochMilli(toMillis);
        }

        @Override
        public String canonicalForm() {
            StringBuilder all = new StringBuilder(SafetyEvent.super.canonicalForm());
            counts.forEach(c -> all.append('|').append(c.source()).append(',').append(c.code()).append(',')
                    .append(c.count()));
            return all.toString();
        }
    }
}
