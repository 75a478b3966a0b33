package org.nexusswarm.safety.api.replay;

import org.nexusswarm.safety.api.replay.ReplayFinding;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.nexusswarm.actors.serialization.SwarmKryo;
import org.nexusswarm.actors.serialization.UnregisteredTypeException;
import org.nexusswarm.actors.spi.Intent;
import org.nexusswarm.memory.chronotope.HashChain;
import org.nexusswarm.safety.api.supervisor.SafetyEvent.ActionProposed;

/**
 * Pairs the intents a replayed logic emits with the {@link ActionProposed} events the journal records, by intent
 * id. Replayed intents wait here until their recorded proposal comes by: in the live system the logic runs
 * concurrently with its supervisor, so a proposal may be journaled after later inputs, never before its own.
 *
 * <p>Bounded: at most {@value #MAX_PENDING} replayed intents wait; beyond that the oldest is reported as not
 * recorded (a live supervisor never lags its logic that far).
 */
final class IntentMatcher {

    static final int MAX_PENDING = 1024;
    private static final SwarmKryo PAYLOADS = SwarmKryo.withoutActorRefs();

    /** A replayed intent waiting for its proposal, described as the supervisor would have journaled it. */
    private record Pending(Intent intent, String payloadType, String digest, long inputSeq, long inputTime) {}

    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final Consumer<ReplayFinding> findings;

    IntentMatcher(Consumer<ReplayFinding> findings) {
        this.findings = findings;
    }

    /** The logic emitted {@code intent} on the input at {@code inputSeq}. */
    void replayed(Intent intent, long inputSeq, long inputTime) {
        if (pending.size() >= MAX_PENDING) {
            report(ReplayFinding.Kind.NOT_RECORDED, pending.removeFirst(), "not journaled within "
                    + MAX_PENDING + " intents");
        }
        String payloadType = intent.payload() == null ? "none" : intent.payload().getClass().getSimpleName();
        pending.addLast(new Pending(intent, payloadType, digestOf(intent), inputSeq, inputTime));
    }

    /** The journal records {@code proposed}: reproduced, different or not replayed. */
    void recorded(ActionProposed proposed) {
        Pending match = take(proposed.intentId());
        long seq = proposed.chronotope().sequence();
        long at = proposed.chronotope().wallTimeMillis();
        if (match == null) {
            findings.accept(new ReplayFinding(ReplayFinding.Kind.NOT_REPLAYED, seq, at, proposed.intentId(),
                    describe(proposed), "", "the replayed logic emitted no intent " + proposed.intentId()));
        } else {
            compare(proposed, match, seq, at);
        }
    }

    /**
     * A proposal journaled after the window: pairs it with a waiting intent if there is one (reported at the time
     * of the input that made it), else ignores it. Returns whether it paired.
     */
    boolean recordedLate(ActionProposed proposed) {
        Pending match = take(proposed.intentId());
        if (match != null) {
            compare(proposed, match, proposed.chronotope().sequence(), match.inputTime());
        }
        return match != null;
    }

    /** Reports every waiting intent as {@code kind} (not recorded, or dropped by a kill) and forgets it. */
    void flush(ReplayFinding.Kind kind, String detail) {
        while (!pending.isEmpty()) {
            report(kind, pending.removeFirst(), detail);
        }
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    private Pending take(String intentId) {
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.intent().intentId().equals(intentId)) {
                it.remove();
                return p;
            }
        }
        return null;
    }

    private void compare(ActionProposed recorded, Pending replayed, long seq, long at) {
        Intent intent = replayed.intent();
        List<String> differences = new ArrayList<>();
        String actionClass = intent.actionClass() == null ? "" : intent.actionClass();
        differ(differences, "action class", recorded.actionClass(), actionClass);
        differ(differences, "target", recorded.target(), String.valueOf(intent.target()));
        differ(differences, "parameters", new TreeMap<>(recorded.parameters()).toString(),
                new TreeMap<>(intent.parameters()).toString());
        differ(differences, "payload type", recorded.payloadType(), replayed.payloadType());
        if (differences.isEmpty() && !recorded.chronotope().inputDigest().equals(replayed.digest())) {
            differences.add("payload: recorded sha256 " + abbreviate(recorded.chronotope().inputDigest())
                    + ", replayed " + abbreviate(replayed.digest()));
        }
        ReplayFinding.Kind kind = differences.isEmpty() ? ReplayFinding.Kind.MATCH : ReplayFinding.Kind.DIFFERENT;
        findings.accept(new ReplayFinding(kind, seq, at, recorded.intentId(), describe(recorded), describe(replayed),
                String.join("; ", differences)));
    }

    private void report(ReplayFinding.Kind kind, Pending p, String detail) {
        findings.accept(new ReplayFinding(kind, p.inputSeq(), p.inputTime(), p.intent().intentId(), "", describe(p),
                detail));
    }

    private static void differ(List<String> out, String field, String recorded, String replayed) {
        if (!recorded.equals(replayed)) {
            out.add(field + ": recorded " + recorded + ", replayed " + replayed);
        }
    }

    /** The digest the supervisor journals for an intent: SHA-256 of its payload's bytes (empty if unregistered). */
    private static String digestOf(Intent intent) {
        byte[] bytes;
        try {
            bytes = PAYLOADS.toBytes(intent.payload());
        } catch (UnregisteredTypeException e) {
            bytes = new byte[0];
        }
        return HashChain.sha256Hex(bytes);
    }

    private static String describe(ActionProposed p) {
        return describe(p.actionClass(), p.target(), p.payloadType(), p.parameters());
    }

    private static String describe(Pending p) {
        Intent i = p.intent();
        return describe(i.actionClass(), String.valueOf(i.target()), p.payloadType(), i.parameters());
    }

    private static String describe(String actionClass, String target, String payloadType, Map<String, Double> params) {
        return actionClass + " -> " + target + " (" + payloadType + (params.isEmpty() ? "" : ", " + new TreeMap<>(params))
                + ")";
    }

    private static String abbreviate(String hex) {
        return hex.length() <= 12 ? hex : hex.substring(0, 12) + "…";
    }
}
