package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.relay.api.Rejection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.junit.jupiter.api.Test;

class OpenAiErrorWriterTest {

    @Test
    void shouldAnswerServerErrorWithSpoolCodeWhenUsageCannotBeRecorded() {
        Rejection rejection = Rejection.usageSpoolFull();

        assertThat(rejection.kind().status()).isEqualTo(503);
        assertThat(new String(OpenAiErrorWriter.body(rejection), StandardCharsets.UTF_8)).isEqualTo(
                "{\"error\":{\"message\":\"usage cannot be recorded right now\",\"type\":\"server_error\","
                        + "\"param\":null,\"code\":\"usage_spool_full\"}}");
    }

    @Test
    void shouldAnswerInvalidRequestNamingModelWhenModelIsNotPriced() {
        Rejection rejection = Rejection.modelNotPriced("x");

        assertThat(rejection.kind().status()).isEqualTo(400);
        assertThat(new String(OpenAiErrorWriter.body(rejection), StandardCharsets.UTF_8)).isEqualTo(
                "{\"error\":{\"message\":\"The model `x` has no price configured on this gateway.\","
                        + "\"type\":\"invalid_request_error\",\"param\":\"model\",\"code\":\"model_not_priced\"}}");
    }

    @Test
    void shouldAnswerOpenAisRateLimitShapeAndHeadersWhenOurOwnLimitRefuses() {
        Rejection onRequests = Rejection.of(Rejection.Kind.RATE_LIMITED, "Rate limit reached").withRetryAfter("20")
                .withHeaders(Map.of("x-ratelimit-limit-requests", "3", "x-ratelimit-remaining-requests", "0",
                        "x-ratelimit-reset-requests", "20s"));
        Rejection onTokens = Rejection.of(Rejection.Kind.RATE_LIMITED, "Rate limit reached")
                .withHeaders(Map.of("x-ratelimit-remaining-requests", "5", "x-ratelimit-remaining-tokens", "0"));

        ServerResponse response = new OpenAiErrorWriter().write(onRequests, "req-1").block(Duration.ofSeconds(5));

        assertThat(response.statusCode().value()).isEqualTo(429);
        assertThat(response.headers().get("retry-after")).containsExactly("20");
        assertThat(response.headers().getFirst("x-ratelimit-limit-requests")).isEqualTo("3");
        assertThat(response.headers().getFirst("x-ratelimit-remaining-requests")).isEqualTo("0");
        assertThat(response.headers().getFirst("x-ratelimit-reset-requests")).isEqualTo("20s");
        assertThat(new String(OpenAiErrorWriter.body(onRequests), StandardCharsets.UTF_8)).isEqualTo(
                "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"param\":null,"
                        + "\"code\":\"rate_limit_exceeded\"}}");
        assertThat(new String(OpenAiErrorWriter.body(onTokens), StandardCharsets.UTF_8)).contains(
                "\"type\":\"tokens\"");
    }
}
