package dev.tollgate.relay.provider.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.EmbeddingRequest;
import dev.tollgate.relay.chat.EmbeddingResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeminiEmbeddingsMapperTest {

    private static final EmbeddingRequest REQUEST = new EmbeddingRequest(List.of(
            new EmbeddingRequest.Input("What is the meaning of life?", "RETRIEVAL_QUERY", null),
            new EmbeddingRequest.Input("How much wood would a woodchuck chuck?", "RETRIEVAL_DOCUMENT", "Woodchucks")),
            3);

    @Test
    void shouldWriteTheRecordedBatchWhenEmbeddingsAreTranslated() {
        byte[] body = GeminiEmbeddingsMapper.createRequest(REQUEST, "text-embedding-004");

        assertThat(Json.mapper().readTree(body)).isEqualTo(Golden.json("embed-request.json"));
    }

    @Test
    void shouldNotDoubleTheModelsPrefixWhenTheUpstreamModelHasIt() {
        byte[] body = GeminiEmbeddingsMapper.createRequest(REQUEST, "models/text-embedding-004");

        assertThat(Json.mapper().readTree(body)).isEqualTo(Golden.json("embed-request.json"));
    }

    @Test
    void shouldLeaveHintsOutWhenTheCallerGaveNone() {
        byte[] body = GeminiEmbeddingsMapper.createRequest(
                new EmbeddingRequest(List.of(EmbeddingRequest.Input.of("hi")), null), "gemini-embedding-001");

        assertThat(Json.mapper().readTree(body)).isEqualTo(Json.mapper().readTree(
                "{\"requests\":[{\"model\":\"models/gemini-embedding-001\","
                        + "\"content\":{\"parts\":[{\"text\":\"hi\"}]}}]}"));
    }

    @Test
    void shouldReadEveryVectorInOrderAndReportNoUsageWhenTheAnswerIsRecorded() {
        EmbeddingResponse response = GeminiEmbeddingsMapper.toEmbeddingResponse(Golden.bytes("embed-response.json"));

        assertThat(response.vectors()).hasSize(2);
        assertThat(response.vectors().get(0)).containsExactly(0.013168517f, -0.00871193f, -0.046782672f);
        assertThat(response.vectors().get(1)).containsExactly(-0.028204918f, 0.0043178676f, 0.036420792f);
        assertThat(response.usage()).as("Gemini reports none: the relay counts").isNull();
    }

    @Test
    void shouldRefuseWhenTheAnswerHoldsNoEmbeddings() {
        assertThatThrownBy(() -> GeminiEmbeddingsMapper.toEmbeddingResponse(
                "{\"candidates\":[]}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldAskForBatchEmbedContentsUnderTheRootWhenBuildingTheUrl() {
        assertThat(GeminiAdapter.url("http://sim/v1beta/", "text-embedding-004", ":batchEmbedContents"))
                .isEqualTo("http://sim/v1beta/models/text-embedding-004:batchEmbedContents");
    }
}
