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
final class Diary extends EventSourcedBehaviorWithEnforcedReplies<Diary.Command, EpisodeEvent, Diary.Head> {

    interface Command extends SwarmMessage {}

    /** Appends an entry that links to the previous one. */
    record Write(String text, ActorRef<Written> replyTo) implements Command {}

    /** Appends an entry that names {@code previousHash} as its predecessor, whatever the journal holds. */
    record WriteForged(String text, String previousHash, ActorRef<Written> replyTo) implements Command {}

    /** Appends an entry that happened at {@code wallTime} in {@code place}, following {@code causes}. */
    record WriteAt(String text, long wallTime, String place, java.util.List<String> causes,
            ActorRef<Written> replyTo) implements Command {}

    /** Appends a start event naming the rail and pack, at {@code wallTime}. */
    record Begin(String rail, String pack, long wallTime, ActorRef<Written> replyTo) implements Command {}

    record Written(long sequence, String hash) implements SwarmMessage {}

    record Entry(Chronotope chronotope, String text) implements EpisodeEvent {
        @Override
        public String details() {
            return "wrote '" + text + "'";
        }
    }

    /** A start event, as the safety supervisor's {@code Started} is one. */
    record Begun(Chronotope chronotope, String rail, String pack, String logicVersion, String credentialId)
            implements EpisodeEvent, org.nexusswarm.memory.chronotope.EpisodeStart {
        @Override
        public String details() {
            return "began " + rail + " of pack " + pack;
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
    public CommandHandlerWithReply<Command, EpisodeEvent, Head> commandHandler() {
        return newCommandHandlerWithReplyBuilder().forAnyState()
                .onCommand(Write.class, (head, cmd) -> append(head, cmd.text(), head.lastHash(), cmd.replyTo()))
                .onCommand(WriteForged.class,
                        (head, cmd) -> append(head, cmd.text(), cmd.previousHash(), cmd.replyTo()))
                .onCommand(WriteAt.class, (head, cmd) -> persist(head, new Entry(chronotope(head, cmd.wallTime(),
                        cmd.place(), cmd.causes()), cmd.text()), cmd.replyTo()))
                .onCommand(Begin.class, (head, cmd) -> persist(head, new Begun(chronotope(head, cmd.wallTime(),
                        PLACE, java.util.List.of()), cmd.rail(), cmd.pack(), "diary-1", "cred-1"), cmd.replyTo()))
                .build();
    }

    private static Chronotope chronotope(Head head, long wallTime, String place, java.util.List<String> causes) {
        return new Chronotope(wallTime, head.sequence() + 1, HybridLogicalClock.tick(head.hlc(), wallTime), place,
                "", head.lastHash(), causes, "", "diary-1");
    }

    private ReplyEffect<EpisodeEvent, Head> persist(Head head, EpisodeEvent event, ActorRef<Written> replyTo) {
        return Effect().persist(event).thenReply(replyTo, h -> new Written(h.sequence(), h.lastHash()));
    }

    private ReplyEffect<EpisodeEvent, Head> append(Head head, String text, String previousHash, ActorRef<Written> replyTo) {
        long now = System.currentTimeMillis();
        Entry entry = new Entry(new Chronotope(now, head.sequence() + 1, HybridLogicalClock.tick(head.hlc(), now),
                PLACE, HashChain.sha256Hex(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), previousHash),
                text);
        return Effect().persist(entry)
                .thenReply(replyTo, h -> new Written(h.sequence(), h.lastHash()));
    }

    @Override
    public EventHandler<Head, EpisodeEvent> eventHandler() {
        return newEventHandlerBuilder().forAnyState().onAnyEvent((head, e) ->
                new Head(e.chronotope().sequence(), e.chronotope().hlc(), HashChain.hashOf(e)));
    }
}
