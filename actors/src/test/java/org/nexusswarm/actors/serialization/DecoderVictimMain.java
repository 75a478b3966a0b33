package org.nexusswarm.actors.serialization;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Props;
import org.nexusswarm.actors.entity.EntityAddress;
import org.nexusswarm.actors.entity.EntityKind;
import org.nexusswarm.actors.protocol.EntityStatus;
import org.nexusswarm.actors.protocol.GetStatus;

/**
 * The victim JVM of {@link DecoderArteryIntegrationTest}: an actor system with the project's Kryo serializer
 * and Artery TCP on a free port, and one actor that counts what reaches it and answers {@link GetStatus} with
 * the count (in {@code lastSequence}). Prints {@code VICTIM-READY <port>} once it listens.
 */
public final class DecoderVictimMain {

    private DecoderVictimMain() {}

    public static void main(String[] args) {
        ActorSystem system = ActorSystem.create("victim", remoteConfig());
        system.actorOf(Props.create(Counter.class, Counter::new), "counter");
        int port = (Integer) ((ExtendedActorSystem) system).provider().getDefaultAddress().port().get();
        System.out.println("VICTIM-READY " + port);
        System.out.flush();
        system.getWhenTerminated().toCompletableFuture().join();
    }

    static Config remoteConfig() {
        return ConfigFactory.parseString("""
                pekko.actor.provider = remote
                pekko.remote.artery.transport = tcp
                pekko.remote.artery.canonical.hostname = "127.0.0.1"
                pekko.remote.artery.canonical.port = 0
                pekko.loglevel = WARNING
                pekko.log-dead-letters = off
                """).withFallback(ConfigFactory.load());
    }

    static final class Counter extends AbstractActor {
        private long count;

        @Override
        public Receive createReceive() {
            return receiveBuilder().matchAny(message -> {
                count++;
                if (message instanceof GetStatus status) {
                    status.replyTo().tell(new EntityStatus(EntityAddress.of(EntityKind.NODE, "victim"), false, 0,
                            count, "alive"));
                }
            }).build();
        }
    }
}
