package dev.tollgate.relay.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.contracts.upstream.VertexAi;
import dev.tollgate.relay.chat.EmbeddingRequest;
import dev.tollgate.relay.chat.EmbeddingResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VertexEmbeddingsMapperTest {

    private static final EmbeddingRequest REQUEST = new EmbeddingRequest(List.of(
            new EmbeddingRequest.Input("What is the meaning of life?", "RETRIEVAL_QUERY", null),
            new EmbeddingRequest.Input("How much wood would a woodchuck chuck?", "RETRIEVAL_DOCUMENT", "Woodchucks")),
            3);

    @Test
    void shouldWriteTheRecordedInstancesWhenEmbeddingsGoToVertex() {
        byte[] body = VertexEmbeddingsMapper.createRequest(REQUEST);

        assertThat(Json.mapper().readTree(body)).isEqualTo(Golden.json("vertex-predict-request.json"));
    }

    @Test
    void shouldLeaveHintsAndWidthOutWhenTheCallerGaveNone() {
        byte[] body = VertexEmbeddingsMapper.createRequest(
                new EmbeddingRequest(List.of(EmbeddingRequest.Input.of("hi")), null));

        assertThat(Json.mapper().readTree(body)).isEqualTo(Json.mapper().readTree(
                "{\"instances\":[{\"content\":\"hi\"}],\"parameters\":{\"autoTruncate\":true}}"));
    }

    @Test
    void shouldReadEveryVectorAndSumTheTokenCountsWhenTheAnswerIsRecorded() {
        EmbeddingResponse response = VertexEmbeddingsMapper.toEmbeddingResponse(
                Golden.bytes("vertex-predict-response.json"));

        assertThat(response.vectors()).hasSize(2);
        assertThat(response.vectors().get(0)).containsExactly(0.013168517f, -0.00871193f, -0.046782672f);
        assertThat(response.vectors().get(1)).containsExactly(-0.028204918f, 0.0043178676f, 0.036420792f);
        assertThat(response.usage()).as("7 + 9, as Vertex counted them").isEqualTo(TokenUsage.ofTokens(16, 0));
    }

    @Test
    void shouldLeaveUsageToTheRelaysCountWhenAPredictionHasNoStatistics() {
        EmbeddingResponse response = VertexEmbeddingsMapper.toEmbeddingResponse((
                "{\"predictions\":[{\"embeddings\":{\"values\":[1.0],\"statistics\":{\"token_count\":4}}},"
                        + "{\"embeddings\":{\"values\":[0.5]}}]}").getBytes(StandardCharsets.UTF_8));

        assertThat(response.vectors()).hasSize(2);
        assertThat(response.usage()).as("a partial count would undercharge").isNull();
    }

    @Test
    void shouldRefuseWhenTheAnswerHoldsNoPredictions() {
        assertThatThrownBy(() -> VertexEmbeddingsMapper.toEmbeddingResponse(
                "{\"candidates\":[]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> VertexEmbeddingsMapper.toEmbeddingResponse(
                "{\"predictions\":[{\"embeddings\":{}}]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldSplitOneTextPerCallForGeminiEmbeddingModelsAnd250ForTheOthers() {
        List<EmbeddingRequest.Input> inputs = new ArrayList<>();
        for (int i = 0; i < 501; i++) {
            inputs.add(EmbeddingRequest.Input.of("text " + i));
        }
        EmbeddingRequest many = new EmbeddingRequest(inputs, 8);

        assertThat(VertexEmbeddingsMapper.split(REQUEST, "gemini-embedding-001"))
                .extracting(part -> part.texts())
                .containsExactly(List.of("What is the meaning of life?"),
                        List.of("How much wood would a woodchuck chuck?"));
        assertThat(VertexEmbeddingsMapper.split(REQUEST, "publishers/google/models/gemini-embedding-001")).hasSize(2);
        assertThat(VertexEmbeddingsMapper.split(REQUEST, "text-embedding-005")).containsExactly(REQUEST);
        List<EmbeddingRequest> parts = VertexEmbeddingsMapper.split(many, "text-embedding-005");
        assertThat(parts).extracting(part -> part.inputs().size()).containsExactly(250, 250, 1);
        assertThat(parts).allSatisfy(part -> assertThat(part.dimensions()).isEqualTo(8));
        assertThat(parts.get(2).texts()).containsExactly("text 500");
        assertThat(parts.get(1).inputs().get(0).taskType()).isNull();
    }

    @Test
    void shouldMergeVectorsInOrderAndSumUsageUnlessAPartHasNone() {
        EmbeddingResponse a = new EmbeddingResponse(List.of(new float[] {1f}), TokenUsage.ofTokens(3, 0));
        EmbeddingResponse b = new EmbeddingResponse(List.of(new float[] {2f}, new float[] {3f}),
                TokenUsage.ofTokens(5, 0));
        EmbeddingResponse unknown = new EmbeddingResponse(List.of(new float[] {4f}), null);

        EmbeddingResponse merged = VertexEmbeddingsMapper.merge(List.of(a, b));
        assertThat(merged.vectors()).extracting(vector -> vector[0]).containsExactly(1f, 2f, 3f);
        assertThat(merged.usage()).isEqualTo(TokenUsage.ofTokens(8, 0));
        assertThat(VertexEmbeddingsMapper.merge(List.of(a, unknown)).usage()).isNull();
    }

    @Test
    void shouldAskThePublisherModelsPredictWhenBuildingTheUrl() {
        VertexAi vertex = VertexAi.of("", Map.of("project", "my-proj", "location", "us-central1"), null);

        assertThat(vertex.predictUrl("models/text-embedding-005")).isEqualTo("https://us-central1-aiplatform.googleapis.com"
                + "/v1/projects/my-proj/locations/us-central1/publishers/google/models/text-embedding-005:predict");
    }
}
