package org.nexusswarm.safety.api.policy;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * What the policy engine judges: an entity wants to perform {@code actionClass} on {@code target} from
 * {@code place} at {@code at}, with these numeric parameters (envelope values and declared resources).
 *
 * @param target     the addressed entity, e.g. {@code node:drought-watch.node-0} (informational)
 * @param place      where the acting entity is deployed; null or blank fails every {@code places} rule
 * @param parameters copied; null means none
 */
public record ActionRequest(String actionClass, String target, String place, Map<String, Double> parameters,
        Instant at) {

    public ActionRequest {
        if (actionClass == null || actionClass.isBlank()) {
            throw new IllegalArgumentException("an action request needs an action class");
        }
        Objects.requireNonNull(at, "an action request needs a time (at)");
        parameters = parameters == null ? Map.of() : Map.copyOf(parameters);
    }
}
