package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.api.RefusalMapper;
import dev.tollgate.relay.provider.UpstreamResult;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.web.reactive.function.server.ServerResponse;
import tools.jackson.databind.JsonNode;

class OpenAiRefusalMapperTest {

    private static final byte[] LEAKY = ("{\"error\":{\"message\":\"Incorrect API key provided: sk-proj-abc***xyz. "
            + "Organization org-SECRET.\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}")
            .getBytes(StandardCharsets.UTF_8);

    private static UpstreamResult.Refused refused(int status, String retryAfter) {
        return new UpstreamResult.Refused(status, "application/json", LEAKY, retryAfter);
    }

    private static Rejection rejection(int status) {
        return RefusalMapper.toRejection(refused(status, null), true).orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 409, 413, 422})
    void shouldPassThroughWhenUpstreamErrorIsAboutClientsRequest(int status) {
        assertThat(RefusalMapper.toRejection(refused(status, null), true)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void shouldAnswer502UpstreamAuthFailedWhenUpstreamRefusesChannelKey(int status) {
        Rejection rejection = rejection(status);
        JsonNode body = Json.mapper().readTree(OpenAiErrorWriter.body(rejection));

        assertThat(rejection.kind().status()).isEqualTo(502);
        assertThat(Json.mapper().writeValueAsString(body)).isEqualTo("{\"error\":{\"message\":\"The upstream provider "
                + "refused the gateway's credentials.\",\"type\":\"upstream_error\",\"param\":null,"
                + "\"code\":\"upstream_auth_failed\"}}");
    }

    @Test
    void shouldAnswer429RateLimitErrorKeepingRetryAfterWhenUpstreamRateLimits() {
        Rejection rejection = RefusalMapper.toRejection(refused(429, "20"), true).orElseThrow();
        JsonNode error = Json.mapper().readTree(OpenAiErrorWriter.body(rejection)).path("error");

        assertThat(rejection.kind().status()).isEqualTo(429);
        assertThat(error.path("type").asString()).isEqualTo("rate_limit_error");
        assertThat(error.path("code").asString()).isEqualTo("rate_limit_exceeded");
        assertThat(error.path("message").asString()).doesNotContain("sk-").doesNotContain("org-");
        ServerResponse response = new OpenAiErrorWriter().write(rejection, "req-1").block(Duration.ofSeconds(5));
        assertThat(response.statusCode().value()).isEqualTo(429);
        assertThat(response.headers().getFirst("retry-after")).isEqualTo("20");
    }

    @Test
    void shouldLeaveRetryAfterOutWhenUpstreamSentNoneOrGarbage() {
        assertThat(RefusalMapper.toRejection(refused(429, null), true).orElseThrow().retryAfter()).isNull();
        assertThat(RefusalMapper.toRejection(refused(429, "soon\r\nx-evil: 1"), true).orElseThrow().retryAfter())
                .isNull();
        assertThat(RefusalMapper.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT"))
                .isEqualTo("Wed, 21 Oct 2015 07:28:00 GMT");
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 402, 418})
    void shouldAnswer502GenericUpstreamErrorWhenUpstreamFailsOtherwise(int status) {
        Rejection rejection = rejection(status);
        JsonNode error = Json.mapper().readTree(OpenAiErrorWriter.body(rejection)).path("error");

        assertThat(rejection.kind().status()).isEqualTo(502);
        assertThat(error.path("type").asString()).isEqualTo("upstream_error");
        assertThat(error.path("code").asString()).isEqualTo("upstream_error");
        assertThat(error.path("message").asString()).doesNotContain("sk-").doesNotContain("org-");
    }
}
