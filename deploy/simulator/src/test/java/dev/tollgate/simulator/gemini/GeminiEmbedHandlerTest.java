package dev.tollgate.simulator.gemini;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.simulator.SimClient;
import dev.tollgate.simulator.Simulator;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Gemini's {@code embedContent} and {@code batchEmbedContents} in their real shapes. */
class GeminiEmbedHandlerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String[] KEY = {"x-goog-api-key", "AIza-sim"};

    private final Simulator sim = Simulator.start(0);
    private final SimClient client = new SimClient(sim);

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void shouldAnswerOneUnitVectorOfTheAskedWidthWhenEmbedContentIsCalled() throws Exception {
        HttpResponse<String> response = client.post("/v1beta/models/text-embedding-004:embedContent",
                "{\"content\":{\"parts\":[{\"text\":\"hello\"}]},\"outputDimensionality\":5}", KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode values = JSON.readTree(response.body()).path("embedding").path("values");
        assertThat(values).hasSize(5);
        double norm = 0;
        for (JsonNode value : values) {
            norm += value.doubleValue() * value.doubleValue();
        }
        assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(JSON.readTree(response.body()).has("usageMetadata")).as("Gemini reports no usage").isFalse();
    }

    @Test
    void shouldAnswerOneEmbeddingPerRequestWhenABatchIsCalled() throws Exception {
        HttpResponse<String> response = client.post("/v1beta/models/text-embedding-004:batchEmbedContents",
                "{\"requests\":[{\"model\":\"models/text-embedding-004\",\"content\":{\"parts\":[{\"text\":\"a\"}]}},"
                        + "{\"model\":\"models/text-embedding-004\","
                        + "\"content\":{\"parts\":[{\"text\":\"b\"}]}}]}", KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode embeddings = JSON.readTree(response.body()).path("embeddings");
        assertThat(embeddings).hasSize(2);
        assertThat(embeddings.get(0).path("values")).hasSize(768);
        assertThat(embeddings.get(0)).isNotEqualTo(embeddings.get(1));
    }

    @Test
    void shouldRefuseInGooglesShapeWhenABatchRequestNamesAnotherModel() throws Exception {
        HttpResponse<String> response = client.post("/v1beta/models/text-embedding-004:batchEmbedContents",
                "{\"requests\":[{\"model\":\"models/other\",\"content\":{\"parts\":[{\"text\":\"a\"}]}}]}", KEY);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").path("status").asString())
                .isEqualTo("INVALID_ARGUMENT");
    }
}
