package org.nexusswarm.safety.api.policy;

import java.time.Duration;

/**
 * The acting entity's own recent history, as the supervisor knows it from its state: how many actions
 * matching {@code actionClass} it took (were allowed) within the last {@code window} before the request.
 *
 * <p>{@code actionClass} is the rule's action pattern, so it may be a glob ({@code grid.*}): count every
 * action whose class {@link Glob#matches matches} it. A rate limit of {@code max} per window refuses the
 * request when the count is already {@code max} or more.
 */
@FunctionalInterface
public interface RateView {

    long count(String actionClass, Duration window);

    /** A view of an entity with no history (tests, first actions). */
    RateView NONE = (actionClass, window) -> 0;
}
