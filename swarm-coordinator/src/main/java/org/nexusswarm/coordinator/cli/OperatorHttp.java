package org.nexusswarm.coordinator.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * How the command line talks to a node's operator HTTP API: one client, one timeout, and transport failures
 * turned into one plain {@link UserError} naming the node, so every operator command reports them alike.
 */
final class OperatorHttp {

    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private OperatorHttp() {}

    /** A JSON POST to {@code endpoint} of the node the user named as {@code node}. */
    static HttpResponse<String> postJson(String node, URI endpoint, String json) {
        return send(node, HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    /** Sends {@code request}; HTTP statuses are the caller's to interpret, transport failures are not. */
    static HttpResponse<String> send(String node, HttpRequest request) {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(TIMEOUT).build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new UserError(ExitCodes.FAILURE, "cannot reach the node at " + node + " (connection refused); "
                    + "is it running with its operator API on that host and port (--node)?");
        } catch (HttpTimeoutException e) {
            throw new UserError(ExitCodes.FAILURE, "the node at " + node + " did not answer within "
                    + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw new UserError(ExitCodes.FAILURE, "talking to the node at " + node + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserError(ExitCodes.FAILURE, "interrupted while waiting for the node at " + node);
        }
    }
}
