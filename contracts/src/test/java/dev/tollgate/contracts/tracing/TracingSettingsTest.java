package dev.tollgate.contracts.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TracingSettingsTest {

    @Test
    void shouldTurnTracingOffWhenNoEndpointIsSet() {
        assertThat(TracingSettings.properties("", "", false))
                .containsEntry("spring.autoconfigure.exclude", TracingSettings.TRACER_AUTO_CONFIGURATIONS)
                .containsEntry("management.tracing.export.enabled", "false")
                .containsEntry("management.tracing.sampling.probability", "0.0")
                .doesNotContainKey("management.opentelemetry.tracing.export.otlp.endpoint");
    }

    @Test
    void shouldExportEveryTraceToTheEndpointWhenOnlyTheEndpointIsSet() {
        assertThat(TracingSettings.properties(" http://collector:4318/v1/traces ", "", false))
                .containsEntry("management.opentelemetry.tracing.export.otlp.endpoint",
                        "http://collector:4318/v1/traces")
                .containsEntry("management.tracing.sampling.probability", "1.0")
                .doesNotContainKeys("management.tracing.export.enabled", "spring.autoconfigure.exclude");
    }

    @Test
    void shouldTraceWithoutAnEndpointWhenForced() {
        assertThat(TracingSettings.properties("", "", true))
                .containsEntry("management.tracing.sampling.probability", "1.0")
                .doesNotContainKeys("spring.autoconfigure.exclude",
                        "management.opentelemetry.tracing.export.otlp.endpoint");
    }

    @Test
    void shouldSampleTheGivenShareWhenSamplingIsSet() {
        assertThat(TracingSettings.properties("http://collector:4318/v1/traces", "0.25", false))
                .containsEntry("management.tracing.sampling.probability", "0.25");
    }

    @Test
    void shouldRefuseToStartWhenSamplingIsNotAShare() {
        assertThatThrownBy(() -> TracingSettings.properties("http://c:4318/v1/traces", "1.5", false))
                .hasMessageContaining("TOLLGATE_TRACE_SAMPLING");
        assertThatThrownBy(() -> TracingSettings.properties("http://c:4318/v1/traces", "all", false))
                .hasMessageContaining("TOLLGATE_TRACE_SAMPLING");
    }
}
