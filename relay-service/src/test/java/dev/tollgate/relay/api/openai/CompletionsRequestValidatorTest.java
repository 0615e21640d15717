package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CompletionsRequestValidatorTest {

    private static InboundRequest valid(String json) {
        return CompletionsRequestValidator.validate(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadStreamUsageAndLimitsWhenRequestIsValid() {
        InboundRequest request = valid("{\"model\":\"i\",\"prompt\":[\"a\",\"b\"],\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"max_tokens\":7,\"n\":2}");

        assertThat(request.stream()).isTrue();
        assertThat(request.includeUsage()).isTrue();
        assertThat(request.maxTokens()).isEqualTo(7);
        assertThat(request.choices()).isEqualTo(2);
    }

    @Test
    void shouldReserveOpenAisDefaultSixteenTokensWhenMaxTokensIsAbsent() {
        assertThat(valid("{\"model\":\"i\",\"prompt\":\"a\"}").maxTokens())
                .isEqualTo(CompletionsRequestValidator.DEFAULT_MAX_TOKENS);
    }

    @Test
    void shouldReserveForEveryBestOfCandidateWhenBestOfExceedsN() {
        assertThat(valid("{\"model\":\"i\",\"prompt\":\"a\",\"n\":2,\"best_of\":5}").choices()).isEqualTo(5);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"prompt\":\"a\"}|model",
            "{\"model\":\"i\"}|prompt",
            "{\"model\":\"i\",\"prompt\":{}}|prompt",
            "{\"model\":\"i\",\"prompt\":[true]}|prompt[0]",
            "{\"model\":\"i\",\"prompt\":\"a\",\"stream\":\"yes\"}|stream",
            "{\"model\":\"i\",\"prompt\":\"a\",\"max_tokens\":0}|max_tokens",
            "{\"model\":\"i\",\"prompt\":\"a\",\"best_of\":21}|best_of",
            "{\"model\":\"i\",\"prompt\":\"a\",\"stream_options\":1}|stream_options"})
    void shouldNameTheParameterWhenRequestIsInvalid(String json, String param) {
        assertThatThrownBy(() -> valid(json))
                .isInstanceOfSatisfying(Rejection.class, r -> assertThat(r.param()).isEqualTo(param));
    }
}
