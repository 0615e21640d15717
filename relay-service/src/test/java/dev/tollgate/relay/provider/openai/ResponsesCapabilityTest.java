package dev.tollgate.relay.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.snapshot.Channel;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which OpenAI-family channels get Responses callers passed through, and which translated. */
class ResponsesCapabilityTest {

    /** @param override the channel's {@code config.nativeResponses}: a JSON boolean, text ("text:…"), or none */
    @ParameterizedTest
    @CsvSource(nullValues = "none", value = {
            "openai, none, true",
            "OpenAI, none, true",
            "deepseek, none, false",
            "groq, none, false",
            "vllm, none, false",
            "some-compatible, none, false",
            "openai, false, false",
            "vllm, true, true",
            "openrouter, text:true, true",
            "openai, text:maybe, true"})
    void shouldPassResponsesThroughWhereTheProviderServesThemOrTheChannelSays(String provider, String override,
            boolean expected) {
        Map<String, Object> config = override == null ? Map.of()
                : Map.of(ResponsesCapability.CONFIG_KEY, override.startsWith("text:")
                        ? override.substring("text:".length()) : (Object) Boolean.valueOf(override));
        Channel channel = new Channel(1, "c", provider, "http://x/v1", "k", config, Set.of("m"), Map.of(),
                Set.of("default"), 0, 1, true, false, false, 1);

        assertThat(ResponsesCapability.servesResponses(channel)).isEqualTo(expected);
        assertThat(new OpenAiAdapter(null).passesThrough(Dialect.OPENAI_RESPONSES, channel)).isEqualTo(expected);
        assertThat(new OpenAiAdapter(null).passesThrough(Dialect.OPENAI, channel)).isTrue();
        assertThat(new OpenAiAdapter(null).passesThrough(Dialect.ANTHROPIC, channel)).isFalse();
    }
}
