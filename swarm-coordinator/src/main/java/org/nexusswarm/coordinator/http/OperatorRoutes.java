package org.nexusswarm.coordinator.http;

import org.apache.pekko.http.javadsl.server.Route;

/**
 * A feature's part of the operator HTTP API (approvals, revocations, kill switch, policy). The operator API
 * server concatenates the routes of all features; each feature authenticates its own requests.
 */
public interface OperatorRoutes {
    Route route();
}
