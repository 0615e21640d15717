package dev.tollgate.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class SimulatorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private final Simulator sim = Simulator.start(0);
    private final SimClient client = new SimClient(sim);

    @AfterEach
    void stop() {
        sim.close();
    }

    @Test
    void shouldBindLoopbackOnARandomPortWhenAskedForPortZero() {
        assertThat(sim.port()).isPositive();
        assertThat(sim.baseUrl()).isEqualTo("http://127.0.0.1:" + sim.port() + "/v1");
        assertThat(sim.anthropicBaseUrl()).isEqualTo("http://127.0.0.1:" + sim.port());
        assertThat(sim.bedrockEndpoint()).isEqualTo("http://127.0.0.1:" + sim.port());
    }

    @Test
    void shouldServeTheConfiguredModelList() throws Exception {
        HttpResponse<String> defaults = client.get("/v1/models");
        sim.config(SimulatorConfig.defaults().withModels(List.of("m-a", "m-b")));
        HttpResponse<String> configured = client.get("/v1/models");

        assertThat(defaults.statusCode()).isEqualTo(200);
        JsonNode list = JSON.readTree(defaults.body());
        assertThat(list.path("object").asString()).isEqualTo("list");
        assertThat(list.path("data")).hasSize(3);
        assertThat(list.path("data").get(0).path("id").asString()).isEqualTo("gpt-4o-mini");
        assertThat(list.path("data").get(0).path("object").asString()).isEqualTo("model");
        assertThat(list.path("data").get(0).path("created").asLong()).isEqualTo(1_700_000_000L);
        assertThat(list.path("data").get(0).path("owned_by").asString()).isEqualTo("simulator");
        assertThat(JSON.readTree(configured.body()).path("data").findValuesAsString("id")).containsExactly("m-a", "m-b");
    }

    @Test
    void shouldChangeBehaviourWhenConfigIsPutOverHttp() throws Exception {
        HttpResponse<String> put = client.put("/_sim/config", "{\"chunks\":2,\"promptTokens\":7,\"failStatus\":null}");
        HttpResponse<String> chat = client.post("/v1/chat/completions", CHAT);

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(sim.config()).isEqualTo(SimulatorConfig.defaults().withChunks(2).withPromptTokens(7));
        assertThat(JSON.readTree(client.get("/_sim/config").body()).path("chunks").asInt()).isEqualTo(2);
        JsonNode body = JSON.readTree(chat.body());
        assertThat(body.at("/choices/0/message/content").asString()).isEqualTo("tok0 tok1 ");
        assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(7);
    }

    @Test
    void shouldMergeTheCacheWriteAndImageTokenFieldsWhenPutOverHttp() throws Exception {
        HttpResponse<String> put = client.put("/_sim/config", "{\"cacheWriteTokens\":12,\"imageTokens\":7}");

        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(sim.config()).isEqualTo(SimulatorConfig.defaults().withCacheWriteTokens(12).withImageTokens(7));
        assertThat(SimulatorConfig.defaults().cacheWriteTokens()).isZero();
        assertThat(SimulatorConfig.defaults().imageTokens()).isEqualTo(85);
        assertThat(client.put("/_sim/config", "{\"imageTokens\":-1}").statusCode()).isEqualTo(400);
    }

    @Test
    void shouldListRecordedRequestsOverHttpAndForgetThemOnReset() throws Exception {
        client.post("/v1/chat/completions?trace=1", CHAT, "Authorization", "Bearer sk-hidden");
        client.get("/v1/nothing-here");
        client.get("/_sim/stats");

        HttpResponse<String> listed = client.get("/_sim/requests");

        assertThat(listed.statusCode()).isEqualTo(200);
        JsonNode requests = JSON.readTree(listed.body());
        assertThat(requests).hasSize(2);
        assertThat(requests.get(0).path("method").asString()).isEqualTo("POST");
        assertThat(requests.get(0).path("path").asString()).isEqualTo("/v1/chat/completions");
        assertThat(requests.get(0).path("query").asString()).isEqualTo("trace=1");
        assertThat(requests.get(0).path("authorization").booleanValue()).isTrue();
        assertThat(requests.get(0).path("body")).isEqualTo(JSON.readTree(CHAT));
        assertThat(requests.get(1).path("path").asString()).isEqualTo("/v1/nothing-here");
        assertThat(listed.body()).doesNotContain("sk-hidden");
        assertThat(sim.lastRequest().path()).isEqualTo("/v1/nothing-here");

        client.post("/_sim/reset", "");
        assertThat(sim.requests()).isEmpty();
        assertThat(sim.lastRequest()).isNull();
    }

    @Test
    void shouldKeepOnlyTheLastHundredRequests() throws Exception {
        for (int i = 0; i < 105; i++) {
            client.get("/v1/models?i=" + i);
        }

        List<RecordedRequest> requests = sim.requests();
        assertThat(requests).hasSize(100);
        assertThat(requests.get(0).query()).isEqualTo("i=5");
        assertThat(requests.get(99).query()).isEqualTo("i=104");
        assertThat(requests.get(99).body()).isNull();
        assertThat(requests.get(99).text()).isEmpty();
    }

    @Test
    void shouldRejectUnknownOrInvalidConfigFieldsWhenPutOverHttp() throws Exception {
        HttpResponse<String> unknown = client.put("/_sim/config", "{\"chunk\":2}");
        HttpResponse<String> negative = client.put("/_sim/config", "{\"chunks\":-1}");
        HttpResponse<String> malformed = client.put("/_sim/config", "{");

        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(negative.statusCode()).isEqualTo(400);
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).at("/error/message").asString()).contains("chunk");
        assertThat(sim.config()).isEqualTo(SimulatorConfig.defaults());
    }

    @Test
    void shouldReportStatsAndResetThemOverHttp() throws Exception {
        sim.config(SimulatorConfig.defaults().withChunks(1));
        client.post("/v1/chat/completions", CHAT, "Authorization", "Bearer sk-test");

        JsonNode stats = JSON.readTree(client.get("/_sim/stats").body());
        assertThat(stats.path("requests").asLong()).isEqualTo(1);
        assertThat(stats.path("completed").asLong()).isEqualTo(1);
        assertThat(stats.path("lastAuthorization").asString()).isEqualTo("Bearer sk-test");
        assertThat(stats.path("lastRequestBody").asString()).isEqualTo(CHAT);

        HttpResponse<String> reset = client.post("/_sim/reset", "");
        assertThat(reset.statusCode()).isEqualTo(200);
        assertThat(sim.stats()).isEqualTo(new SimulatorStats(0, 0, 0, 0, null, null, 0));
        assertThat(sim.config()).isEqualTo(SimulatorConfig.defaults());
    }

    @Test
    void shouldAnswerUnknownPathsWithAnOpenAiStyle404() throws Exception {
        HttpResponse<String> response = client.get("/v1/nothing-here");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(response.body()).at("/error/type").asString()).isEqualTo("invalid_request_error");
    }

    @Test
    void shouldRejectNonsenseInTheConfigRecord() {
        assertThatThrownBy(() -> SimulatorConfig.defaults().withChunks(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> SimulatorConfig.defaults().withFailStatus(42)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldTakeThePortFromTheFlagThenTheEnvironmentThenTheDefault() {
        assertThat(SimulatorMain.port(new String[] {"--port", "9001"}, "9002")).isEqualTo(9001);
        assertThat(SimulatorMain.port(new String[] {"--port=9003"}, null)).isEqualTo(9003);
        assertThat(SimulatorMain.port(new String[0], "9002")).isEqualTo(9002);
        assertThat(SimulatorMain.port(new String[0], null)).isEqualTo(8090);
        assertThatThrownBy(() -> SimulatorMain.port(new String[] {"--port", "x"}, null))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
