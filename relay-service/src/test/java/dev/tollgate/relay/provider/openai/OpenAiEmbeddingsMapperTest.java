package dev.tollgate.relay.provider.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.EmbeddingRequest;
import dev.tollgate.relay.chat.EmbeddingResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenAiEmbeddingsMapperTest {

    @Test
    void shouldWriteTheRecordedBodyAndDropGeminisHintsWhenEmbeddingsAreTranslated() {
        EmbeddingRequest request = new EmbeddingRequest(List.of(
                new EmbeddingRequest.Input("What is the meaning of life?", "RETRIEVAL_QUERY", null),
                new EmbeddingRequest.Input("How much wood would a woodchuck chuck?", "RETRIEVAL_DOCUMENT", "Wood")), 3);

        byte[] body = OpenAiEmbeddingsMapper.createRequest(request, "text-embedding-3-small");

        assertThat(Json.mapper().readTree(body)).isEqualTo(Json.mapper().readTree(
                Golden.bytes("embeddings-request.json")));
    }

    @Test
    void shouldReadVectorsInInputOrderWithTheReportedUsageWhenTheAnswerIsRecorded() {
        EmbeddingResponse response = OpenAiEmbeddingsMapper.toEmbeddingResponse(Golden.bytes("embeddings-two.json"));

        assertThat(response.vectors()).hasSize(2);
        assertThat(response.vectors().get(0)).containsExactly(0.013168517f, -0.00871193f, -0.046782672f);
        assertThat(response.vectors().get(1)).containsExactly(-0.028204918f, 0.0043178676f, 0.036420792f);
        assertThat(response.usage()).isEqualTo(TokenUsage.ofTokens(17, 0));
    }

    @Test
    void shouldRefuseWhenTheAnswerIsNoEmbeddingsList() {
        assertThatThrownBy(() -> OpenAiEmbeddingsMapper.toEmbeddingResponse(
                "{\"error\":{}}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
