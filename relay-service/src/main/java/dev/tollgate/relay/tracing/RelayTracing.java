package dev.tollgate.relay.tracing;

import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.TracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import java.util.HashMap;
import java.util.Map;
import reactor.util.context.ContextView;

/**
 * The relay's own spans beside the framework's server span: one per upstream attempt, and the W3C trace context
 * that the request's usage event carries to the ledger. WebFlux keeps the request's server observation in the
 * Reactor context (not in a thread local), so the parent is read from there. With tracing off (no
 * {@code TOLLGATE_OTLP_ENDPOINT}) every method returns at its first check: nothing is allocated on the hot path.
 */
public final class RelayTracing {

    /** The W3C header name (in the record headers of the usage topic). */
    public static final String TRACEPARENT = "traceparent";
    private static final RelayTracing OFF = new RelayTracing(Tracer.NOOP, Propagator.NOOP);

    private final Tracer tracer;
    private final Propagator propagator;
    private final boolean enabled;

    private RelayTracing(Tracer tracer, Propagator propagator) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.enabled = tracer != Tracer.NOOP && propagator != Propagator.NOOP;
    }

    public static RelayTracing off() {
        return OFF;
    }

    /** Tracing through {@code tracer}; off when either is missing or a no-op. */
    public static RelayTracing of(Tracer tracer, Propagator propagator) {
        if (tracer == null || propagator == null) {
            return OFF;
        }
        return new RelayTracing(tracer, propagator);
    }

    public boolean enabled() {
        return enabled;
    }

    /** The server span of the request this Reactor context belongs to, or null (tracing off, or no request). */
    Span requestSpan(ContextView context) {
        if (!enabled) {
            return null;
        }
        Observation observation = context.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
        if (observation == null) {
            return null;
        }
        TracingObservationHandler.TracingContext tracing = observation.getContextView()
                .get(TracingObservationHandler.TracingContext.class);
        return tracing == null ? null : tracing.getSpan();
    }

    /** The request's W3C {@code traceparent}, for its usage event's record headers; null when not traced. */
    public String traceparent(ContextView context) {
        Span span = requestSpan(context);
        if (span == null) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>(4);
        propagator.inject(span.context(), carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /**
     * Starts the span of one upstream attempt ({@code upstream <provider>}), a child of the request's server span.
     *
     * @param attempt 1 for the first channel tried, 2 for the first failover, …
     */
    public UpstreamSpan upstream(ContextView context, String provider, long channelId, String model, int attempt) {
        Span parent = requestSpan(context);
        if (parent == null) {
            return UpstreamSpan.NONE;
        }
        Span span = tracer.spanBuilder()
                .setParent(parent.context())
                .name("upstream " + provider)
                .kind(Span.Kind.CLIENT)
                .tag("tollgate.provider", provider)
                .tag("tollgate.channel.id", Long.toString(channelId))
                .tag("gen_ai.request.model", model)
                .tag("tollgate.attempt", Integer.toString(attempt))
                .start();
        return new UpstreamSpan(span);
    }
}
