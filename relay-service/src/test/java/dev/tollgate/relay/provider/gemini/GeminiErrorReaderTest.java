package dev.tollgate.relay.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.routing.AttemptOutcome;
import dev.tollgate.relay.routing.AttemptOutcomes;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GeminiErrorReaderTest {

    @Test
    void shouldCountAnInvalidKeyAsRejectedCredentialsWhenGoogleAnswers400() {
        UpstreamResult.Refused refused = GeminiAdapter.refusal(400, "application/json",
                Golden.bytes("error-api-key-invalid.json"), null);

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.message()).isEqualTo("API key not valid. Please pass a valid API key.");
        AttemptOutcome outcome = AttemptOutcomes.fromRefused(refused, Clock.systemUTC());
        assertThat(outcome.kind()).isEqualTo(AttemptOutcome.Kind.AUTH_REJECTED);
        assertThat(outcome.kind().disablesChannel()).isTrue();
    }

    @Test
    void shouldTakeTheRetryDelayFromTheBodyWhenRateLimited() {
        UpstreamResult.Refused refused = GeminiAdapter.refusal(429, "application/json",
                Golden.bytes("error-quota.json"), null);

        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.retryAfter()).isEqualTo("37");
        AttemptOutcome outcome = AttemptOutcomes.fromRefused(refused, Clock.systemUTC());
        assertThat(outcome.kind()).isEqualTo(AttemptOutcome.Kind.RATE_LIMITED);
        assertThat(outcome.retryAfter()).isEqualTo(Duration.ofSeconds(37));
    }

    @Test
    void shouldKeepAPlain400AsTheClientsMistake() {
        byte[] body = "{\"error\":{\"code\":400,\"message\":\"Please use a valid role: user, model.\",\"status\":\"INVALID_ARGUMENT\"}}"
                .getBytes();

        UpstreamResult.Refused refused = GeminiAdapter.refusal(400, null, body, "5");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.retryAfter()).isEqualTo("5");
        assertThat(AttemptOutcomes.fromRefused(refused, Clock.systemUTC()).kind())
                .isEqualTo(AttemptOutcome.Kind.CLIENT_ERROR);
    }

    @Test
    void shouldReadNothingFromHtmlOrEmptyBodies() {
        assertThat(GeminiErrorReader.messageOf("<html>502</html>".getBytes())).isNull();
        assertThat(GeminiErrorReader.messageOf(new byte[0])).isNull();
        assertThat(GeminiErrorReader.retryDelayOf("not json".getBytes())).isNull();
        assertThat(GeminiErrorReader.messageOf("upstream connect error".getBytes())).isEqualTo("upstream connect error");
    }
}
