package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.relay.api.Rejection;
import java.nio.charset.StandardCharsets;
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
}
