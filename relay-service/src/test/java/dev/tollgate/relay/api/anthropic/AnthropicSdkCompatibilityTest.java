package dev.tollgate.relay.api.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.core.ObjectMappers;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.ErrorResponse;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Part;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The official Java SDK (its own Jackson 2 models, offline) must accept what the writers send. */
class AnthropicSdkCompatibilityTest {

    private static final com.fasterxml.jackson.databind.json.JsonMapper SDK = ObjectMappers.jsonMapper();

    private static Message accumulate(String sse) throws Exception {
        MessageAccumulator accumulator = MessageAccumulator.create();
        for (Golden.Event event : Golden.events(sse)) {
            if ("ping".equals(event.name())) {
                continue; // The SDK's SSE reader drops pings before they become events.
            }
            RawMessageStreamEvent parsed = SDK.readValue(event.data().toString(), RawMessageStreamEvent.class);
            accumulator.accumulate(parsed.validate());
        }
        return accumulator.message().validate();
    }

    @Test
    void shouldBeAcceptedBySdkWhenParsingAWrittenMessage() throws Exception {
        ChatResponse response = new ChatResponse("msg_1", "gpt-4o", List.of(
                new Part.Thinking("hmm", "sig"),
                new Part.RedactedThinking("abc"),
                Part.Text.of("Hello"),
                new Part.ToolUse("call_1", "get_weather", "{\"city\":\"Paris\"}", null)),
                dev.tollgate.relay.chat.StopReason.TOOL_USE, null, new TokenUsage(10, 3, 2, 5, 0, 0, 0, 0));

        Message message = SDK.readValue(AnthropicResponseWriter.write(response, "claude-sonnet-4-5"), Message.class)
                .validate();

        assertThat(message.id()).isEqualTo("msg_1");
        assertThat(message.model().asString()).isEqualTo("claude-sonnet-4-5");
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(message.content()).extracting(ContentBlock::isThinking, ContentBlock::isRedactedThinking,
                        ContentBlock::isText, ContentBlock::isToolUse)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(true, false, false, false),
                        org.assertj.core.groups.Tuple.tuple(false, true, false, false),
                        org.assertj.core.groups.Tuple.tuple(false, false, true, false),
                        org.assertj.core.groups.Tuple.tuple(false, false, false, true));
        assertThat(message.content().get(3).asToolUse()._input().toString()).contains("Paris");
        assertThat(message.usage().inputTokens()).isEqualTo(10);
        assertThat(message.usage().cacheReadInputTokens()).contains(3L);
        assertThat(message.usage().cacheCreationInputTokens()).contains(2L);
        assertThat(message.usage().outputTokens()).isEqualTo(5);
    }

    @Test
    void shouldBeAccumulatedBySdkWhenStreamingToolUse() throws Exception {
        Message message = accumulate(AnthropicStreamWriterTest.render(
                new AnthropicStreamWriter("claude-sonnet-4-5", 50), AnthropicStreamWriterTest.TOOL_USE));

        assertThat(message.id()).isEqualTo("chatcmpl-1");
        assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(message.content()).hasSize(2);
        assertThat(message.content().get(0).asText().text()).isEqualTo("Let me check.");
        assertThat(message.content().get(1).asToolUse().name()).isEqualTo("get_weather");
        assertThat(message.content().get(1).asToolUse()._input().toString()).contains("Paris");
        assertThat(message.usage().inputTokens()).isEqualTo(48);
        assertThat(message.usage().outputTokens()).isEqualTo(17);
    }

    @Test
    void shouldBeAccumulatedBySdkWhenStreamingThinking() throws Exception {
        Message message = accumulate(AnthropicStreamWriterTest.render(
                new AnthropicStreamWriter("claude-opus-4-1", 20), AnthropicStreamWriterTest.THINKING));

        assertThat(message.content()).hasSize(3);
        assertThat(message.content().get(0).asThinking().thinking()).isEqualTo("Six times seven.");
        assertThat(message.content().get(0).asThinking().signature()).isEqualTo("EqQBCgIYAhIM");
        assertThat(message.content().get(1).asRedactedThinking().data()).isEqualTo("EmwKAhgBEgy3va3p");
        assertThat(message.content().get(2).asText().text()).isEqualTo("42");
        assertThat(message.stopReason()).contains(StopReason.MAX_TOKENS);
        assertThat(message.usage().cacheReadInputTokens()).contains(100L);
    }

    @Test
    void shouldBeAcceptedBySdkWhenParsingAnErrorBody() throws Exception {
        ErrorResponse error = SDK.readValue(AnthropicErrorWriter.body(
                Rejection.of(Rejection.Kind.INSUFFICIENT_QUOTA, "quota used up"), "req-1"), ErrorResponse.class)
                .validate();

        assertThat(error.error().isBillingError()).isTrue();
        assertThat(error.error().message()).isEqualTo("quota used up");
        assertThat(error.requestId()).contains("req-1");
    }
}
