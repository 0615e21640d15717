package dev.tollgate.relay.api.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.provider.UpstreamFailure;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.web.reactive.function.server.EntityResponse;
import org.springframework.web.reactive.function.server.ServerResponse;
import tools.jackson.databind.JsonNode;

class AnthropicErrorWriterTest {

    @ParameterizedTest
    @CsvSource({
            "INVALID_REQUEST,400,invalid_request_error",
            "MODEL_NOT_PRICED,400,invalid_request_error",
            "INVALID_API_KEY,401,authentication_error",
            "IP_NOT_ALLOWED,403,permission_error",
            "MODEL_NOT_FOUND,404,not_found_error",
            "UNKNOWN_URL,404,not_found_error",
            "REQUEST_TOO_LARGE,413,request_too_large",
            "INSUFFICIENT_QUOTA,429,billing_error",
            "UPSTREAM_RATE_LIMITED,429,rate_limit_error",
            "RATE_LIMITED,429,rate_limit_error",
            "UPSTREAM_TIMEOUT,504,timeout_error",
            "UNAVAILABLE,503,overloaded_error",
            "USAGE_SPOOL_FULL,503,overloaded_error",
            "INTERNAL,500,api_error",
            "UPSTREAM_UNREACHABLE,502,api_error",
            "UPSTREAM_ERROR,502,api_error",
            "UPSTREAM_AUTH_FAILED,502,api_error"})
    void shouldAnswerWithAnthropicsTypeAndTheKindsStatusWhenRejecting(Rejection.Kind kind, int status, String type) {
        Rejection rejection = Rejection.of(kind, "something about " + kind);

        JsonNode body = Golden.parse(AnthropicErrorWriter.body(rejection));

        assertThat(rejection.kind().status()).isEqualTo(status);
        assertThat(body).isEqualTo(Golden.parse(("{\"type\":\"error\",\"error\":{\"type\":\"" + type
                + "\",\"message\":\"something about " + kind + "\"}}").getBytes()));
    }

    @Test
    void shouldSetStatusRequestIdsAndRetryAfterWhenWritingTheResponse() {
        Rejection rejection = Rejection.of(Rejection.Kind.UPSTREAM_RATE_LIMITED, "slow down").withRetryAfter("7");

        ServerResponse response = new AnthropicErrorWriter().write(rejection, "req-1").block(Duration.ofSeconds(5));

        assertThat(response.statusCode().value()).isEqualTo(429);
        assertThat(response.headers().getFirst("request-id")).isEqualTo("req-1");
        assertThat(response.headers().getFirst("x-request-id")).isEqualTo("req-1");
        assertThat(response.headers().getFirst("retry-after")).isEqualTo("7");
        assertThat(response.headers().getContentType()).hasToString("application/json");
        @SuppressWarnings("unchecked")
        byte[] body = ((EntityResponse<byte[]>) response).entity();
        assertThat(Golden.parse(body)).isEqualTo(Golden.parse(("{\"type\":\"error\",\"error\":{\"type\":"
                + "\"rate_limit_error\",\"message\":\"slow down\"},\"request_id\":\"req-1\"}").getBytes()));
    }

    @Test
    void shouldWriteTheRateLimitHeadersWhenOurOwnLimitRefuses() {
        Rejection rejection = Rejection.of(Rejection.Kind.RATE_LIMITED, "too many").withRetryAfter("12")
                .withHeaders(java.util.Map.of("X-RateLimit-Limit-Requests", "60", "x-ratelimit-remaining-requests", "0"));

        ServerResponse response = new AnthropicErrorWriter().write(rejection, "req-3").block(Duration.ofSeconds(5));

        assertThat(response.statusCode().value()).isEqualTo(429);
        assertThat(response.headers().get("retry-after")).containsExactly("12");
        assertThat(response.headers().get("x-ratelimit-limit-requests")).containsExactly("60");
        assertThat(response.headers().get("x-ratelimit-remaining-requests")).containsExactly("0");
        @SuppressWarnings("unchecked")
        byte[] body = ((EntityResponse<byte[]>) response).entity();
        assertThat(Golden.parse(body).path("error").path("type").asString()).isEqualTo("rate_limit_error");
    }

    @Test
    void shouldOmitRetryAfterWhenTheRejectionCarriesNone() {
        ServerResponse response = new AnthropicErrorWriter().write(Rejection.invalid("x: bad", "x"), "req-2")
                .block(Duration.ofSeconds(5));

        assertThat(response.statusCode().value()).isEqualTo(400);
        assertThat(response.headers().containsHeader("retry-after")).isFalse();
    }

    @Test
    void shouldTurnUntranslatableIntoTheCallersBadRequestWhenMapping() {
        Rejection rejection = AnthropicErrorWriter.toRejection(new Untranslatable("tools.1", "tools.1: no server tools"));

        assertThat(rejection.kind()).isEqualTo(Rejection.Kind.INVALID_REQUEST);
        assertThat(rejection.getMessage()).isEqualTo("tools.1: no server tools");
        assertThat(rejection.param()).isEqualTo("tools.1");
    }

    @Test
    void shouldMapUpstreamFailuresAndUnknownErrorsLikeTheOpenAiSideWhenMapping() {
        Rejection same = Rejection.of(Rejection.Kind.INVALID_API_KEY, "no");

        assertThat(AnthropicErrorWriter.toRejection(same)).isSameAs(same);
        assertThat(AnthropicErrorWriter.toRejection(new UpstreamFailure.TimedOut("t", null)).kind())
                .isEqualTo(Rejection.Kind.UPSTREAM_TIMEOUT);
        assertThat(AnthropicErrorWriter.toRejection(new UpstreamFailure.Unreachable("u", null)).kind())
                .isEqualTo(Rejection.Kind.UPSTREAM_UNREACHABLE);
        assertThat(AnthropicErrorWriter.toRejection(new IllegalStateException("bug")).kind())
                .isEqualTo(Rejection.Kind.INTERNAL);
    }
}
