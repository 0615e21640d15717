package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.InboundRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.Rejection;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ChatRequestValidatorTest {

    private static InboundRequest valid(String json) {
        return ChatRequestValidator.validate(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void shouldReadModelStreamUsageAndMaxTokensWhenRequestIsValid() {
        InboundRequest r = valid("{\"model\":\"m\",\"messages\":[],\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"max_tokens\":7}");
        assertThat(r.model()).isEqualTo("m");
        assertThat(r.stream()).isTrue();
        assertThat(r.includeUsage()).isTrue();
        assertThat(r.maxTokens()).isEqualTo(7);
    }

    @Test
    void shouldPreferMaxCompletionTokensWhenBothAreGiven() {
        assertThat(valid("{\"model\":\"m\",\"messages\":[],\"max_tokens\":7,\"max_completion_tokens\":9}")
                .maxTokens()).isEqualTo(9);
    }

    @Test
    void shouldDefaultToNonStreamingWithoutUsageWhenFieldsAreAbsent() {
        InboundRequest r = valid("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.stream()).isFalse();
        assertThat(r.includeUsage()).isFalse();
        assertThat(r.maxTokens()).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"messages\":[]}|model",
            "{\"model\":5,\"messages\":[]}|model",
            "{\"model\":\"m\"}|messages",
            "{\"model\":\"m\",\"messages\":\"hi\"}|messages",
            "{\"model\":\"m\",\"messages\":[],\"stream\":\"yes\"}|stream",
            "{\"model\":\"m\",\"messages\":[],\"max_tokens\":\"10\"}|max_tokens",
            "{\"model\":\"m\",\"messages\":[],\"max_tokens\":0}|max_tokens",
            "{\"model\":\"m\",\"messages\":[],\"max_tokens\":1.5}|max_tokens",
            "{\"model\":\"m\",\"messages\":[],\"max_completion_tokens\":-3}|max_completion_tokens",
            "{\"model\":\"m\",\"messages\":[],\"stream_options\":true}|stream_options",
            "{\"model\":\"m\",\"messages\":[],\"n\":0}|n",
            "{\"model\":\"m\",\"messages\":[],\"n\":129}|n",
            "{\"model\":\"m\",\"messages\":[],\"n\":2.5}|n",
            "{\"model\":\"m\",\"messages\":[],\"n\":\"2\"}|n",
            "{\"model\":\"m\",\"messages\":[],\"max_tokens\":10000001}|max_tokens",
            "{\"model\":\"m\",\"messages\":[],\"max_tokens\":9223372036854775807}|max_tokens",
            "{\"model\":\"m\",\"messages\":[],\"max_tokens\":100000000000000000000000}|max_tokens",
            "{\"model\":\"m\",\"messages\":[],\"max_completion_tokens\":10000001}|max_completion_tokens"})
    void shouldRejectNamingTheParamWhenAFieldHasTheWrongType(String json, String param) {
        assertThatThrownBy(() -> valid(json))
                .isInstanceOfSatisfying(Rejection.class, r -> {
                    assertThat(r.kind()).isEqualTo(Rejection.Kind.INVALID_REQUEST);
                    assertThat(r.param()).isEqualTo(param);
                });
    }

    @Test
    void shouldReadNAndDefaultItToOneWhenAbsent() {
        assertThat(valid("{\"model\":\"m\",\"messages\":[],\"n\":128}").choices()).isEqualTo(128);
        assertThat(valid("{\"model\":\"m\",\"messages\":[],\"n\":null}").choices()).isEqualTo(1);
        assertThat(valid("{\"model\":\"m\",\"messages\":[]}").choices()).isEqualTo(1);
    }

    @Test
    void shouldAcceptMaxTokensUpToTheCap() {
        assertThat(valid("{\"model\":\"m\",\"messages\":[],\"max_tokens\":10000000}").maxTokens())
                .isEqualTo(10_000_000L);
    }

    @Test
    void shouldSayWhatTheLimitIsWhenMaxTokensIsTooLarge() {
        assertThatThrownBy(() -> valid("{\"model\":\"m\",\"messages\":[],\"max_tokens\":9223372036854775807}"))
                .hasMessageContaining("Expected a value <= 10000000");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"{not json", "[1,2]", "\"text\""})
    void shouldRejectWhenBodyIsNotAJsonObject(String body) {
        assertThatThrownBy(() -> valid(body))
                .isInstanceOfSatisfying(Rejection.class,
                        r -> assertThat(r.kind()).isEqualTo(Rejection.Kind.INVALID_REQUEST));
    }

    @Test
    void shouldRejectWhenBodyIsEmpty() {
        assertThatThrownBy(() -> ChatRequestValidator.validate(new byte[0])).isInstanceOf(Rejection.class);
    }

    @Test
    void shouldWriteOpenAiErrorShapeWhenRejecting() {
        var body = Json.mapper().readTree(OpenAiErrorWriter.body(Rejection.invalid("bad", "max_tokens")));
        assertThat(body.path("error").path("message").asString()).isEqualTo("bad");
        assertThat(body.path("error").path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(body.path("error").path("param").asString()).isEqualTo("max_tokens");
        assertThat(body.path("error").has("code")).isTrue();
        var quota = Json.mapper().readTree(OpenAiErrorWriter.body(
                Rejection.of(Rejection.Kind.INSUFFICIENT_QUOTA, "You exceeded your current quota")));
        assertThat(quota.path("error").path("type").asString()).isEqualTo("insufficient_quota");
        assertThat(quota.path("error").path("code").asString()).isEqualTo("insufficient_quota");
        assertThat(quota.path("error").path("param").isNull()).isTrue();
    }

    @Test
    void shouldCountPromptTokensOverMessageTextWhenEstimating() {
        var tree = Json.mapper().readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"hello world\"},"
                + "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hello world\"}]}]}");
        long two = OpenAiPromptCounter.count(tree);
        var one = Json.mapper().readTree("{\"messages\":[{\"role\":\"user\",\"content\":\"hello world\"}]}");
        assertThat(two).isGreaterThan(OpenAiPromptCounter.count(one));
        assertThat(OpenAiPromptCounter.count(one)).isBetween(5L, 12L);
    }
}
