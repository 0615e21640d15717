package dev.tollgate.relay.api.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.Rejection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

class GeminiErrorWriterTest {

    @ParameterizedTest(name = "{0} → {1} {2}")
    @CsvSource({
        "INVALID_REQUEST, 400, INVALID_ARGUMENT",
        "INVALID_API_KEY, 401, UNAUTHENTICATED",
        "IP_NOT_ALLOWED, 403, PERMISSION_DENIED",
        "MODEL_NOT_FOUND, 404, NOT_FOUND",
        "UNKNOWN_URL, 404, NOT_FOUND",
        "INSUFFICIENT_QUOTA, 429, RESOURCE_EXHAUSTED",
        "RATE_LIMITED, 429, RESOURCE_EXHAUSTED",
        "INTERNAL, 500, INTERNAL",
        "UPSTREAM_AUTH_FAILED, 502, UNAVAILABLE",
        "UNAVAILABLE, 503, UNAVAILABLE",
        "UPSTREAM_TIMEOUT, 504, DEADLINE_EXCEEDED"})
    void shouldWriteGooglesErrorShapeWithTheCanonicalStatusOfEachKind(Rejection.Kind kind, int code, String status) {
        JsonNode body = Json.mapper().readTree(GeminiErrorWriter.body(Rejection.of(kind, "what went wrong")));

        assertThat(body.path("error").path("code").asInt()).isEqualTo(code);
        assertThat(body.path("error").path("status").asString()).isEqualTo(status);
        assertThat(body.path("error").path("message").asString()).isEqualTo("what went wrong");
    }

    @Test
    void shouldWriteOnlyTheErrorObject() {
        JsonNode body = Json.mapper().readTree(GeminiErrorWriter.body(Rejection.invalid("bad", "contents")));

        assertThat(body.propertyNames()).containsExactly("error");
        assertThat(body.path("error").propertyNames()).containsExactly("code", "message", "status");
    }
}
