package dev.tollgate.relay.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.metering.TokenCounter;
import dev.tollgate.relay.provider.UpstreamResult;
import org.junit.jupiter.api.Test;

class OpenAiUsageExtractorTest {

    @Test
    void shouldCarryGeneratedTextOfEveryChoiceWhenWholeAnswerHasNoUsage() {
        byte[] body = Golden.bytes("chat-completion-no-usage.json");

        UpstreamResult.Answered answered = OpenAiUsageExtractor.toAnswered(200, "application/json", body);

        assertThat(answered.usage()).isNull();
        assertThat(answered.body()).isSameAs(body);
        assertThat(answered.text()).isEqualTo("Checking the weather for you."
                + "get_weather{\"city\":\"Paris\",\"unit\":\"celsius\"}"
                + "Second choice, in parts."
                + "I can't help with that.");
        assertThat(TokenCounter.count(answered.text())).isGreaterThan(20);
    }

    @Test
    void shouldCarryUsageAndNoTextWhenWholeAnswerReportsUsage() {
        UpstreamResult.Answered answered = OpenAiUsageExtractor.toAnswered(200, "application/json",
                Golden.bytes("chat-completion.json"));

        assertThat(answered.usage()).isEqualTo(TokenUsage.fromOpenAi(1250, 1024, 9, 0));
        assertThat(answered.text()).isEmpty();
    }

    @Test
    void shouldCountLegacyFunctionCallAndReasoningWhenPresent() {
        String body = "{\"choices\":[{\"message\":{\"content\":null,\"reasoning_content\":\"hmm \","
                + "\"function_call\":{\"name\":\"f\",\"arguments\":\"{}\"}}}]}";

        assertThat(OpenAiUsageExtractor.toAnswered(200, null, body.getBytes()).text()).isEqualTo("hmm f{}");
    }

    @Test
    void shouldCarryNoUsageAndNoTextWhenBodyIsNotJson() {
        UpstreamResult.Answered answered = OpenAiUsageExtractor.toAnswered(200, "text/plain", "hello".getBytes());

        assertThat(answered.usage()).isNull();
        assertThat(answered.text()).isEmpty();
    }

    @Test
    void shouldFindUsageWhereverItSitsAndSkipNestedLookalikes() {
        String body = "{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2},\"choices\":[]}";
        assertThat(OpenAiUsageExtractor.toAnswered(200, "application/json", body.getBytes()).usage())
                .isEqualTo(TokenUsage.fromOpenAi(5, 0, 2, 0));

        // A "usage" inside the content or a nested object is not the report; the top-level one after it is.
        String nested = "{\"choices\":[{\"message\":{\"content\":\"usage\",\"usage\":{\"prompt_tokens\":99}}}],"
                + "\"meta\":{\"usage\":{\"prompt_tokens\":77}},\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":3}}";
        assertThat(OpenAiUsageExtractor.toAnswered(200, "application/json", nested.getBytes()).usage())
                .isEqualTo(TokenUsage.fromOpenAi(7, 0, 3, 0));
    }

    @Test
    void shouldTreatNullUsageAsNoneAndNonJsonAsUnreadable() {
        UpstreamResult.Answered nullUsage = OpenAiUsageExtractor.toAnswered(200, "application/json",
                "{\"usage\":null,\"choices\":[{\"message\":{\"content\":\"hi there\"}}]}".getBytes());
        assertThat(nullUsage.usage()).isNull();
        assertThat(nullUsage.text()).isEqualTo("hi there");

        UpstreamResult.Answered notJson = OpenAiUsageExtractor.toAnswered(200, "text/plain", "oops".getBytes());
        assertThat(notJson.usage()).isNull();
        assertThat(notJson.text()).isEmpty();
    }
}
