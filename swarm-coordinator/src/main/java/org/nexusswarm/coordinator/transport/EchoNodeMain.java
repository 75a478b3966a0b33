package org.nexusswarm.coordinator.transport;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import org.apache.pekko.actor.AbstractActor;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Props;

/**
 * The far end of a transport round trip: a JVM with one actor that sends every string back, on the transport named
 * by its first argument ({@code tls-tcp} also takes the certificate directory and the node name). Prints
 * {@code ECHO-READY <port>} once it listens; exits when its input closes (the measuring JVM went away).
 */
public final class EchoNodeMain {

    private EchoNodeMain() {}

    public static void main(String[] args) throws Exception {
        String transport = args[0];
        NodeCertificates.NodeFiles tls = args.length >= 3 ? NodeCertificates.of(Path.of(args[1]), args[2]) : null;
        ActorSystem system = ActorSystem.create("echo", config(transport, tls));
        system.actorOf(Props.create(Echo.class, Echo::new), "echo");
        int port = (Integer) ((ExtendedActorSystem) system).provider().getDefaultAddress().port().get();
        System.out.println("ECHO-READY " + port);
        System.out.flush();
        while (System.in.read() >= 0) {
            // the parent holds our input open while it needs us
        }
        system.terminate();
        system.getWhenTerminated().toCompletableFuture().join();
        System.exit(0);
    }

    /** A plain remote actor system (no cluster, no Kryo) on {@code transport}, on a free loopback port. */
    static Config config(String transport, NodeCertificates.NodeFiles tls) {
        Config base = ConfigFactory.parseString("""
                pekko.actor.provider = remote
                pekko.remote.artery.canonical.hostname = "127.0.0.1"
                pekko.remote.artery.canonical.port = 0
                pekko.loglevel = WARNING
                pekko.log-dead-letters = off
                pekko.remote.warn-about-direct-use = off
                """).withFallback(ConfigFactory.defaultReference());
        return Transports.apply(base, transport, tls);
    }

    static final class Echo extends AbstractActor {
        @Override
        public Receive createReceive() {
            return receiveBuilder().match(String.class, s -> getSender().tell(s, getSelf())).build();
        }
    }
}
