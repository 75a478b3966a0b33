package org.nexusswarm.safety.api.replay;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.protocol.RefusalCode;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.memory.chronotope.Chronotope;
import org.nexusswarm.memory.chronotope.HashChain;
import org.nexusswarm.safety.api.approval.ApprovalRequirement;
import org.nexusswarm.safety.api.supervisor.SafetyEvent;

/**
 * A synthetic journal, written the way the supervisor writes one (same fields, same digests), one second per
 * event unless {@link #at} says otherwise. Hash links are left empty: replays do not read them.
 */
final class Episode {

    static final EntityAddress SELF = EntityAddress.of(EntityKind.AGENT, "rail-x.agent-001");
    static final String PLACE = "cell-1";
    static final long T0 = 1_800_000_000_000L;
    private static final SwarmKryo PAYLOADS = SwarmKryo.withoutActorRefs();

    private final List<SafetyEvent> events = new ArrayList<>();
    private final String logicVersion;
    private long seq;
    private long lastDecision;
    private long time = T0;

    Episode(String logicVersion) {
        this.logicVersion = logicVersion;
    }

    List<SafetyEvent> events() {
        return List.copyOf(events);
    }

    long lastSeq() {
        return seq;
    }

    /** The next events happen at {@code millis} (and one second apart after it). */
    Episode at(long millis) {
        time = millis - 1000;
        return this;
    }

    Chronotope next(List<String> causes) {
        seq++;
        time += 1000;
        return new Chronotope(time, seq, seq, PLACE, "", "", causes, "rail:x@1", logicVersion);
    }

    private Chronotope next(String digest, List<String> causes) {
        Chronotope c = next(causes);
        return new Chronotope(c.wallTimeMillis(), c.sequence(), c.hlc(), c.place(), digest, "", causes,
                c.policyVersion(), c.logicVersion());
    }

    Episode started(String credentialJson) {
        events.add(new SafetyEvent.Started(next(List.of()), "x", "pack-x", logicVersion, "cred-1", credentialJson));
        return this;
    }

    Episode observed(SwarmMessage payload) {
        events.add(new SafetyEvent.Observed(next(List.of()), "feed:x", "did:nexus:feed",
                payload.getClass().getSimpleName(), seq, PAYLOADS.toBytes(payload)));
        return this;
    }

    /** An Observed whose payload came in a provenance frame (the bytes as received). */
    Episode observedFramed(SwarmMessage payload, List<String> upstream) {
        byte[] framed = PAYLOADS.toBytes(new org.nexusswarm.safety.internal.provenance.ProvenanceFrame(upstream,
                PAYLOADS.toBytes(payload)));
        events.add(new SafetyEvent.Observed(next(List.of()), "agent:b", "did:nexus:b",
                payload.getClass().getSimpleName(), seq, framed));
        return this;
    }

    /** A framed ping the logic answers (as its {@code seen}-th input) with an intent that is allowed. */
    Episode allowedFramedRound(long n, long seen) {
        TestLogic.Ping ping = new TestLogic.Ping(n, TestLogic.ACT);
        Intent intent = TestLogic.intentFor(ping, seen, TestLogic.TARGET);
        return observedFramed(ping, List.of("agent:a")).proposed(intent).allowed(intent.intentId(), TestLogic.ACT,
                "act");
    }

    /** An Observed of stored format 1: no payload. */
    Episode observedWithoutPayload() {
        events.add(new SafetyEvent.Observed(next(List.of()), "feed:x", "did:nexus:feed", "Ping", seq, new byte[0]));
        return this;
    }

    Episode proposed(Intent intent) {
        String type = intent.payload() == null ? "none" : intent.payload().getClass().getSimpleName();
        String digest = HashChain.sha256Hex(PAYLOADS.toBytes(intent.payload()));
        events.add(new SafetyEvent.ActionProposed(next(digest, List.of()), intent.intentId(), intent.actionClass(),
                String.valueOf(intent.target()), type, logicVersion, intent.parameters()));
        return this;
    }

    /** An intent the throttle held, with the cause chain journaled with it; {@link #lastSeq()} is the hold's. */
    Episode held(Intent intent, List<String> causeHops) {
        String type = intent.payload() == null ? "none" : intent.payload().getClass().getSimpleName();
        byte[] bytes = PAYLOADS.toBytes(intent.payload());
        events.add(new SafetyEvent.IntentHeld(next(HashChain.sha256Hex(bytes), List.of()), intent.intentId(),
                intent.actionClass(), String.valueOf(intent.target()), type, intent.parameters(), bytes, causeHops));
        return this;
    }

