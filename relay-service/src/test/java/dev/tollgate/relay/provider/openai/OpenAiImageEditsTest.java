package dev.tollgate.relay.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.provider.Operation;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.snapshot.Channel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpEntity;
import org.springframework.util.MultiValueMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** An image edit's upstream form (golden: the checked request tree → the parts sent) and what its answer bills. */
class OpenAiImageEditsTest {

    @Test
    void shouldReEncodeEveryImageAndTheMaskFromTheRawBodyWithTheChannelsModel() throws Exception {
        UpstreamCall call = call((ObjectNode) Json.mapper().readTree(Golden.bytes("images-edit-request.json")),
                new byte[] {1, 2, 3, 4, 5, 6});

        MultiValueMap<String, HttpEntity<?>> form = OpenAiUploadRequestMapper.createRequest(call, "gpt-image-1");

        assertThat(summary(form)).isEqualTo(Json.mapper().readTree(Golden.bytes("images-edit-form.json")));
    }

    @Test
    void shouldSendTheMappedModelWhenTheClientLeftItToTheDefault() throws Exception {
        ObjectNode tree = (ObjectNode) Json.mapper().readTree("{\"prompt\":\"p\",\"image\":[{\"part\":\"image\","
                + "\"filename\":\"a.png\",\"content_type\":\"image/png\",\"offset\":0,\"bytes\":1}]}");

        assertThat(OpenAiUploadRequestMapper.createRequest(call(tree, new byte[] {9}, "dall-e-2"), "dall-e-2")
                .containsKey("model")).as("the upstream's default, as asked").isFalse();
        assertThat(OpenAiUploadRequestMapper.createRequest(call(tree, new byte[] {9}, "dall-e-2"), "dalle2-prod")
                .getFirst("model").getBody()).isEqualTo("dalle2-prod");
    }

    @Test
    void shouldBillEachImageAndTheReportedTokensWithTheInputImagesAmongTheInput() {
        TokenUsage usage = OpenAiUsageExtractor.toAnswered(Operation.IMAGE_EDITS, 200, "application/json",
                Golden.bytes("images-edit-gpt-image.json")).usage();

        // 436 input (16 text + 420 image), 100 of them cached; 616 output; 2 images.
        assertThat(usage).isEqualTo(new TokenUsage(336, 100, 0, 616, 0, 0, 2, 0));
    }

    @Test
    void shouldTargetTheEditsPathUnderTheBaseUrl() {
        ObjectNode tree = Json.mapper().createObjectNode();
        assertThat(OpenAiTarget.of(call(tree, new byte[0])).url()).isEqualTo("http://127.0.0.1:1/v1/images/edits");
    }

    /** Each part as the golden file lists it: name, and value or file name, type and bytes. */
    private static JsonNode summary(MultiValueMap<String, HttpEntity<?>> form) throws Exception {
        ArrayNode parts = Json.mapper().createArrayNode();
        for (Map.Entry<String, List<HttpEntity<?>>> entry : form.entrySet()) {
            for (HttpEntity<?> part : entry.getValue()) {
                ObjectNode summary = parts.addObject().put("name", entry.getKey());
                if (part.getBody() instanceof Resource file) {
                    summary.put("filename", part.getHeaders().getContentDisposition().getFilename());
                    summary.put("content_type", part.getHeaders().getContentType().toString());
                    ArrayNode bytes = summary.putArray("bytes");
                    for (byte b : file.getContentAsByteArray()) {
                        bytes.add((int) b);
                    }
                } else {
                    summary.put("value", (String) part.getBody());
                }
            }
        }
        return parts;
    }

    private static UpstreamCall call(ObjectNode tree, byte[] raw) {
        return call(tree, raw, "edit");
    }

    private static UpstreamCall call(ObjectNode tree, byte[] raw, String asked) {
        Channel channel = new Channel(1, "openai", "openai", "http://127.0.0.1:1/v1", "sk", Map.of(),
                Set.of("edit", "dall-e-2"), Map.of("edit", "gpt-image-1"), Set.of("default"), 0, 1, true, false, false,
                1);
        return new UpstreamCall(channel, Dialect.OPENAI, tree, raw, asked, false, null, Operation.IMAGE_EDITS);
    }
}
