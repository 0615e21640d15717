package dev.tollgate.relay.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class OpenAiErrorReaderTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"error\":{\"message\":\"Invalid 'messages[0].role'\",\"type\":\"invalid_request_error\"}} | Invalid 'messages[0].role'",
        "{\"error\":\"model not found\"} | model not found",
        "{\"message\":\"rate limited\"} | rate limited",
        "{\"detail\":\"Not Found\"} | Not Found",
        "[{\"error\":{\"code\":400,\"message\":\"bad\"}}] | bad"
    })
    void shouldReadMessageWhenBodyHasAKnownErrorShape(String body, String message) {
        assertThat(OpenAiErrorReader.message(body.getBytes(StandardCharsets.UTF_8))).isEqualTo(message);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"<html>502 Bad Gateway</html>", "{\"error\":{\"code\":500}}", "{\"detail\":[{\"loc\":[]}]}",
        "\"oops\"", "{\"error\":{\"message\":\"  \"}}"})
    void shouldAnswerNullWhenBodyHasNoReadableMessage(String body) {
        assertThat(OpenAiErrorReader.message(body == null ? null : body.getBytes(StandardCharsets.UTF_8))).isNull();
    }
}
