package dev.tollgate.relay.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.snapshot.Channel;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class OpenAiRequestMapperTest {

    private static Channel channel(Map<String, String> mapping) {
        return new Channel(1, "c", "openai", "http://u/v1", "sk-x", Map.of(), Set.of("gpt-4o-mini"), mapping, Set.of("default"),
                0, 1, true, false, false, 1);
    }

    private static UpstreamCall call(String golden, Map<String, String> mapping, boolean wantsUsage) {
        byte[] raw = Golden.bytes(golden);
        ObjectNode tree = (ObjectNode) Json.mapper().readTree(raw);
        return new UpstreamCall(channel(mapping), Dialect.OPENAI, tree, raw, tree.get("model").asString(), wantsUsage);
    }

    @Test
    void shouldSendClientBytesUnchangedWhenNonStreamingAndUnmapped() {
        UpstreamCall call = call("chat-request.json", Map.of(), false);
        assertThat(OpenAiRequestMapper.createRequest(call, false)).isSameAs(call.rawBody());
    }

    @Test
    void shouldRenameModelWhenChannelMapsIt() {
        UpstreamCall call = call("chat-request.json", Map.of("gpt-4o-mini", "deployment-7"), false);
        JsonNode sent = Json.mapper().readTree(OpenAiRequestMapper.createRequest(call, false));
        assertThat(sent.get("model").asString()).isEqualTo("deployment-7");
        assertThat(sent.get("max_tokens").asInt()).isEqualTo(50);
        assertThat(sent.get("messages").size()).isEqualTo(2);
        assertThat(call.request().get("model").asString()).as("client tree untouched").isEqualTo("gpt-4o-mini");
    }

    @Test
    void shouldForceIncludeUsageAndKeepOtherStreamOptionsWhenStreaming() {
        UpstreamCall call = call("chat-request-stream.json", Map.of(), false);
        JsonNode sent = Json.mapper().readTree(OpenAiRequestMapper.createRequest(call, true));
        assertThat(sent.path("stream_options").path("include_usage").booleanValue()).isTrue();
        assertThat(sent.path("stream_options").path("include_obfuscation").isBoolean()).isTrue();
        assertThat(sent.path("stream").booleanValue()).isTrue();
        assertThat(call.request().path("stream_options").has("include_usage")).isFalse();
    }

    @Test
    void shouldAddStreamOptionsWhenClientSentNone() {
        byte[] raw = "{\"model\":\"gpt-4o-mini\",\"messages\":[],\"stream\":true}".getBytes();
        ObjectNode tree = (ObjectNode) Json.mapper().readTree(raw);
        UpstreamCall call = new UpstreamCall(channel(Map.of()), Dialect.OPENAI, tree, raw, "gpt-4o-mini", false);
        JsonNode sent = Json.mapper().readTree(OpenAiRequestMapper.createRequest(call, true));
        assertThat(sent.path("stream_options").path("include_usage").booleanValue()).isTrue();
    }

    @Test
    void shouldJoinBaseUrlAndPathWhenBaseUrlEndsWithSlash() {
        assertThat(OpenAiAdapter.chatUrl("http://h/v1/")).isEqualTo("http://h/v1/chat/completions");
        assertThat(OpenAiAdapter.chatUrl("http://h/v1")).isEqualTo("http://h/v1/chat/completions");
    }

    @Test
    void shouldServeOpenAiPresetsWhenProviderIsCompatible() {
        OpenAiAdapter adapter = new OpenAiAdapter(null);
        assertThat(adapter.supports("deepseek")).isTrue();
        assertThat(adapter.supports("vllm")).isTrue();
        assertThat(adapter.supports("openai")).isTrue();
        assertThat(adapter.supports("anthropic")).isFalse();
    }
}
