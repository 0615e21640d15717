package dev.tollgate.relay.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.upstream.ProviderDefaults;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.snapshot.Channel;
import dev.tollgate.simulator.RecordedRequest;
import dev.tollgate.simulator.Simulator;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The presets' quirks on the way up: base URLs, stream usage, the output limit's name, tool-call ids, headers. */
class OpenAiPresetTest {

    private static final Simulator SIM = Simulator.start(0);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String CLIENT_BODY = "{\"model\":\"m\",\"max_completion_tokens\":64,"
            + "\"stream_options\":{\"include_usage\":false},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private final OpenAiAdapter adapter = new OpenAiAdapter(WebClient.create());

    @AfterAll
    static void close() {
        SIM.close();
    }

    @BeforeEach
    void reset() {
        SIM.reset();
    }

    private static Channel channel(String provider, String baseUrl, String apiKey, Map<String, Object> config) {
        return new Channel(1, provider, provider, baseUrl, apiKey, config, Set.of("m"), Map.of(), Set.of("default"),
                0, 1, true, false, false, 1);
    }

    private static UpstreamCall passThrough(Channel channel, String body) {
        byte[] raw = body.getBytes();
        return new UpstreamCall(channel, Dialect.OPENAI, (ObjectNode) Json.mapper().readTree(raw), raw, "m", false);
    }

    private static JsonNode sent(String provider, boolean stream) {
        UpstreamCall call = passThrough(channel(provider, "http://u/v1", "k", Map.of()), CLIENT_BODY);
        return Json.mapper().readTree(OpenAiRequestMapper.createRequest(call, stream));
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai", "deepseek", "groq", "mistral", "xai", "openrouter", "together", "siliconflow",
        "ollama", "vllm"})
    void shouldDefaultToTheProvidersOwnBaseUrlWhenChannelLeavesItBlank(String provider) {
        OpenAiTarget target = OpenAiTarget.of(passThrough(channel(provider, "", "k", Map.of()), CLIENT_BODY));

        assertThat(target.url()).isEqualTo(ProviderDefaults.baseUrl(provider).replaceAll("/$", "")
                + "/chat/completions");
        assertThat(OpenAiPreset.forProvider(provider).defaultBaseUrl()).isNotBlank();
    }

    @Test
    void shouldSendMaxTokensAndNoStreamOptionsWhenMistralGetsAPassThroughRequest() {
        for (boolean stream : new boolean[] {false, true}) {
            JsonNode body = sent("mistral", stream);
            assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
            assertThat(body.has("max_completion_tokens")).isFalse();
            assertThat(body.has("stream_options")).isFalse();
        }
    }

    @Test
    void shouldRenameTheLimitButAskForUsageWhenDeepSeekStreams() {
        JsonNode body = sent("deepseek", true);

        assertThat(body.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(body.has("max_completion_tokens")).isFalse();
        assertThat(body.at("/stream_options/include_usage").asBoolean()).isTrue();
    }

    @Test
    void shouldKeepMaxCompletionTokensWhenOpenAiGroqOrXaiGetsIt() {
        for (String provider : new String[] {"openai", "groq", "xai"}) {
            assertThat(sent(provider, false).path("max_completion_tokens").asInt()).as(provider).isEqualTo(64);
        }
        UpstreamCall unchanged = passThrough(channel("openai", "http://u/v1", "k", Map.of()), CLIENT_BODY);
        assertThat(OpenAiRequestMapper.createRequest(unchanged, false)).isSameAs(unchanged.rawBody());
    }

    @Test
    void shouldMapToolIdsToNineCharactersAndSendMaxTokensWhenTranslatingForMistral() {
        ChatRequest chat = TranslateGolden.chatRequest("map/anthropic-style.chat.json");

        byte[] body = OpenAiRequestMapper.createRequest(chat, "mistral-large-latest",
                OpenAiPreset.forProvider("mistral"), true);

        PresetGolden.assertJson(Json.mapper().readTree(body), "mistral-anthropic-style.openai.json");
    }

    @Test
    void shouldSendMaxCompletionTokensWhenTranslatingForOpenAi() {
        ChatRequest chat = TranslateGolden.chatRequest("map/anthropic-style.chat.json");

        JsonNode body = Json.mapper().readTree(OpenAiRequestMapper.createRequest(chat, "o3",
                OpenAiPreset.forProvider("openai"), false));

        assertThat(body.path("max_completion_tokens").asInt()).isEqualTo(1024);
        assertThat(body.has("max_tokens")).isFalse();
        assertThat(body.at("/messages/2/tool_calls/0/id").asString()).isEqualTo("toolu_1");
    }

    @Test
    void shouldKeepShortIdsAndMapOthersTheSameWayEveryTimeWhenIdsAreShortened() {
        assertThat(OpenAiRequestMapper.shortToolId("D681PevKs")).isEqualTo("D681PevKs");
        String mapped = OpenAiRequestMapper.shortToolId("toolu_01A09q90qw90lq917835lq9");
        assertThat(mapped).matches("[A-Za-z0-9]{9}").isEqualTo(OpenAiRequestMapper.shortToolId(
                "toolu_01A09q90qw90lq917835lq9"));
        assertThat(OpenAiRequestMapper.shortToolId("call_abc")).isNotEqualTo(mapped);
    }

    @Test
    void shouldSendNoKeyWhenALocalServerHasNone() {
        UpstreamResult result = adapter.complete(passThrough(channel("ollama", SIM.baseUrl(), null, Map.of()),
                CLIENT_BODY)).block(WAIT);

        assertThat(result).isInstanceOf(UpstreamResult.Answered.class);
        RecordedRequest request = SIM.lastRequest();
        assertThat(request.authorization()).isFalse();
        assertThat(request.body().path("max_tokens").asInt()).isEqualTo(64);
    }

    @Test
    void shouldSendAttributionHeadersWhenOpenRouterChannelNamesThem() {
        Map<String, Object> config = Map.of("siteUrl", "https://tollgate.example", "appName", "Tollgate");

        adapter.complete(passThrough(channel("openrouter", SIM.baseUrl(), "or-key", config), CLIENT_BODY)).block(WAIT);

        RecordedRequest request = SIM.lastRequest();
        assertThat(request.header("http-referer")).isEqualTo("https://tollgate.example");
        assertThat(request.header("x-title")).isEqualTo("Tollgate");
        assertThat(request.authScheme()).isEqualTo("Bearer");
    }
}
