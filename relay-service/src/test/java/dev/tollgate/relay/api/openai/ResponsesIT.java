package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseOutputText;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.Cost;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.relay.support.RelayFixture;
import dev.tollgate.simulator.RecordedRequest;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/responses} through the running relay with the official OpenAI SDK ({@code responses().create} and
 * {@code createStreaming}): translated to chat completions for an OpenAI channel and to messages for an Anthropic
 * one, answered in the Responses shape (and its named stream events), billed from the upstream's usage like chat;
 * stateful requests and what no upstream can do refused in OpenAI's error JSON before any upstream is called.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ResponsesIT {

    private static final Simulator SIM = Simulator.start(0);
    private static RelayFixture fixture;
    private static String key;

    private static final int PROMPT = 42;
    private static final int OUTPUT = 3;
    private static final String TEXT = "tok0 tok1 tok2 ";
    private static final Price PRICE = Price.perMTok(1_000_000, 2_000_000);

    @Autowired
    WebTestClient client;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        prepare();
        fixture.register(registry, "relay-responses");
    }

    private static synchronized void prepare() throws Exception {
        if (fixture != null) {
            return;
        }
        fixture = new RelayFixture();
        long user = fixture.insertUser("responses", 1_000_000_000L);
        key = CustomerKeys.generate();
        fixture.insertKey(user, key);
        fixture.insertChannel("sim-openai", "openai", SIM.baseUrl(), "sk-sim", List.of("resp-gpt"),
                Map.of("resp-gpt", "gpt-4o-mini"), null);
        fixture.insertChannel("sim-anthropic", "anthropic", SIM.anthropicBaseUrl(), "sk-ant-sim",
                List.of("resp-claude"), Map.of("resp-claude", "claude-sonnet-4-5"), null);
        fixture.insertPrice("resp-gpt", PRICE.inputMicrosPerMTok(), PRICE.outputMicrosPerMTok());
        fixture.insertPrice("resp-claude", PRICE.inputMicrosPerMTok(), PRICE.outputMicrosPerMTok());
    }

    @AfterAll
    static void tearDown() {
        fixture.close();
        SIM.close();
    }

    @BeforeEach
    void ready() {
        SIM.reset();
        SIM.config(SimulatorConfig.defaults().withChunks(OUTPUT).withPromptTokens(PROMPT));
        // Generous: the first requests warm the relay up, slowly on a loaded 2-core machine.
        client = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> client.get().uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isOk());
    }

    private OpenAIClient sdk() {
        return OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + port + "/v1")
                .apiKey(key)
                .maxRetries(0)
                .build();
    }

    // ---- the official SDK, plain and streamed, OpenAI and Anthropic upstreams ----

    @Test
    void shouldAnswerTheSdkFromAnOpenAiChannelThroughChatCompletionsAndBillTheUpstreamsUsage() {
        HttpResponseFor<Response> raw = sdk().withRawResponse().responses().create(ResponseCreateParams.builder()
                .model("resp-gpt")
                .instructions("Be brief.")
                .input("Say hello.")
                .maxOutputTokens(64L)
                .temperature(0.3)
                .build());
        Response response = raw.parse().validate();

        assertThat(response.id()).startsWith("resp_");
        assertThat(response.status()).contains(ResponseStatus.COMPLETED);
        assertThat(outputText(response)).isEqualTo(TEXT);
        assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(PROMPT);
        assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(OUTPUT);
        assertThat(response.temperature()).as("the settings are echoed").contains(0.3);
        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/chat/completions");
        assertThat(sent.body().path("model").asString()).isEqualTo("gpt-4o-mini");
        assertThat(sent.body().at("/messages/0/role").asString()).isIn("system", "developer");
        assertThat(sent.body().at("/messages/0/content").toString()).contains("Be brief.");
        assertThat(sent.body().at("/messages/1/content").toString()).contains("Say hello.");
        assertBilled(usageOf(raw.requestId().orElseThrow()), "resp-gpt");
    }

    @Test
    void shouldStreamTheResponsesEventsToTheSdkFromAnOpenAiChannel() {
        List<ResponseStreamEvent> events = new ArrayList<>();
        String requestId = stream(ResponseCreateParams.builder()
                .model("resp-gpt")
                .input("Say hello.")
                .build(), events);

        assertThat(events.get(0).isCreated()).isTrue();
        assertThat(events.get(1).isInProgress()).isTrue();
        assertThat(deltas(events)).isEqualTo(TEXT);
        assertThat(events).anyMatch(e -> e.outputTextDone().map(d -> d.text().equals(TEXT)).orElse(false));
        Response done = events.get(events.size() - 1).completed().orElseThrow().response();
        assertThat(outputText(done)).isEqualTo(TEXT);
        assertThat(done.usage().orElseThrow().inputTokens()).isEqualTo(PROMPT);
        assertThat(done.usage().orElseThrow().outputTokens()).isEqualTo(OUTPUT);
        assertThat(SIM.lastRequest().body().path("stream").booleanValue()).isTrue();
        assertBilled(usageOf(requestId), "resp-gpt");
    }

    @Test
    void shouldAnswerTheSdkWithAFunctionCallFromAnAnthropicChannelAndTakeItsOutputBack() {
        HttpResponseFor<Response> raw = sdk().withRawResponse().responses().create(ResponseCreateParams.builder()
                .model("resp-claude")
                .input("Weather in Paris?")
                .addTool(weatherTool())
                .build());
        Response response = raw.parse().validate();

        ResponseFunctionToolCall call = response.output().stream()
                .flatMap(item -> item.functionCall().stream())
                .findFirst().orElseThrow();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(Json.mapper().readTree(call.arguments()).path("city").asString()).isEqualTo("sim");
        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/messages");
        assertThat(sent.body().at("/tools/0/name").asString()).isEqualTo("get_weather");
        assertBilled(usageOf(raw.requestId().orElseThrow()), "resp-claude");

        // The next turn sends the call and its output back as items, the way Responses clients do.
        String next = "{\"model\":\"resp-claude\",\"input\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                + "{\"type\":\"function_call\",\"call_id\":\"" + call.callId() + "\",\"name\":\"get_weather\","
                + "\"arguments\":" + Json.mapper().writeValueAsString(call.arguments()) + "},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"" + call.callId() + "\",\"output\":\"18C\"}],"
                + "\"tools\":[{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"}}]}";
        JsonNode answer = Json.mapper().readTree(post(next, 200).getResponseBody());

        assertThat(answer.at("/output/0/type").asString()).isEqualTo("message");
        assertThat(answer.at("/output/0/content/0/text").asString()).isEqualTo("tool said 18C");
        JsonNode messages = SIM.lastRequest().body().path("messages");
        assertThat(messages.at("/1/content/0/type").asString()).isEqualTo("tool_use");
        assertThat(messages.at("/2/content/0/type").asString()).isEqualTo("tool_result");
        assertThat(messages.at("/2/content/0/tool_use_id").asString()).isEqualTo(call.callId());
    }

    @Test
    void shouldStreamReasoningAndTextToTheSdkFromAnAnthropicChannel() {
        List<ResponseStreamEvent> events = new ArrayList<>();
        String requestId = stream(ResponseCreateParams.builder()
                .model("resp-claude")
                .input("Think, then say hello.")
                .reasoning(Reasoning.builder().effort(ReasoningEffort.LOW).build())
                .maxOutputTokens(4096L)
                .build(), events);

        String reasoning = events.stream()
                .flatMap(e -> e.reasoningSummaryTextDelta().stream())
                .map(d -> d.delta())
                .collect(Collectors.joining());
        assertThat(reasoning).isEqualTo("sim thinking");
        assertThat(deltas(events)).isEqualTo(TEXT);
        Response done = events.get(events.size() - 1).completed().orElseThrow().response();
        assertThat(done.output()).hasSize(2);
        assertThat(done.output().get(0).isReasoning()).isTrue();
        assertThat(done.usage().orElseThrow().inputTokens()).isEqualTo(PROMPT);
        assertThat(SIM.lastRequest().body().path("thinking").path("type").asString()).isEqualTo("enabled");
        assertBilled(usageOf(requestId), "resp-claude");
    }

    @Test
    void shouldStreamAFunctionCallsArgumentsToTheSdkFromAnOpenAiChannel() {
        List<ResponseStreamEvent> events = new ArrayList<>();
        String requestId = stream(ResponseCreateParams.builder()
                .model("resp-gpt")
                .input("Weather in Paris?")
                .addTool(weatherTool())
                .build(), events);

        String arguments = events.stream()
                .flatMap(e -> e.functionCallArgumentsDelta().stream())
                .map(d -> d.delta())
                .collect(Collectors.joining());
        assertThat(Json.mapper().readTree(arguments).path("city").asString()).isEqualTo("sim");
        assertThat(events).anyMatch(e -> e.functionCallArgumentsDone()
                .map(d -> d.arguments().equals(arguments)).orElse(false));
        ResponseFunctionToolCall call = events.get(events.size() - 1).completed().orElseThrow().response().output()
                .stream()
                .flatMap(item -> item.functionCall().stream())
                .findFirst().orElseThrow();
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.callId()).startsWith("call_");
        assertThat(call.arguments()).isEqualTo(arguments);
        assertThat(SIM.lastRequest().body().at("/tools/0/function/name").asString()).isEqualTo("get_weather");
        UsageEvent event = usageOf(requestId);
        assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
        assertThat(event.tokens().inputTokens()).isEqualTo(PROMPT);
    }

    // ---- refusals ----

    @Test
    void shouldRefusePreviousResponseIdInOpenAisErrorJsonWithoutCallingAnUpstream() {
        EntityExchangeResult<byte[]> result = post("{\"model\":\"resp-gpt\",\"input\":\"and then?\","
                + "\"previous_response_id\":\"resp_123\"}", 400);

        assertRefused(result, "previous_response_id");
        assertThat(SIM.requests()).isEmpty();
        UsageEvent event = usageOf(result.getResponseHeaders().getFirst("x-request-id"));
        assertThat(event.status()).isEqualTo(UsageStatus.REJECTED);
        assertThat(event.dialect()).isEqualTo("openai_responses");
    }

    @Test
    void shouldRefuseABuiltInToolNoUpstreamOffersInOpenAisErrorJson() {
        EntityExchangeResult<byte[]> result = post("{\"model\":\"resp-gpt\",\"input\":\"news?\","
                + "\"tools\":[{\"type\":\"web_search\"}]}", 400);

        assertRefused(result, "tools[0].type");
        assertThat(SIM.requests()).isEmpty();
    }

    // ---- helpers ----

    private static void assertBilled(UsageEvent event, String model) {
        assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
        assertThat(event.dialect()).isEqualTo("openai_responses");
        assertThat(event.modelAsked()).isEqualTo(model);
        assertThat(event.estimated()).isFalse();
        assertThat(event.tokens()).isEqualTo(new TokenUsage(PROMPT, 0, 0, OUTPUT, 0, 1, 0, 0));
        // 42 × $1 + 3 × $2 per million = 42 + 6 micros.
        assertThat(Cost.micros(event.tokens(), PRICE, 10_000)).isEqualTo(48);
    }

    private static void assertRefused(EntityExchangeResult<byte[]> result, String param) {
        JsonNode error = Json.mapper().readTree(result.getResponseBody()).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asString()).isEqualTo(param);
        assertThat(error.path("message").asString()).isNotBlank();
    }

    private static FunctionTool weatherTool() {
        return FunctionTool.builder()
                .name("get_weather")
                .description("The weather of a city")
                .parameters(FunctionTool.Parameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .putAdditionalProperty("required", JsonValue.from(List.of("city")))
                        .build())
                .strict(false)
                .build();
    }

    private static String outputText(Response response) {
        return response.output().stream()
                .flatMap(item -> item.message().stream())
                .flatMap(message -> message.content().stream())
                .flatMap(content -> content.outputText().stream())
                .map(ResponseOutputText::text)
                .collect(Collectors.joining());
    }

    private static String deltas(List<ResponseStreamEvent> events) {
        return events.stream()
                .flatMap(e -> e.outputTextDelta().stream())
                .map(d -> d.delta())
                .collect(Collectors.joining());
    }

    /** Streams a response into {@code events}; its request id. */
    private String stream(ResponseCreateParams params, List<ResponseStreamEvent> events) {
        try (HttpResponseFor<StreamResponse<ResponseStreamEvent>> raw = sdk().withRawResponse().responses()
                .createStreaming(params); StreamResponse<ResponseStreamEvent> stream = raw.parse()) {
            stream.stream().forEach(event -> events.add(event.validate()));
            return raw.requestId().orElseThrow();
        }
    }

    private EntityExchangeResult<byte[]> post(String body, int status) {
        return client.post().uri("/v1/responses")
                .header("Authorization", "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isEqualTo(status)
                .expectBody().returnResult();
    }

    private static UsageEvent usageOf(String requestId) {
        return fixture.awaitUsage(e -> e.requestId().equals(requestId));
    }
}
