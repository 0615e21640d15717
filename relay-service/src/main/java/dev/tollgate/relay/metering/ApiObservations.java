package dev.tollgate.relay.metering;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;

/**
 * Which inbound requests get the framework's {@code http.server.requests} observation. The API paths
 * ({@code /v1…}, {@code /v1beta…}) are measured by {@link RelayMetrics} already, with the channel and model the
 * framework does not know; observing them again cost about 7 % of the relay's CPU per request (JFR under
 * {@code ./tollgate bench relay}). So they are observed only while tracing is on, where the observation is the
 * request's span. Everything else ({@code /actuator}) is always observed.
 */
public final class ApiObservations implements ObservationPredicate {

    static final String HTTP_SERVER_REQUESTS = "http.server.requests";

    private final boolean tracing;

    public ApiObservations(boolean tracing) {
        this.tracing = tracing;
    }

    @Override
    public boolean test(String name, Observation.Context context) {
        if (tracing || !HTTP_SERVER_REQUESTS.equals(name)
                || !(context instanceof ServerRequestObservationContext server) || server.getCarrier() == null) {
            return true;
        }
        return !server.getCarrier().getPath().value().startsWith("/v1");
    }
}