    /** The proposal that decides the intent held at {@code heldSeq}: it names the hold as its cause. */
    Episode proposedFromHold(Intent intent, long heldSeq) {
        String type = intent.payload() == null ? "none" : intent.payload().getClass().getSimpleName();
        String digest = HashChain.sha256Hex(PAYLOADS.toBytes(intent.payload()));
        events.add(new SafetyEvent.ActionProposed(next(digest, List.of(SELF.persistenceId() + "#" + heldSeq)),
                intent.intentId(), intent.actionClass(), String.valueOf(intent.target()), type, logicVersion,
                intent.parameters()));
        return this;
    }

    /** A proposal of {@code actionClass} with {@code parameters}, for what-if journals. */
    Episode proposed(String intentId, String actionClass, Map<String, Double> parameters) {
        return proposed(new Intent(intentId, actionClass, TestLogic.TARGET, null, parameters));
    }

    Episode allowed(String intentId, String actionClass, String rule) {
        events.add(new SafetyEvent.ActionAllowed(next(List.of()), intentId, actionClass, TestLogic.TARGET.toString(),
                rule, "rail:x@1", 0.0));
        lastDecision = seq;
        return this;
    }

    Episode denied(String intentId, String actionClass, RefusalCode code, String detail, int denials) {
        events.add(new SafetyEvent.ActionDenied(next(List.of()), intentId, actionClass, code, detail, denials,
                "rail:x@1", 0.0));
        lastDecision = seq;
        return this;
    }

    Episode approvalRequested(String intentId, String actionClass, ApprovalRequirement requirement) {
        events.add(new SafetyEvent.ApprovalRequested(next(List.of()), "approval-" + intentId, intentId, actionClass,
                TestLogic.TARGET.toString(), requirement, time + 60_000, "rail:x@1", 0.0, new byte[0]));
        return this;
    }

    /** A kill by the safety layer in the same batch as the last decision, which caused it. */
    Episode killedByDecision(String reason) {
        String cause = SELF.persistenceId() + "#" + lastDecision;
        events.add(new SafetyEvent.Killed(next(List.of(cause)), "safety-layer", reason));
        return this;
    }

    /** The supervisor killed the entity for a fault of its logic child (journaled after the input that caused it). */
    Episode killedForLogicFault(String reason) {
        events.add(new SafetyEvent.Killed(next(List.of()), "safety-layer", reason));
        return this;
    }

    Episode killedByOperator(String reason) {
        events.add(new SafetyEvent.Killed(next(List.of("external:operator ops")), "operator ops", reason));
        return this;
    }

    Episode released() {
        events.add(new SafetyEvent.Released(next(List.of()), "release-1", "fixed", List.of("did:nexus:a")));
        return this;
    }

    Episode escalated() {
        events.add(new SafetyEvent.Escalated(next(List.of()), org.nexusswarm.safety.internal.monitor.EscalationLevel.WARN,
                "denial-rate", 0.3, "many denials"));
        return this;
    }

    // ---- the test logic's rounds, as the supervisor journals them ----------------------------------------

    /** A ping the logic answers (as its {@code seen}-th input) with an intent that is allowed. */
    Episode allowedRound(long n, long seen) {
        TestLogic.Ping ping = new TestLogic.Ping(n, TestLogic.ACT);
        Intent intent = TestLogic.intentFor(ping, seen, TestLogic.TARGET);
        return observed(ping).proposed(intent).allowed(intent.intentId(), TestLogic.ACT, "act");
    }

    /** A ping whose intent is denied; the logic's retry is not journaled here. */
    Episode deniedRound(long n, long seen) {
        TestLogic.Ping ping = new TestLogic.Ping(n, TestLogic.ACT);
        Intent intent = TestLogic.intentFor(ping, seen, TestLogic.TARGET);
        return observed(ping).proposed(intent).denied(intent.intentId(), TestLogic.ACT, RefusalCode.NO_RULE,
                "no rule", 1);
    }

    /** The logic's retry of a denied intent, allowed. */
    Episode retryAllowed(String deniedIntentId) {
        String id = "retry-" + deniedIntentId;
        return proposed(new Intent(id, TestLogic.RETRY, TestLogic.TARGET, null)).allowed(id, TestLogic.RETRY, "retry");
    }
}
