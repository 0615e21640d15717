package dev.tollgate.simulator.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.simulator.SimClient;
import dev.tollgate.simulator.Simulator;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code /v1/rerank} in Jina's and vLLM's shape, {@code /v2/rerank} in Cohere's. */
class OpenAiRerankHandlerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BODY = "{\"model\":\"jina-reranker-v2\",\"query\":\"capital of France\","
            + "\"documents\":[\"Brasilia is in Brazil.\",{\"text\":\"The capital of France is Paris.\"}],\"top_n\":1}";

    private final Simulator sim = Simulator.start(0);
    private final SimClient client = new SimClient(sim);

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void shouldRankTheMatchingDocumentFirstWithTokenUsageWhenJinaShaped() throws Exception {
        HttpResponse<String> response = client.post("/v1/rerank", BODY);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("results")).hasSize(1);
        assertThat(answer.path("results").get(0).path("index").asInt()).isEqualTo(1);
        assertThat(answer.path("results").get(0).path("document").path("text").asString()).contains("Paris");
        assertThat(answer.path("usage").path("total_tokens").asLong()).isPositive();
    }

    @Test
    void shouldBillSearchUnitsWithoutTokensWhenCohereShaped() throws Exception {
        HttpResponse<String> response = client.post("/v2/rerank", BODY);

        JsonNode answer = JSON.readTree(response.body());
        assertThat(answer.path("meta").path("billed_units").path("search_units").asInt()).isEqualTo(1);
        assertThat(answer.has("usage")).isFalse();
        assertThat(answer.path("results").get(0).has("document")).isFalse();
    }

    @Test
    void shouldRefuseInOpenAisShapeWhenTheQueryIsMissing() throws Exception {
        HttpResponse<String> response = client.post("/v1/rerank", "{\"model\":\"m\",\"documents\":[\"a\"]}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").path("type").asString())
                .isEqualTo("invalid_request_error");
    }
}
