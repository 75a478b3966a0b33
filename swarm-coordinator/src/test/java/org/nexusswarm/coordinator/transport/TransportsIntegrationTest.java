package org.nexusswarm.coordinator.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.ActorSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Each Artery transport between this JVM and a second one; TLS refuses a peer the cluster CA did not certify. */
class TransportsIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path certs;

    @ParameterizedTest
    @ValueSource(strings = {"tcp", "tls-tcp", "aeron-udp"})
    void messagesMakeTheRoundTripToASecondJvm(String transport) throws Exception {
        NodeCertificates.generate(certs, List.of("echo", "measure"));
        try (RoundTrips trips = new RoundTrips(transport, certs, "measure", WAIT)) {
            for (int i = 0; i < 50; i++) {
                assertEquals("m" + i, trips.ask("m" + i, WAIT).toCompletableFuture().get(60, TimeUnit.SECONDS),
                        trips.output());
            }
            RoundTrips.Rates r = trips.measure(transport, 200);
            System.out.printf("%s: %.0f round trips/s one in flight, %.0f with 100%n", transport, r.oneInFlight(),
                    r.hundredInFlight());
        }
    }

    @Test
    void tlsRefusesAPeerWithACertificateFromAnotherCa() throws Exception {
        NodeCertificates.generate(certs.resolve("cluster"), List.of("echo", "measure"));
        NodeCertificates.generate(certs.resolve("stranger"), List.of("measure"));
        try (RoundTrips trips = new RoundTrips("tls-tcp", certs.resolve("cluster"), "measure", WAIT)) {
            assertEquals("hello", trips.ask("hello", WAIT).toCompletableFuture().get(60, TimeUnit.SECONDS));
            ActorSystem stranger = ActorSystem.create("measure", EchoNodeMain.config("tls-tcp",
                    NodeCertificates.of(certs.resolve("stranger"), "measure")));
            try {
                var echo = stranger.actorSelection("pekko://echo@127.0.0.1:" + trips.port() + "/user/echo");
                assertThrows(ExecutionException.class, () -> echo.resolveOne(Duration.ofSeconds(8))
                        .toCompletableFuture().get(20, TimeUnit.SECONDS), "a stranger associated over TLS");
            } finally {
                stranger.terminate();
                stranger.getWhenTerminated().toCompletableFuture().get(20, TimeUnit.SECONDS);
            }
            // and the cluster's own peer is still served
            assertEquals("again", trips.ask("again", WAIT).toCompletableFuture().get(60, TimeUnit.SECONDS));
        }
    }
}
