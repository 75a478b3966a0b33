package org.nexusswarm.coordinator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.memory.checkpoint.CheckpointEvent;
import org.nexusswarm.memory.checkpoint.CheckpointSigner;
import org.nexusswarm.memory.checkpoint.MerkleTree;
import org.nexusswarm.memory.chronotope.Chronotope;
import org.nexusswarm.memory.chronotope.EpisodeEvent;
import org.nexusswarm.memory.chronotope.HashChain;

/**
 * A test-only episode journal written the way the safety supervisor writes its own: hash-chained events, and
 * before every {@value #EVERY}th sequence number a checkpoint signed with the node key, covering every event
 * since the previous checkpoint. Persisted through the real Cassandra journal plugin, so the tamper tests
 * edit rows exactly as the product stores them.
 */
final class TamperLedger extends EventSourcedBehaviorWithEnforcedReplies<TamperLedger.Command, EpisodeEvent,
        TamperLedger.State> {

    static final int EVERY = 5;

    interface Command extends SwarmMessage {}

    record Append(String text, ActorRef<Appended> replyTo) implements Command {}

    record Appended(long sequence) implements SwarmMessage {}

    record Note(Chronotope chronotope, String text) implements EpisodeEvent {
        @Override
        public String details() {
            return "note '" + text + "'";
        }
    }

    record Seal(Chronotope chronotope, long fromSeq, long toSeq, String merkleRoot, String nodeDid,
            String signature) implements CheckpointEvent {
        @Override
        public String details() {
            return "covers " + fromSeq + ".." + toSeq + " root " + merkleRoot + " by " + nodeDid;
        }
    }

    /** The journal head and the hashes since the last checkpoint (a few, in a test). */
    record State(long seq, String lastHash, long windowFrom, List<String> window) {
        State {
            window = List.copyOf(window);
        }

        State apply(EpisodeEvent e) {
            String hash = HashChain.hashOf(e);
            long s = e.chronotope().sequence();
            if (e instanceof Seal) {
                return new State(s, hash, s, List.of(hash));
            }
            List<String> next = new ArrayList<>(window);
            next.add(hash);
            return new State(s, hash, windowFrom, next);
        }
    }

    private final String persistenceId;
    private final CheckpointSigner signer;

    private TamperLedger(EntityAddress address, CheckpointSigner signer) {
        super(PersistenceId.ofUniqueId(address.persistenceId()));
        this.persistenceId = address.persistenceId();
        this.signer = signer;
    }

    static Behavior<Command> create(EntityAddress address, CheckpointSigner signer) {
        return new TamperLedger(address, signer);
    }

    static Chronotope chronotope(long seq, String previousHash, String input) {
        return new Chronotope(System.currentTimeMillis(), seq, seq << 16, "cell-it",
                HashChain.sha256Hex(input.getBytes(StandardCharsets.UTF_8)), previousHash);
    }

    /** {@code e} naming another predecessor: what a chain rewrite does to every later event. */
    static EpisodeEvent relinked(EpisodeEvent e, String previousHash) {
        Chronotope c = e.chronotope();
        Chronotope moved = new Chronotope(c.wallTimeMillis(), c.sequence(), c.hlc(), c.place(), c.inputDigest(),
                previousHash, c.causes(), c.policyVersion(), c.logicVersion());
        return e instanceof Seal s
                ? new Seal(moved, s.fromSeq(), s.toSeq(), s.merkleRoot(), s.nodeDid(), s.signature())
                : new Note(moved, ((Note) e).text());
    }

    @Override
    public State emptyState() {
        return new State(0, HashChain.GENESIS, 1, List.of());
    }

    @Override
    public CommandHandlerWithReply<Command, EpisodeEvent, State> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onCommand(Append.class, (state, cmd) -> {
                    List<EpisodeEvent> events = new ArrayList<>();
                    State s = state;
                    if ((s.seq() + 1) % EVERY == 0) {
                        String root = MerkleTree.root(s.window());
                        Seal seal = new Seal(chronotope(s.seq() + 1, s.lastHash(), "seal"), s.windowFrom(), s.seq(),
                                root, signer.nodeDid(), signer.sign(persistenceId, s.windowFrom(), s.seq(), root));
                        events.add(seal);
                        s = s.apply(seal);
                    }
                    events.add(new Note(chronotope(s.seq() + 1, s.lastHash(), cmd.text()), cmd.text()));
                    return Effect().persist(events).thenReply(cmd.replyTo(), after -> new Appended(after.seq()));
                })
                .build();
    }

    @Override
    public EventHandler<State, EpisodeEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent(State::apply);
    }
}
