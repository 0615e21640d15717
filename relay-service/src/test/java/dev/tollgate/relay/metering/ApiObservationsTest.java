package dev.tollgate.relay.metering;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.Observation;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;

class ApiObservationsTest {

    private static ServerRequestObservationContext request(String path) {
        MockServerHttpRequest request = MockServerHttpRequest.post(path).build();
        return new ServerRequestObservationContext(request, new MockServerHttpResponse(), java.util.Map.of());
    }

    @Test
    void shouldSkipApiPathsWhileTracingIsOff() {
        ApiObservations off = new ApiObservations(false);

        assertThat(off.test("http.server.requests", request("/v1/chat/completions"))).isFalse();
        assertThat(off.test("http.server.requests", request("/v1beta/models/gemini-2.5-flash:generateContent"))).isFalse();
        assertThat(off.test("http.server.requests", request("/actuator/prometheus"))).isTrue();
        assertThat(off.test("http.client.requests", new Observation.Context())).isTrue();
    }

    @Test
    void shouldObserveEverythingWhileTracing() {
        assertThat(new ApiObservations(true).test("http.server.requests", request("/v1/messages"))).isTrue();
    }
}
