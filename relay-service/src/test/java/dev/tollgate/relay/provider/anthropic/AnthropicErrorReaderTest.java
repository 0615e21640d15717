package dev.tollgate.relay.provider.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AnthropicErrorReaderTest {

    @Test
    void shouldReadMessageAndTypeWhenBodyIsAnthropicError() {
        byte[] body = ("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"},"
                + "\"request_id\":\"req_011CSHoEeqs5C35K2UUqR7Fy\"}").getBytes(StandardCharsets.UTF_8);

        assertThat(AnthropicErrorReader.messageOf(body)).isEqualTo("Overloaded");
        assertThat(AnthropicErrorReader.typeOf(body)).isEqualTo("overloaded_error");
    }

    @Test
    void shouldReadTopLevelMessageWhenProxyAnswersFlatJson() {
        assertThat(AnthropicErrorReader.messageOf("{\"message\":\"quota exceeded\"}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("quota exceeded");
    }

    @Test
    void shouldTolerateNonJsonWhenBodyIsPlainTextHtmlOrBroken() {
        assertThat(AnthropicErrorReader.messageOf("upstream connect error".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("upstream connect error");
        assertThat(AnthropicErrorReader.messageOf("<html><body>502</body></html>".getBytes(StandardCharsets.UTF_8)))
                .isNull();
        assertThat(AnthropicErrorReader.messageOf("{\"error\":".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(AnthropicErrorReader.messageOf(new byte[0])).isNull();
        assertThat(AnthropicErrorReader.messageOf(null)).isNull();
        assertThat(AnthropicErrorReader.typeOf("nope".getBytes(StandardCharsets.UTF_8))).isNull();
    }
}
