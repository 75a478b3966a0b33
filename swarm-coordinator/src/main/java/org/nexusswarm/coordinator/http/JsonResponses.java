package org.nexusswarm.coordinator.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;

/** The JSON answers every operator route gives: a body with a status, and {@code {"error", "code"}} refusals. */
final class JsonResponses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonResponses() {}

    static HttpResponse json(StatusCode status, JsonNode body) {
        return HttpResponse.create().withStatus(status)
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body.toString()));
    }

    /** {@code {"error": message}}. */
    static HttpResponse error(StatusCode status, String message) {
        return json(status, JSON.createObjectNode().put("error", message));
    }

    /** {@code {"error": message, "code": code}}: the code is stable for tools, the message is for people. */
    static HttpResponse error(StatusCode status, String code, String message) {
        return json(status, JSON.createObjectNode().put("error", message).put("code", code));
    }

    /** The first line of a (parser) message, so multi-line library errors stay readable in one JSON field. */
    static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
