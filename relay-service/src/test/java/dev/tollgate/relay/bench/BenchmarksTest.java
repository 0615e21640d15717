package dev.tollgate.relay.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Each benchmark run once, untimed: it must do the work it claims (a bench that silently measures an empty stream
 * or a refused request would report nonsense), so a change that breaks one fails the build, not the next run.
 */
class BenchmarksTest {

    @Test
    void shouldMapTheRequestIntoEveryUpstreamDialect() {
        RequestMappingBench bench = new RequestMappingBench();
        bench.setUp();
        assertThat(bench.openAiPassThrough()).isEqualTo(BenchData.resource("openai-chat-request.json"));
        assertThat(json(bench.openAiPassThroughStream()).path("stream_options").path("include_usage").asBoolean())
                .isTrue();
        JsonNode anthropic = json(bench.openAiToAnthropic());
        assertThat(anthropic.path("messages").size()).isEqualTo(3);
        assertThat(anthropic.path("tools").path(0).path("name").asString()).isEqualTo("get_weather");
        assertThat(json(bench.openAiToGemini()).path("contents").size()).isEqualTo(3);
        assertThat(json(bench.anthropicToOpenAi()).path("messages").size()).isEqualTo(4);
        assertThat(bench.openAiPromptCount()).isGreaterThan(100);
    }

    @Test
    void shouldMapTheAnswersWithTheirUsage() {
        ResponseMappingBench bench = new ResponseMappingBench();
        bench.setUp();
        assertThat(json(bench.anthropicToOpenAi()).path("usage").path("completion_tokens").asLong()).isEqualTo(64);
        assertThat(json(bench.openAiToAnthropic()).path("usage").path("output_tokens").asLong()).isEqualTo(64);
        assertThat(bench.openAiPassThrough().usage()).isNotNull();
        assertThat(bench.anthropicPassThrough().usage()).isNotNull();
    }

    @Test
    void shouldCarryEveryStreamToTheClientsFrames() {
        StreamBench bench = new StreamBench();
        bench.setUp();
        assertThat(BenchData.openAiStream()).hasSize(21);
        assertThat(BenchData.anthropicStream()).hasSize(20);
        assertThat(bench.sseDecodeOnly()).isEqualTo(21);
        // Pass-through re-frames each event as it came: as many bytes out as in.
        assertThat(bench.openAiPassThrough()).isEqualTo(size(BenchData.openAiStream()));
        assertThat(bench.anthropicPassThrough()).isEqualTo(size(BenchData.anthropicStream()));
        assertThat(bench.openAiToAnthropic()).isGreaterThan(2_000);
        assertThat(bench.anthropicToOpenAi()).isGreaterThan(2_000);
    }

    private static long size(java.util.List<byte[]> events) {
        return events.stream().mapToLong(event -> event.length).sum();
    }

    private static JsonNode json(byte[] body) {
        return Json.mapper().readTree(new String(body, StandardCharsets.UTF_8));
    }
}
