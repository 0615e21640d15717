package dev.tollgate.relay.metering;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.money.TokenUsage;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RelayMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RelayMetrics metrics = new RelayMetrics(registry, Set.of("gpt-4o-mini")::contains);

    @Test
    void shouldLabelOnlyModelsSomeChannelServesWhenRecording() {
        metrics.record(event(7L, "gpt-4o-mini", UsageStatus.SUCCESS, 200), 120);
        metrics.record(event(null, "whatever-a-customer-typed", UsageStatus.REJECTED, 404), 0);

        assertThat(registry.get(RelayMetrics.REQUESTS)
                .tags("channel", "7", "model", "gpt-4o-mini", "outcome", "success", "status", "2xx")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.get(RelayMetrics.REQUESTS)
                .tags("channel", "none", "model", "other", "outcome", "rejected", "status", "4xx")
                .counter().count()).isEqualTo(1.0);
        assertThat(registry.find(RelayMetrics.REQUESTS).tag("model", "whatever-a-customer-typed").meters())
                .isEmpty();
        assertThat(registry.get(RelayMetrics.SPEND).tags("channel", "7").counter().count()).isEqualTo(120.0);
        assertThat(registry.get(RelayMetrics.TOKENS).tags("channel", "7", "direction", "in").counter().count())
                .isEqualTo(11.0);
        assertThat(registry.get(RelayMetrics.TOKENS).tags("channel", "7", "direction", "out").counter().count())
                .isEqualTo(5.0);
        assertThat(registry.get(RelayMetrics.TTFT).tags("channel", "7").timer().count()).isEqualTo(1);
    }

    @Test
    void shouldTrackInFlightRequestsAndOpenStreamsWhenTheyStartAndEnd() {
        metrics.requestStarted();
        metrics.requestStarted();
        metrics.streamOpened();
        assertThat(registry.get(RelayMetrics.IN_FLIGHT).gauge().value()).isEqualTo(2.0);
        assertThat(registry.get(RelayMetrics.OPEN_STREAMS).gauge().value()).isEqualTo(1.0);
        metrics.streamClosed();
        metrics.requestEnded();
        metrics.requestEnded();
        assertThat(registry.get(RelayMetrics.IN_FLIGHT).gauge().value()).isZero();
        assertThat(registry.get(RelayMetrics.OPEN_STREAMS).gauge().value()).isZero();
    }

    /** Off the response path, but once per request: it must stay cheap once a series exists. */
    @Test
    void shouldRecordAnEventInMicrosecondsWhenItsSeriesExists() {
        UsageEvent event = event(7L, "gpt-4o-mini", UsageStatus.SUCCESS, 200);
        for (int i = 0; i < 20_000; i++) {
            metrics.record(event, 120);
        }
        int n = 200_000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            metrics.record(event, 120);
        }
        long nanosEach = (System.nanoTime() - start) / n;
        assertThat(nanosEach).isLessThan(20_000);
    }

    private static UsageEvent event(Long channelId, String model, UsageStatus status, int httpStatus) {
        return UsageEvent.builder()
                .requestId("r-1")
                .relayId("relay-a")
                .keyId(1)
                .userId(2)
                .group("default")
                .channelId(channelId)
                .modelAsked(model)
                .modelServed(model)
                .dialect("openai")
                .provider("openai")
                .tokens(new TokenUsage(8, 2, 1, 5, 0, 1, 0, 0))
                .status(status)
                .httpStatus(httpStatus)
                .latencyMs(420)
                .ttftMs(channelId == null ? null : 90L)
                .startedAt(Instant.now())
                .finishedAt(Instant.now())
                .build();
    }
}
