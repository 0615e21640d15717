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
import dev.tollgate.relay.support.RelayCalls;
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
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/responses} through the running relay with the official OpenAI SDK ({@code responses().create} and
 * {@code createStreaming}): passed through to OpenAI channels that serve the Responses API themselves (their ids
 * naming the channel, so follow-ups and a stored response's calls reach it), translated to chat completions for an
 * OpenAI channel set not to ({@code nativeResponses: false}) and to messages for an Anthropic one, answered in the
 * Responses shape (and its named stream events), billed from the upstream's usage like chat; stateful requests on
 * translated channels and what no upstream can do refused in OpenAI's error JSON before any upstream is called.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class ResponsesIT {

    private static final Simulator SIM = Simulator.start(0);
    private static RelayFixture fixture;
    private static String key;
    private static String otherKey;
    private static long otherUser;
    private static long nativeA;
    private static long nativeB;

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
                Map.of("resp-gpt", "gpt-4o-mini"), Map.of("nativeResponses", false));
        // Two channels of one model that serve /v1/responses themselves, told apart by a header they send up (one the simulator records).
        nativeA = fixture.insertChannel("native-a", "openai", SIM.baseUrl(), "sk-a", List.of("resp-native"),
                Map.of("resp-native", "gpt-4.1-mini"), Map.of("headers", Map.of("X-Title", "a")));
        nativeB = fixture.insertChannel("native-b", "openai", SIM.baseUrl(), "sk-b", List.of("resp-native"),
                Map.of("resp-native", "gpt-4.1-mini"), Map.of("headers", Map.of("X-Title", "b")));
        fixture.insertPrice("resp-native", PRICE.inputMicrosPerMTok(), PRICE.outputMicrosPerMTok());
        // Azure on a dated surface that has the Responses API: one URL for the resource, the deployment as model.
        fixture.insertChannel("sim-azure", "azure", SIM.azureBaseUrl(), "azure-key", List.of("resp-azure"), Map.of(),
                Map.of("apiVersion", "2025-04-01-preview", "deployments", Map.of("resp-azure", "gpt41-prod")));
        fixture.insertPrice("resp-azure", PRICE.inputMicrosPerMTok(), PRICE.outputMicrosPerMTok());
        otherUser = fixture.insertUser("responses-other", 1_000_000_000L);
        otherKey = CustomerKeys.generate();
        fixture.insertKey(otherUser, otherKey);
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
        RelayFixture.awaitReady(client);
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
        assertBilled(fixture.usageOf(raw.requestId().orElseThrow()), "resp-gpt");
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
        assertBilled(fixture.usageOf(requestId), "resp-gpt");
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
        assertBilled(fixture.usageOf(raw.requestId().orElseThrow()), "resp-claude");

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
        assertBilled(fixture.usageOf(requestId), "resp-claude");
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
        UsageEvent event = fixture.usageOf(requestId);
        assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
        assertThat(event.tokens().inputTokens()).isEqualTo(PROMPT);
    }

    // ---- native Responses channels: passed through, stored, followed up ----

    @Test
    void shouldPassTheSdksRequestThroughToANativeChannelAndBillItsUsageExactly() {
        SIM.config(SimulatorConfig.defaults().withChunks(OUTPUT).withPromptTokens(PROMPT).withCachedTokens(10)
                .withReasoningTokens(1));
        HttpResponseFor<Response> raw = sdk().withRawResponse().responses().create(ResponseCreateParams.builder()
                .model("resp-native")
                .input("Say hello.")
                .maxOutputTokens(64L)
                .build());
        Response response = raw.parse().validate();

        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/responses");
        assertThat(sent.body().path("model").asString()).as("mapped").isEqualTo("gpt-4.1-mini");
        assertThat(sent.body().path("input").asString()).isEqualTo("Say hello.");
        assertThat(sent.body().path("max_output_tokens").asInt()).isEqualTo(64);
        assertThat(outputText(response)).isEqualTo(TEXT);
        ResponseIds.Decoded id = ResponseIds.decode(response.id()).orElseThrow();
        assertThat(id.channelId()).isEqualTo(channelOf(sent));
        assertThat(id.upstreamId()).startsWith("resp_").doesNotContain("tg");
        UsageEvent event = fixture.usageOf(raw.requestId().orElseThrow());
        assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
        assertThat(event.dialect()).isEqualTo("openai_responses");
        assertThat(event.channelId()).isEqualTo(id.channelId());
        assertThat(event.estimated()).isFalse();
        // 42 input of which 10 cached; 3 output of which 1 reasoning.
        assertThat(event.tokens()).isEqualTo(new TokenUsage(PROMPT - 10, 10, 0, OUTPUT, 1, 1, 0, 0));
    }

    @Test
    void shouldStreamANativeChannelsEventsAsTheyAreWithTheChannelInTheResponseId() {
        List<ResponseStreamEvent> events = new ArrayList<>();
        String requestId = stream(ResponseCreateParams.builder()
                .model("resp-native")
                .input("Say hello.")
                .build(), events);

        assertThat(SIM.lastRequest().path()).isEqualTo("/v1/responses");
        assertThat(SIM.lastRequest().body().path("stream").booleanValue()).isTrue();
        assertThat(events.get(0).isCreated()).isTrue();
        assertThat(events.get(0).created().orElseThrow().sequenceNumber()).isZero();
        assertThat(events.get(events.size() - 1).completed().orElseThrow().sequenceNumber())
                .isEqualTo(events.size() - 1);
        assertThat(deltas(events)).isEqualTo(TEXT);
        String createdId = events.get(0).created().orElseThrow().response().id();
        Response done = events.get(events.size() - 1).completed().orElseThrow().response();
        assertThat(done.id()).isEqualTo(createdId);
        assertThat(ResponseIds.decode(done.id()).orElseThrow().channelId()).isEqualTo(channelOf(SIM.lastRequest()));
        assertThat(done.usage().orElseThrow().inputTokens()).isEqualTo(PROMPT);
        assertBilled(fixture.usageOf(requestId), "resp-native");
    }

    @Test
    void shouldSendEveryFollowUpToTheChannelThatMadeThePreviousResponse() {
        Response first = sdk().responses().create(ResponseCreateParams.builder()
                .model("resp-native").input("Remember 7.").build());
        long channel = channelOf(SIM.lastRequest());
        String previous = first.id();
        // Channels are drawn at random per request: four follow-ups on the same one by chance is 1 in 16.
        for (int i = 0; i < 4; i++) {
            HttpResponseFor<Response> raw = sdk().withRawResponse().responses().create(ResponseCreateParams.builder()
                    .model("resp-native").input("And then?").previousResponseId(previous).build());
            Response next = raw.parse().validate();
            RecordedRequest sent = SIM.lastRequest();
            assertThat(channelOf(sent)).isEqualTo(channel);
            assertThat(sent.body().path("previous_response_id").asString())
                    .isEqualTo(ResponseIds.decode(previous).orElseThrow().upstreamId());
            assertThat(next.previousResponseId()).as("shown as the client knows it").contains(previous);
            assertThat(fixture.usageOf(raw.requestId().orElseThrow()).channelId()).isEqualTo(channel);
            previous = next.id();
        }
    }

    @Test
    void shouldGetAndDeleteAStoredResponseThroughTheChannelThatMadeIt() {
        Response made = sdk().responses().create(ResponseCreateParams.builder()
                .model("resp-native").input("Keep this.").build());
        long channel = channelOf(SIM.lastRequest());
        SIM.reset();

        Response got = sdk().responses().retrieve(made.id()).validate();

        assertThat(got.id()).isEqualTo(made.id());
        assertThat(outputText(got)).isEqualTo(TEXT);
        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.method()).isEqualTo("GET");
        assertThat(sent.path()).isEqualTo("/v1/responses/" + ResponseIds.decode(made.id()).orElseThrow().upstreamId());
        assertThat(channelOf(sent)).isEqualTo(channel);

        JsonNode items = Json.mapper().readTree(call("GET", "/v1/responses/" + made.id() + "/input_items", key, 200)
                .getResponseBody());
        assertThat(items.at("/data/0/content/0/text").asString()).isEqualTo("Keep this.");

        JsonNode deleted = Json.mapper().readTree(call("DELETE", "/v1/responses/" + made.id(), key, 200)
                .getResponseBody());
        assertThat(deleted.path("id").asString()).isEqualTo(made.id());
        assertThat(deleted.path("deleted").booleanValue()).isTrue();
        JsonNode gone = Json.mapper().readTree(call("GET", "/v1/responses/" + made.id(), key, 404).getResponseBody());
        assertThat(gone.path("error").path("message").asString()).contains("not found");
    }

    @Test
    void shouldCancelTheUpstreamAndChargeWhatWasGeneratedWhenTheClientLeavesANativeStream() {
        SIM.config(SimulatorConfig.defaults().withChunks(20).withChunkDelayMs(200).withPromptTokens(PROMPT));
        List<String> seen = WebClient.create("http://127.0.0.1:" + port).post().uri("/v1/responses")
                .header("Authorization", "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"model\":\"resp-native\",\"input\":\"Count.\",\"stream\":true}")
                .retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .filter(event -> "response.output_text.delta".equals(event.event()))
                .map(ServerSentEvent::data)
                .take(2) // two deltas, then the client goes away
                .collectList()
                .block(Duration.ofSeconds(10));
        assertThat(seen).hasSize(2);

        await().atMost(Duration.ofSeconds(5)).until(() -> SIM.stats().cancelled() == 1);
        UsageEvent event = fixture.awaitUsage(e -> e.status() == UsageStatus.CANCELLED
                && "resp-native".equals(e.modelAsked()));
        assertThat(event.estimated()).isTrue();
        assertThat(event.tokens().outputTokens()).isGreaterThan(0).isLessThan(20);
        assertThat(event.tokens().inputTokens()).isGreaterThan(0);
        assertThat(SIM.stats().completed()).isZero();
    }

    @Test
    void shouldPassANativeChannelsRefusalOfTheRequestThroughInOpenAisShape() {
        Response made = sdk().responses().create(ResponseCreateParams.builder()
                .model("resp-native").input("Hi.").build());
        ResponseIds.Decoded id = ResponseIds.decode(made.id()).orElseThrow();
        // Ours and the caller's, but unknown upstream (deleted there, say).
        String unknown = ResponseIds.encode("resp_gone", id.channelId(), id.userId());

        EntityExchangeResult<byte[]> result = post("{\"model\":\"resp-native\",\"input\":\"x\","
                + "\"previous_response_id\":\"" + unknown + "\"}", 400);

        assertRefused(result, "previous_response_id");
        assertThat(SIM.lastRequest().body().path("previous_response_id").asString()).isEqualTo("resp_gone");
        UsageEvent event = fixture.usageOf(result.getResponseHeaders().getFirst("x-request-id"));
        assertThat(event.status()).isEqualTo(UsageStatus.UPSTREAM_ERROR);
        assertThat(event.channelId()).isEqualTo(id.channelId());
    }

    @Test
    void shouldBillABackgroundResponseByItsLimitAndLetThePollAndCancelReachItsChannel() {
        assertRefused(post("{\"model\":\"resp-native\",\"input\":\"Slowly.\",\"background\":true}", 400),
                "max_output_tokens");
        EntityExchangeResult<byte[]> created = post("{\"model\":\"resp-native\",\"input\":\"Slowly.\","
                + "\"background\":true,\"max_output_tokens\":100}", 200);
        JsonNode queued = Json.mapper().readTree(created.getResponseBody());
        assertThat(queued.path("status").asString()).isEqualTo("queued");
        // Its usage comes after the request: billed at creation by the prompt and the output limit.
        UsageEvent billed = fixture.usageOf(created.getResponseHeaders().getFirst("x-request-id"));
        assertThat(billed.status()).isEqualTo(UsageStatus.SUCCESS);
        assertThat(billed.tokens().outputTokens()).isEqualTo(100);
        assertThat(billed.tokens().inputTokens()).isGreaterThan(0);
        assertThat(billed.estimated()).as("a bound, not the upstream's report").isTrue();
        String id = queued.path("id").asString();
        assertThat(ResponseIds.decode(id)).isPresent();

        Response polled = sdk().responses().retrieve(id).validate();
        assertThat(polled.status()).contains(ResponseStatus.COMPLETED);
        assertThat(outputText(polled)).isEqualTo(TEXT);

        JsonNode cancelled = Json.mapper().readTree(call("POST", "/v1/responses/" + id + "/cancel", key, 200)
                .getResponseBody());
        assertThat(cancelled.path("id").asString()).isEqualTo(id);
        assertThat(cancelled.path("status").asString()).isEqualTo("cancelled");
    }

    @Test
    void shouldPassResponsesThroughToAzuresResponsesPathAndGetTheStoredOneThere() {
        HttpResponseFor<Response> raw = sdk().withRawResponse().responses().create(ResponseCreateParams.builder()
                .model("resp-azure").input("Say hello.").build());
        Response response = raw.parse().validate();

        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.path()).isEqualTo("/openai/responses");
        assertThat(sent.query()).isEqualTo("api-version=2025-04-01-preview");
        assertThat(sent.body().path("model").asString()).isEqualTo("gpt41-prod");
        assertThat(sent.header("api-key")).isNotNull();
        assertThat(outputText(response)).isEqualTo(TEXT);
        assertBilled(fixture.usageOf(raw.requestId().orElseThrow()), "resp-azure");

        Response got = sdk().responses().retrieve(response.id()).validate();
        assertThat(got.id()).isEqualTo(response.id());
        assertThat(SIM.lastRequest().path()).isEqualTo("/openai/responses/"
                + ResponseIds.decode(response.id()).orElseThrow().upstreamId());
        assertThat(SIM.lastRequest().query()).isEqualTo("api-version=2025-04-01-preview");
    }

    @Test
    void shouldPassAConversationThroughToANativeChannelAsSent() {
        EntityExchangeResult<byte[]> result = post("{\"model\":\"resp-native\",\"input\":\"Hi\","
                + "\"conversation\":\"conv_42\",\"store\":true}", 200);

        assertThat(SIM.lastRequest().body().path("conversation").asString()).isEqualTo("conv_42");
        assertThat(SIM.lastRequest().body().path("store").booleanValue()).isTrue();
        JsonNode answer = Json.mapper().readTree(result.getResponseBody());
        assertThat(answer.at("/conversation/id").asString()).isEqualTo("conv_42");
    }

    @Test
    void shouldChargeWhatANativeStreamGeneratedWhenTheUpstreamBreaksOff() {
        SIM.config(SimulatorConfig.defaults().withChunks(10).withPromptTokens(PROMPT).withCutAfterChunks(4));
        List<String> events = new ArrayList<>();
        EntityExchangeResult<byte[]> result = client.post().uri("/v1/responses")
                .header("Authorization", "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"model\":\"resp-native\",\"input\":\"Count.\",\"stream\":true}")
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult();
        String body = new String(result.getResponseBody(), java.nio.charset.StandardCharsets.UTF_8);
        body.lines().filter(line -> line.startsWith("event: ")).forEach(events::add);

        assertThat(events.stream().filter(e -> e.equals("event: response.output_text.delta")).count())
                .isEqualTo(4);
        assertThat(events).doesNotContain("event: response.completed");
        // It ends as OpenAI's own stream would: response.failed for the response the client saw, numbered on.
        assertThat(events.get(events.size() - 1)).isEqualTo("event: response.failed");
        List<JsonNode> data = body.lines().filter(line -> line.startsWith("data: "))
                .map(line -> Json.mapper().readTree(line.substring("data: ".length()))).toList();
        for (int i = 0; i < data.size(); i++) {
            assertThat(data.get(i).path("sequence_number").asInt()).isEqualTo(i);
        }
        JsonNode failed = data.get(data.size() - 1).path("response");
        assertThat(failed.path("id").asString()).isEqualTo(data.get(0).at("/response/id").asString());
        assertThat(ResponseIds.decode(failed.path("id").asString())).isPresent();
        assertThat(failed.path("status").asString()).isEqualTo("failed");
        UsageEvent event = fixture.usageOf(result.getResponseHeaders().getFirst("x-request-id"));
        assertThat(event.status()).isEqualTo(UsageStatus.UPSTREAM_ERROR);
        assertThat(event.estimated()).isTrue();
        assertThat(event.tokens().outputTokens()).isGreaterThan(0).isLessThan(10);
    }

    @Test
    void shouldNotShowAnotherUsersResponseNorOneTheRelayDidNotMake() {
        Response made = sdk().responses().create(ResponseCreateParams.builder()
                .model("resp-native").input("Mine.").build());
        SIM.reset();

        JsonNode error = Json.mapper().readTree(call("GET", "/v1/responses/" + made.id(), otherKey, 404)
                .getResponseBody()).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("code").asString()).isEqualTo("not_found");
        call("GET", "/v1/responses/resp_abc", key, 404);
        ResponseIds.Decoded id = ResponseIds.decode(made.id()).orElseThrow();
        String forged = ResponseIds.encode(id.upstreamId(), id.channelId(), otherUser);
        call("GET", "/v1/responses/" + forged, key, 404);
        assertThat(SIM.requests()).as("no upstream asked").isEmpty();

        EntityExchangeResult<byte[]> followUp = post("{\"model\":\"resp-native\",\"input\":\"x\","
                + "\"previous_response_id\":\"" + forged + "\"}", 400);
        assertRefused(followUp, "previous_response_id");
        assertThat(SIM.requests()).isEmpty();
    }

    @Test
    void shouldRefuseAFollowUpForAModelItsChannelDoesNotServe() {
        Response made = sdk().responses().create(ResponseCreateParams.builder()
                .model("resp-native").input("Hi.").build());
        SIM.reset();

        EntityExchangeResult<byte[]> result = post("{\"model\":\"resp-gpt\",\"input\":\"x\","
                + "\"previous_response_id\":\"" + made.id() + "\"}", 400);

        assertRefused(result, "previous_response_id");
        assertThat(SIM.requests()).isEmpty();
    }

    @Test
    void shouldRefuseAConversationOnATranslatedChannelInOpenAisErrorJson() {
        EntityExchangeResult<byte[]> result = post("{\"model\":\"resp-gpt\",\"input\":\"x\","
                + "\"conversation\":\"conv_1\"}", 400);

        assertRefused(result, "conversation");
        assertThat(SIM.requests()).isEmpty();
    }

    // ---- refusals ----

    @Test
    void shouldRefusePreviousResponseIdInOpenAisErrorJsonWithoutCallingAnUpstream() {
        EntityExchangeResult<byte[]> result = post("{\"model\":\"resp-gpt\",\"input\":\"and then?\","
                + "\"previous_response_id\":\"resp_123\"}", 400);

        assertRefused(result, "previous_response_id");
        assertThat(SIM.requests()).isEmpty();
        UsageEvent event = fixture.usageOf(result.getResponseHeaders().getFirst("x-request-id"));
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

    /** The native channel a request reached, by the header each sends up. */
    private static long channelOf(RecordedRequest request) {
        String channel = request.header("x-title");
        assertThat(channel).as("sent by a native channel").isIn("a", "b");
        return "a".equals(channel) ? nativeA : nativeB;
    }

    private EntityExchangeResult<byte[]> call(String method, String path, String withKey, int status) {
        return client.method(org.springframework.http.HttpMethod.valueOf(method)).uri(path)
                .header("Authorization", "Bearer " + withKey)
                .exchange()
                .expectStatus().isEqualTo(status)
                .expectBody().returnResult();
    }

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
        return RelayCalls.postJson(client, "/v1/responses", key, body, status);
    }
}
