package dev.tollgate.relay.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.provider.Operation;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.snapshot.Channel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpEntity;
import org.springframework.util.MultiValueMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The audio upload's upstream form and what a transcription's answer bills. */
class OpenAiAudioTest {

    private static final String TREE = "{\"model\":\"stt\",\"language\":\"de\","
            + "\"timestamp_granularities[]\":[\"word\",\"segment\"],"
            + "\"file\":{\"filename\":\"talk.wav\",\"content_type\":\"audio/wav\",\"bytes\":4,\"seconds\":2}}";

    @Test
    void shouldReEncodeTheFormWithTheChannelsModelAndTheFile() throws Exception {
        byte[] file = {1, 2, 3, 4};
        UpstreamCall call = call(TREE, file);

        MultiValueMap<String, HttpEntity<?>> form = OpenAiUploadRequestMapper.createRequest(call, "whisper-1");

        assertThat(form.keySet()).containsExactly("model", "language", "timestamp_granularities[]", "file");
        assertThat(form.getFirst("model").getBody()).isEqualTo("whisper-1");
        assertThat(form.getFirst("language").getBody()).isEqualTo("de");
        assertThat(form.get("timestamp_granularities[]").stream().map(entity -> (Object) entity.getBody()).toList())
                .containsExactly("word", "segment");
        HttpEntity<?> part = form.getFirst("file");
        assertThat(((Resource) part.getBody()).getContentAsByteArray()).isEqualTo(file);
        assertThat(part.getHeaders().getContentDisposition().getFilename()).isEqualTo("talk.wav");
        assertThat(part.getHeaders().getContentType().toString()).isEqualTo("audio/wav");
    }

    @Test
    void shouldBillTheStatedDurationFirst() {
        JsonNode request = tree(TREE);
        assertThat(OpenAiAudioUsage.usage(request, bytes("{\"task\":\"transcribe\",\"duration\":7.01,\"text\":\"x\"}")))
                .isEqualTo(seconds(8));
        assertThat(OpenAiAudioUsage.usage(request, bytes("{\"text\":\"x\",\"usage\":{\"type\":\"duration\","
                + "\"seconds\":4}}"))).isEqualTo(seconds(4));
    }

    @Test
    void shouldBillReportedTokensAsTokens() {
        TokenUsage usage = OpenAiAudioUsage.usage(tree(TREE), bytes("{\"text\":\"x\",\"usage\":{\"type\":\"tokens\","
                + "\"input_tokens\":25,\"input_token_details\":{\"text_tokens\":5,\"audio_tokens\":20},"
                + "\"output_tokens\":11,\"total_tokens\":36}}"));

        assertThat(usage).isEqualTo(TokenUsage.ofTokens(25, 11));
    }

    @Test
    void shouldFallBackOnTheWavHeaderThenOnNothing() {
        assertThat(OpenAiAudioUsage.usage(tree(TREE), bytes("{\"text\":\"x\"}"))).isEqualTo(seconds(2));
        assertThat(OpenAiAudioUsage.usage(tree(TREE), bytes("Hello there.\n"))).as("text format")
                .isEqualTo(seconds(2));
        JsonNode mp3 = tree("{\"model\":\"stt\",\"file\":{\"filename\":\"a.mp3\",\"bytes\":4}}");
        assertThat(OpenAiAudioUsage.usage(mp3, bytes("{\"text\":\"x\"}")))
                .as("no length known: nothing is billed by a guess").isNull();
    }

    private static TokenUsage seconds(long seconds) {
        return new TokenUsage(0, 0, 0, 0, 0, 0, 0, seconds);
    }

    private static UpstreamCall call(String tree, byte[] file) {
        Channel channel = new Channel(1, "openai", "openai", "http://127.0.0.1:1/v1", "sk", Map.of(), Set.of("stt"),
                Map.of("stt", "whisper-1"), Set.of("default"), 0, 1, true, false, false, 1);
        return new UpstreamCall(channel, Dialect.OPENAI, (ObjectNode) tree(tree), file, "stt", false, null,
                Operation.AUDIO_TRANSCRIPTIONS);
    }

    private static JsonNode tree(String json) {
        return Json.mapper().readTree(json);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

}
