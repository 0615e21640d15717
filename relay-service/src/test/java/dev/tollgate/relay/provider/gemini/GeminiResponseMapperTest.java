package dev.tollgate.relay.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import dev.tollgate.relay.provider.UpstreamResult;
import org.junit.jupiter.api.Test;

class GeminiResponseMapperTest {

    @Test
    void shouldSplitCachedInputAndCountThoughtsAsOutputWhenReadingUsage() {
        ChatResponse response = GeminiResponseMapper.toChatResponse(Golden.bytes("response-text.json"), "asked");

        // prompt 2058 of which 2048 cached; candidates 9 + thoughts 25.
        assertThat(response.usage()).isEqualTo(new TokenUsage(10, 2048, 0, 34, 25, 0, 0, 0));
        assertThat(response.content()).containsExactly(Part.Text.of("Hello! How can I help you today?"));
        assertThat(response.stopReason()).isEqualTo(StopReason.END_TURN);
        assertThat(response.id()).isEqualTo("nMnXaLzfLq-WkdUPnLnTuAo");
        assertThat(response.model()).isEqualTo("gemini-2.5-flash");
    }

    @Test
    void shouldReadThoughtsAndCallsWithStableIdsAndToolUseWhenTheAnswerCallsFunctions() {
        byte[] body = Golden.bytes("response-thinking-tool.json");

        ChatResponse first = GeminiResponseMapper.toChatResponse(body, "asked");
        ChatResponse again = GeminiResponseMapper.toChatResponse(body, "asked");

        assertThat(first.content()).containsExactly(
                new Part.Thinking("The user wants the weather; I should call the tool.", null),
                // The call's thought signature rides on its tool use, for the next turn.
                new Part.ToolUse("call_xyz_Abc-123_0", "get_weather", "{\"location\":\"Boston, MA\",\"unit\":\"celsius\"}",
                        null, "CiQB0e2Kb3VvN6l2bGxk"),
                new Part.ToolUse("call_xyz_Abc-123_1", "get_time", "{}", null));
        assertThat(again.content()).isEqualTo(first.content());
        assertThat(first.stopReason()).isEqualTo(StopReason.TOOL_USE);
        assertThat(first.usage()).isEqualTo(new TokenUsage(84, 0, 0, 106, 80, 0, 0, 0));
    }

    @Test
    void shouldAnswerFilteredWithNoContentWhenThePromptWasBlocked() {
        ChatResponse response = GeminiResponseMapper.toChatResponse(Golden.bytes("response-blocked.json"), "asked");

        assertThat(response.content()).isEmpty();
        assertThat(response.stopReason()).isEqualTo(StopReason.CONTENT_FILTERED);
        assertThat(response.usage()).isEqualTo(new TokenUsage(12, 0, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void shouldMapFinishReasonsToTheInternalOnes() {
        assertThat(GeminiResponseMapper.toStopReason("MAX_TOKENS", false)).isEqualTo(StopReason.MAX_TOKENS);
        assertThat(GeminiResponseMapper.toStopReason("SAFETY", false)).isEqualTo(StopReason.CONTENT_FILTERED);
        assertThat(GeminiResponseMapper.toStopReason("RECITATION", false)).isEqualTo(StopReason.CONTENT_FILTERED);
        assertThat(GeminiResponseMapper.toStopReason("STOP", true)).isEqualTo(StopReason.TOOL_USE);
        assertThat(GeminiResponseMapper.toStopReason("MALFORMED_FUNCTION_CALL", false)).isEqualTo(StopReason.END_TURN);
    }

    @Test
    void shouldKeepTheBodyAndItsUsageWhenPassingThrough() {
        byte[] body = Golden.bytes("response-text.json");

        UpstreamResult.Answered answered = GeminiResponseMapper.toAnswered(200, "application/json", body);

        assertThat(answered.body()).isSameAs(body);
        assertThat(answered.usage().cacheReadTokens()).isEqualTo(2048);
        assertThat(answered.text()).isEmpty();
    }

    @Test
    void shouldCountTheTextWhenAnAnswerReportsNoUsage() {
        byte[] body = ("{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"hi\"},{\"functionCall\":{\"name\":\"f\","
                + "\"args\":{\"a\":1}}}]}}]}").getBytes();

        UpstreamResult.Answered answered = GeminiResponseMapper.toAnswered(200, null, body);

        assertThat(answered.usage()).isNull();
        assertThat(answered.text()).isEqualTo("hif{\"a\":1}");
    }
}
