package dev.tollgate.contracts.tracing;

import java.util.HashMap;
import java.util.Map;

/**
 * Traces are off unless {@code TOLLGATE_OTLP_ENDPOINT} names an OTLP/HTTP collector (for example
 * {@code http://collector:4318/v1/traces}); {@code TOLLGATE_TRACE_SAMPLING} (0..1, default 1.0) is then the share
 * of new traces kept. Off, the OpenTelemetry tracer is not configured at all: Micrometer's no-op tracer, no SDK
 * tracer provider, no exporter, and W3C headers neither read nor written ({@code management.tracing.export.enabled}
 * alone would keep a tracer making unrecorded spans). Boot's properties cannot derive a switch from whether a URL
 * is set, so this sets them, below every other source: an explicit property still wins. {@code
 * tollgate.tracing.enabled=true} turns tracing on without an endpoint (tests, with an exporter of their own).
 *
 * <p>The same in every service, so it lives here as plain properties; each service's {@code TracingSwitch} puts
 * them into its Spring environment.
 */
public final class TracingSettings {

    /** From TOLLGATE_OTLP_ENDPOINT and TOLLGATE_TRACE_SAMPLING (application.yml). */
    public static final String ENDPOINT = "tollgate.tracing.otlp-endpoint";
    public static final String SAMPLING = "tollgate.tracing.sampling";
    public static final String FORCED = "tollgate.tracing.enabled";
    /** What makes a tracer and exports its spans; without them Boot's no-op tracer stands in. */
    public static final String TRACER_AUTO_CONFIGURATIONS = String.join(",",
            "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration",
            "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration");


    private TracingSettings() {
    }

    public static Map<String, Object> properties(String endpoint, String sampling, boolean forced) {
        Map<String, Object> props = new HashMap<>();
        if (endpoint.isBlank() && !forced) {
            props.put("spring.autoconfigure.exclude", TRACER_AUTO_CONFIGURATIONS);
            props.put("management.tracing.export.enabled", "false");
            props.put("management.tracing.sampling.probability", "0.0");
            return props;
        }
        if (!endpoint.isBlank()) {
            props.put("management.opentelemetry.tracing.export.otlp.endpoint", endpoint.trim());
        }
        props.put("management.tracing.sampling.probability", Double.toString(probability(sampling)));
        return props;
    }

    private static double probability(String sampling) {
        if (sampling.isBlank()) {
            return 1.0;
        }
        try {
            double p = Double.parseDouble(sampling.trim());
            if (p >= 0 && p <= 1) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("TOLLGATE_TRACE_SAMPLING must be a number from 0 to 1, not '" + sampling
                + "'");
    }
}
