package org.nexusswarm.safety.internal.supervisor;

import org.nexusswarm.safety.api.supervisor.SafetyEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.nexusswarm.memory.checkpoint.CheckpointSigner;
import org.nexusswarm.memory.checkpoint.MerkleTree;
import org.nexusswarm.memory.chronotope.Chronotope;
import org.nexusswarm.memory.chronotope.HashChain;
import org.nexusswarm.memory.chronotope.HybridLogicalClock;

/**
 * Stamps the events of one command with consecutive chronotopes (sequence, hybrid logical clock, place,
 * input digest, causes, policy and logic version, and the hash of the event before) and collects them into
 * the batch the command persists, so several events persisted together still form a chain.
 *
 * <p>{@link #batch()} closes the batch with a signed {@link SafetyEvent.Checkpointed} when one is due: every
 * {@code checkpointEvery} events, and after every {@link SafetyEvent.Killed}, so a quarantine is always
 * sealed by the hosting node's signature. Used inside one command handler invocation only.
 */
final class EventAppender {

    /** The journal and rules the events of this batch are written under. */
    record Context(String persistenceId, String place, String policyVersion, String logicVersion,
            CheckpointSigner signer, int checkpointEvery) {}

    private final Context context;
    private final long nowMillis;
    private final List<SafetyEvent> batch = new ArrayList<>(4);
    private final List<String> uncheckpointed;
    private long checkpointFrom;
    private long sequence;
    private long hlc;
    private String lastHash;
    private boolean killed;

    EventAppender(SupervisorState.Memory memory, Context context, long nowMillis) {
        this.context = context;
        this.nowMillis = nowMillis;
        SupervisorState.ChainHead head = memory.chain();
        this.sequence = head.sequence();
        this.hlc = head.hlc();
        this.lastHash = head.lastHash();
        this.checkpointFrom = memory.checkpoints().fromSeq();
        this.uncheckpointed = new ArrayList<>(memory.checkpoints().hashes());
    }

    /** Appends a local event caused by {@code causes} (text form of {@link org.nexusswarm.memory.chronotope.CauseRef}). */
    <E extends SafetyEvent> E append(Function<Chronotope, E> make, String inputDigest, List<String> causes) {
        return appendAt(HybridLogicalClock.tick(hlc, nowMillis), make, inputDigest, causes);
    }

    /** Appends an event caused by a message stamped with the sender's clock {@code remoteHlc}. */
    <E extends SafetyEvent> E appendReceived(long remoteHlc, Function<Chronotope, E> make, String inputDigest,
            List<String> causes) {
        return appendAt(HybridLogicalClock.receive(hlc, remoteHlc, nowMillis), make, inputDigest, causes);
    }

    /** The cause reference of an event appended to this journal. */
    String ref(SafetyEvent event) {
        return context.persistenceId() + "#" + event.chronotope().sequence();
    }

    /** The batch to persist, closed with a checkpoint when one is due. */
    List<SafetyEvent> batch() {
        if (!batch.isEmpty() && (uncheckpointed.size() >= context.checkpointEvery() || killed)) {
            long from = checkpointFrom;
            long to = sequence;
            String root = MerkleTree.root(uncheckpointed);
            String signature = context.signer().sign(context.persistenceId(), from, to, root);
            appendAt(HybridLogicalClock.tick(hlc, nowMillis), c -> new SafetyEvent.Checkpointed(c, from, to, root,
                    context.signer().nodeDid(), signature), "", List.of(context.persistenceId() + "#" + to));
        }
        return List.copyOf(batch);
    }

    private <E extends SafetyEvent> E appendAt(long newHlc, Function<Chronotope, E> make, String inputDigest,
            List<String> causes) {
        hlc = newHlc;
        sequence++;
        E event = make.apply(new Chronotope(nowMillis, sequence, hlc, context.place(), inputDigest, lastHash, causes,
                context.policyVersion(), context.logicVersion()));
        lastHash = HashChain.hashOf(event);
        batch.add(event);
        if (event instanceof SafetyEvent.Checkpointed) {
            checkpointFrom = sequence;
            uncheckpointed.clear();
        }
        uncheckpointed.add(lastHash);
        killed |= event instanceof SafetyEvent.Killed;
        return event;
    }
}
