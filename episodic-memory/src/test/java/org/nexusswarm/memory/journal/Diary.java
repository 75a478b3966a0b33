package org.nexusswarm.memory.journal;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.nexusswarm.actors.SwarmMessage;
import org.nexusswarm.memory.chronotope.Chronotope;
import org.nexusswarm.memory.chronotope.EpisodeEvent;
import org.nexusswarm.memory.chronotope.HashChain;
import org.nexusswarm.memory.chronotope.HybridLogicalClock;

/** A minimal episode journal for tests: every entry chains to the previous one, unless told to forge a link. */
final class Diary extends EventSourcedBehaviorWithEnforcedReplies<Diary.Command, Diary.Entry, Diary.Head> {

    interface Command extends SwarmMessage {}

    /** Appends an entry that links to the previous one. */
    record Write(String text, ActorRef<Written> replyTo) implements Command {}

    /** Appends an entry that names {@code previousHash} as its predecessor, whatever the journal holds. */
    record WriteForged(String text, String previousHash, ActorRef<Written> replyTo) implements Command {}

    record Written(long sequence, String hash) implements SwarmMessage {}

    record Entry(Chronotope chronotope, String text) implements EpisodeEvent {
        @Override
        public String details() {
            return "wrote '" + text + "'";
        }
    }

    record Head(long sequence, long hlc, String lastHash) implements SwarmMessage {}

    static final String PLACE = "cell-7";

    private Diary(String id) {
        super(PersistenceId.of("diary", id));
    }

    static Behavior<Command> create(String id) {
        return new Diary(id);
    }

    @Override
    public Head emptyState() {
        return new Head(0, 0, HashChain.GENESIS);
    }

    @Override
    public CommandHandlerWithReply<Command, Entry, Head> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onCommand(Write.class, (head, cmd) -> append(head, cmd.text(), head.lastHash(), cmd.replyTo()))
                .onCommand(WriteForged.class,
                        (head, cmd) -> append(head, cmd.text(), cmd.previousHash(), cmd.replyTo()))
                .build();
    }

    private ReplyEffect<Entry, Head> append(Head head, String text, String previousHash, ActorRef<Written> replyTo) {
        long now = System.currentTimeMillis();
        Entry entry = new Entry(new Chronotope(now, head.sequence() + 1, HybridLogicalClock.tick(head.hlc(), now),
                PLACE, HashChain.sha256Hex(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), previousHash),
                text);
        return Effect().persist(entry)
                .thenReply(replyTo, h -> new Written(h.sequence(), h.lastHash()));
    }

    @Override
    public EventHandler<Head, Entry> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((head, e) ->
                new Head(e.chronotope().sequence(), e.chronotope().hlc(), HashChain.hashOf(e)));
    }
}
