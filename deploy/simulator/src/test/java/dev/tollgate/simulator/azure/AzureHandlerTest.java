package dev.tollgate.simulator.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.simulator.RecordedRequest;
import dev.tollgate.simulator.SimClient;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Azure OpenAI's paths, key, answer annotations and error shapes. */
class AzureHandlerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Simulator SIM = Simulator.start(0);
    private static final SimClient CLIENT = new SimClient(SIM);
    private static final String DEPLOYMENT = "/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21";
    private static final String PLAIN = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String STREAM = "{\"stream\":true,\"stream_options\":{\"include_usage\":true},"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    private static final String[] KEY = {"api-key", "azure-key"};

    @AfterAll
    static void stop() {
        SIM.close();
    }

    @BeforeEach
    void reset() {
        SIM.reset();
        SIM.config(SimulatorConfig.defaults().withChunks(2).withPromptTokens(9).withCompletionTokens(2));
    }

    @Test
    void shouldAnswerAsTheDeploymentWithFilterResultsWhenDeploymentPathIsCalled() throws Exception {
        HttpResponse<String> response = CLIENT.post(DEPLOYMENT, PLAIN, KEY);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("model").asString()).isEqualTo("my-gpt");
        assertThat(body.at("/prompt_filter_results/0/content_filter_results/hate/filtered").asBoolean()).isFalse();
        assertThat(body.at("/choices/0/content_filter_results/violence/severity").asString()).isEqualTo("safe");
        assertThat(body.at("/choices/0/message/content").asString()).isEqualTo("tok0 tok1 ");
        assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(9);
        RecordedRequest recorded = SIM.lastRequest();
        assertThat(recorded.path()).isEqualTo("/openai/deployments/my-gpt/chat/completions");
        assertThat(recorded.query()).isEqualTo("api-version=2024-10-21");
        assertThat(recorded.header("api-key")).isEqualTo("(present)");
    }

    @Test
    void shouldOpenTheStreamWithAChunkOfNoChoicesWhenStreaming() throws Exception {
        List<JsonNode> chunks = chunks(CLIENT.post(DEPLOYMENT, STREAM, KEY).body());

        JsonNode first = chunks.get(0);
        assertThat(first.path("choices")).isEmpty();
        assertThat(first.path("id").asString()).isEmpty();
        assertThat(first.path("model").asString()).isEmpty();
        assertThat(first.at("/prompt_filter_results/0/prompt_index").asInt()).isZero();
        assertThat(chunks.get(1).at("/choices/0/delta/role").asString()).isEqualTo("assistant");
        assertThat(chunks.get(2).at("/choices/0/content_filter_results/hate/filtered").isBoolean()).isTrue();
        JsonNode last = chunks.get(chunks.size() - 1);
        assertThat(last.path("choices")).isEmpty();
        assertThat(last.at("/usage/completion_tokens").asInt()).isEqualTo(2);
    }

    @Test
    void shouldTakeTheDeploymentFromTheBodyWhenV1IsCalled() throws Exception {
        JsonNode body = JSON.readTree(CLIENT.post("/openai/v1/chat/completions",
                "{\"model\":\"v1-deployment\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", KEY).body());

        assertThat(body.path("model").asString()).isEqualTo("v1-deployment");
        assertThat(SIM.lastRequest().query()).isNull();
    }

    @Test
    void shouldRefuseWithAzuresErrorsWhenKeyVersionOrOldStreamOptionsAreWrong() throws Exception {
        HttpResponse<String> noKey = CLIENT.post(DEPLOYMENT, PLAIN);
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(noKey.body()).at("/error/code").asString()).isEqualTo("401");

        HttpResponse<String> noVersion = CLIENT.post("/openai/deployments/my-gpt/chat/completions", PLAIN, KEY);
        assertThat(noVersion.statusCode()).isEqualTo(404);

        HttpResponse<String> old = CLIENT.post(
                "/openai/deployments/my-gpt/chat/completions?api-version=2024-06-01", STREAM, KEY);
        assertThat(old.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(old.body()).at("/error/message").asString()).contains("stream_options");
    }

    @Test
    void shouldSpeakAzuresErrorShapesWhenFaultsAreInjected() throws Exception {
        HttpResponse<String> missing = CLIENT.post(DEPLOYMENT, PLAIN, KEY[0], KEY[1], "x-sim-fail", "404");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(missing.body()).at("/error/code").asString()).isEqualTo("DeploymentNotFound");

        HttpResponse<String> gateway = CLIENT.post(DEPLOYMENT, PLAIN, KEY[0], KEY[1], "x-sim-fail", "401");
        assertThat(JSON.readTree(gateway.body()).path("statusCode").asInt()).isEqualTo(401);
        assertThat(JSON.readTree(gateway.body()).path("message").asString()).startsWith("Unauthorized");

        HttpResponse<String> limited = CLIENT.post(DEPLOYMENT, PLAIN, KEY[0], KEY[1], "x-sim-fail", "429");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("retry-after")).hasValue("1");
        assertThat(limited.headers().firstValue("retry-after-ms")).hasValue("1000");
        assertThat(JSON.readTree(limited.body()).at("/error/code").asString()).isEqualTo("429");
    }

    @Test
    void shouldRefuseThePromptOrFilterTheCompletionWhenContentFilterIsSet() throws Exception {
        SIM.config(SIM.config().withContentFilter("prompt"));
        HttpResponse<String> refused = CLIENT.post(DEPLOYMENT, PLAIN, KEY);
        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(refused.body()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("content_filter");
        assertThat(error.at("/innererror/code").asString()).isEqualTo("ResponsibleAIPolicyViolation");

        SIM.config(SIM.config().withContentFilter("completion"));
        JsonNode filtered = JSON.readTree(CLIENT.post(DEPLOYMENT, PLAIN, KEY).body());
        assertThat(filtered.at("/choices/0/finish_reason").asString()).isEqualTo("content_filter");
        assertThat(filtered.at("/choices/0/content_filter_results/violence/filtered").asBoolean()).isTrue();
        List<JsonNode> chunks = chunks(CLIENT.post(DEPLOYMENT, STREAM, KEY).body());
        assertThat(chunks).anySatisfy(chunk -> assertThat(chunk.at("/choices/0/finish_reason").asString())
                .isEqualTo("content_filter"));
    }

    @Test
    void shouldListModelsWhenEitherSurfaceIsAsked() throws Exception {
        assertThat(JSON.readTree(CLIENT.get("/openai/models?api-version=2024-10-21", KEY).body())
                .path("data").findValuesAsString("id")).contains("gpt-4o-mini");
        assertThat(JSON.readTree(CLIENT.get("/openai/v1/models", KEY).body()).path("data")).isNotEmpty();
    }

    private static List<JsonNode> chunks(String body) {
        return SimClient.events(body).stream()
                .filter(data -> !data.equals("[DONE]"))
                .map(JSON::readTree)
                .toList();
    }
}
