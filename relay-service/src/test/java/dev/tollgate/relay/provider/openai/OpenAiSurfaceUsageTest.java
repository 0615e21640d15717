package dev.tollgate.relay.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.provider.Operation;
import dev.tollgate.relay.provider.StreamStep;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.snapshot.Channel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** The endpoints beside chat: where they go and what their answers are billed by. */
class OpenAiSurfaceUsageTest {

    @Test
    void shouldReadEmbeddingsUsageAsInputOnlyWhenTheAnswerReportsIt() {
        UpstreamResult.Answered answered = OpenAiUsageExtractor.toAnswered(Operation.EMBEDDINGS, 200,
                "application/json", Golden.bytes("embeddings.json"));

        assertThat(answered.usage()).isEqualTo(TokenUsage.fromOpenAi(8, 0, 0, 0));
    }

    @Test
    void shouldReadLegacyCompletionUsageAndTextWhenWhole() {
        byte[] body = Golden.bytes("completion.json");

        assertThat(OpenAiUsageExtractor.toAnswered(Operation.COMPLETIONS, 200, "application/json", body).usage())
                .isEqualTo(TokenUsage.fromOpenAi(5, 0, 4, 0));
        String withoutUsage = new String(body, StandardCharsets.UTF_8).replaceAll(",\"usage\":\\{[^}]*}", "");
        assertThat(OpenAiUsageExtractor.toAnswered(200, "application/json",
                withoutUsage.getBytes(StandardCharsets.UTF_8)).text()).isEqualTo("\n\nHello there");
    }

    @Test
    void shouldCountALegacyCompletionChunksTextWhenStreamed() {
        StreamStep step = OpenAiStreamTranslator.toStreamStep("{\"id\":\"cmpl-1\",\"object\":\"text_completion\","
                + "\"choices\":[{\"text\":\"Hello\",\"index\":0,\"logprobs\":null,\"finish_reason\":null}]}", false);

        assertThat(step.text()).isEqualTo("Hello");
        assertThat(step.data()).isNotNull();
    }

    @Test
    void shouldBillAModerationByTheRequestAloneWhenAnswered() {
        UpstreamResult.Answered answered = OpenAiUsageExtractor.toAnswered(Operation.MODERATIONS, 200,
                "application/json", "{\"id\":\"modr-1\",\"results\":[{\"flagged\":false}]}".getBytes());

        assertThat(answered.usage()).isEqualTo(TokenUsage.NONE);
    }

    @Test
    void shouldCountImagesAndGptImageTokensWhenAnImageAnswerArrives() {
        UpstreamResult.Answered answered = OpenAiUsageExtractor.toAnswered(Operation.IMAGE_GENERATIONS, 200,
                "application/json", Golden.bytes("images-gpt-image.json"));

        assertThat(answered.usage()).isEqualTo(new TokenUsage(50, 0, 0, 50, 0, 0, 2, 0));
        assertThat(OpenAiUsageExtractor.imageUsage("{\"created\":1,\"data\":[{\"url\":\"u\"}]}".getBytes()))
                .isEqualTo(new TokenUsage(0, 0, 0, 0, 0, 0, 1, 0));
        assertThat(OpenAiUsageExtractor.imageUsage("not json".getBytes())).isNull();
    }

    @Test
    void shouldTargetTheEndpointsPathUnderTheBaseUrlWhenNotChat() {
        assertThat(OpenAiTarget.of(call("https://api.openai.com/v1/", Operation.EMBEDDINGS)).url())
                .isEqualTo("https://api.openai.com/v1/embeddings");
        assertThat(OpenAiTarget.of(call("https://api.openai.com/v1", Operation.COMPLETIONS)).url())
                .isEqualTo("https://api.openai.com/v1/completions");
        assertThat(OpenAiTarget.of(call("https://api.openai.com/v1", Operation.IMAGE_GENERATIONS)).url())
                .isEqualTo("https://api.openai.com/v1/images/generations");
        assertThat(OpenAiTarget.of(call("https://api.openai.com/v1", Operation.CHAT)).url())
                .isEqualTo("https://api.openai.com/v1/chat/completions");
    }

    private static UpstreamCall call(String baseUrl, Operation operation) {
        Channel channel = new Channel(3, "openai", "openai", baseUrl, "sk", Map.of(), Set.of("e"), Map.of(),
                Set.of("default"), 0, 1, true, false, false, 1);
        byte[] raw = "{\"model\":\"e\",\"input\":\"hi\"}".getBytes();
        return new UpstreamCall(channel, Dialect.OPENAI, (ObjectNode) Json.mapper().readTree(raw), raw, "e", false,
                null, operation);
    }
}
