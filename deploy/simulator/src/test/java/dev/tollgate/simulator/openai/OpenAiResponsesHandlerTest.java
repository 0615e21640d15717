package dev.tollgate.simulator.openai;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.simulator.SimClient;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class OpenAiResponsesHandlerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Simulator sim = Simulator.start(0);
    private final SimClient client = new SimClient(sim);

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void shouldAnswerAResponseWithItsUsageAndRememberItForTheFollowUp() throws Exception {
        sim.config(SimulatorConfig.defaults().withChunks(3).withPromptTokens(20).withCachedTokens(5)
                .withReasoningTokens(1));

        JsonNode first = JSON.readTree(client.post("/v1/responses", "{\"model\":\"gpt-4.1\",\"input\":\"Hi\"}").body());

        assertThat(first.path("id").asString()).startsWith("resp_");
        assertThat(first.path("status").asString()).isEqualTo("completed");
        assertThat(first.at("/output/0/content/0/text").asString()).isEqualTo("tok0 tok1 tok2 ");
        assertThat(first.at("/usage/input_tokens").asInt()).isEqualTo(20);
        assertThat(first.at("/usage/input_tokens_details/cached_tokens").asInt()).isEqualTo(5);
        assertThat(first.at("/usage/output_tokens").asInt()).isEqualTo(3);
        assertThat(first.at("/usage/output_tokens_details/reasoning_tokens").asInt()).isEqualTo(1);

        HttpResponse<String> next = client.post("/v1/responses", "{\"model\":\"gpt-4.1\",\"input\":\"More\","
                + "\"previous_response_id\":\"" + first.path("id").asString() + "\"}");
        assertThat(next.statusCode()).isEqualTo(200);
        JsonNode items = JSON.readTree(client.get("/v1/responses/" + JSON.readTree(next.body()).path("id").asString()
                + "/input_items").body());
        // Newest first: this turn, the first answer, the first turn.
        assertThat(items.path("data")).hasSize(3);
        assertThat(items.at("/data/2/content/0/text").asString()).isEqualTo("Hi");
    }

    @Test
    void shouldAnswerOnAzuresResponsesPathsToo() throws Exception {
        for (String path : new String[] {"/openai/v1/responses", "/openai/responses?api-version=2025-04-01-preview"}) {
            HttpResponse<String> answer = client.post(path, "{\"model\":\"my-deployment\",\"input\":\"Hi\"}");

            assertThat(answer.statusCode()).as(path).isEqualTo(200);
            String id = JSON.readTree(answer.body()).path("id").asString();
            String root = path.substring(0, path.indexOf("/responses") + "/responses".length());
            String query = path.contains("?") ? path.substring(path.indexOf('?')) : "";
            assertThat(client.get(root + "/" + id + query).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void shouldRefuseAnUnknownPreviousResponseAsOpenAiDoes() throws Exception {
        HttpResponse<String> answer = client.post("/v1/responses",
                "{\"model\":\"gpt-4.1\",\"input\":\"x\",\"previous_response_id\":\"resp_nope\"}");

        assertThat(answer.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(answer.body()).path("error");
        assertThat(error.path("param").asString()).isEqualTo("previous_response_id");
        assertThat(error.path("code").asString()).isEqualTo("previous_response_not_found");
    }

    @Test
    void shouldStreamNumberedEventsEndingInResponseCompletedWithUsage() throws Exception {
        sim.config(SimulatorConfig.defaults().withChunks(2).withPromptTokens(9));

        String body = client.post("/v1/responses", "{\"model\":\"gpt-4.1\",\"input\":\"Hi\",\"stream\":true}").body();

        assertThat(body.lines().filter(line -> line.startsWith("event: ")).toList()).containsExactly(
                "event: response.created", "event: response.in_progress", "event: response.output_item.added",
                "event: response.content_part.added", "event: response.output_text.delta",
                "event: response.output_text.delta", "event: response.output_text.done",
                "event: response.content_part.done", "event: response.output_item.done",
                "event: response.completed");
        List<String> events = SimClient.events(body);
        for (int i = 0; i < events.size(); i++) {
            assertThat(JSON.readTree(events.get(i)).path("sequence_number").asInt()).isEqualTo(i);
        }
        JsonNode completed = JSON.readTree(events.get(events.size() - 1)).path("response");
        assertThat(completed.at("/usage/input_tokens").asInt()).isEqualTo(9);
        assertThat(completed.at("/usage/output_tokens").asInt()).isEqualTo(2);
        // Stored: it can be fetched once streamed.
        assertThat(client.get("/v1/responses/" + completed.path("id").asString()).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldForgetADeletedResponseAndNeverStoreOneWithStoreFalse() throws Exception {
        String id = JSON.readTree(client.post("/v1/responses", "{\"model\":\"m\",\"input\":\"x\"}").body())
                .path("id").asString();
        HttpResponse<String> deleted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + sim.port() + "/v1/responses/" + id)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(JSON.readTree(deleted.body()).path("deleted").booleanValue()).isTrue();
        assertThat(client.get("/v1/responses/" + id).statusCode()).isEqualTo(404);
        String unstored = JSON.readTree(client.post("/v1/responses",
                "{\"model\":\"m\",\"input\":\"x\",\"store\":false}").body()).path("id").asString();
        assertThat(client.get("/v1/responses/" + unstored).statusCode()).isEqualTo(404);
    }
}
