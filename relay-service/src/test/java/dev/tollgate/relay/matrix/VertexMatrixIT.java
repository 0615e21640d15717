package dev.tollgate.relay.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.genai.Client;
import com.google.genai.types.ContentEmbedding;
import com.google.genai.types.EmbedContentConfig;
import com.google.genai.types.EmbedContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.tollgate.contracts.events.Attempt;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.metering.TokenCounter;
import dev.tollgate.relay.support.CellKeys;
import dev.tollgate.relay.support.RelayCalls;
import dev.tollgate.relay.support.RelayFixture;
import dev.tollgate.simulator.RecordedRequest;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.gemini.GeminiHandler;
import dev.tollgate.simulator.SimulatorConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
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
 * Vertex AI channels (provider {@code gemini} with a service-account key and a project) through the running relay,
 * the simulator standing in for Vertex and Google's token endpoint: OpenAI and Gemini customers (their official
 * SDKs), plain and streamed, are served at the project's regional path with a bearer token the relay bought, and
 * billed what Vertex reported; the token is reused, and bought again once it nears its end; a key the token
 * endpoint refuses fails over to the next channel and reports its channel for disabling, and where no other channel
 * serves, the customer gets its dialect's clean error. Embeddings (OpenAI's SDK, Gemini's {@code embedContent}) go
 * to the model's {@code :predict} and are billed Vertex's own token count.
 */
// Refusals are the subject here, not breakers (FailoverIT's): none opens.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"tollgate.relay.routing.breaker.sliding-window=1000",
                "tollgate.relay.routing.breaker.minimum-calls=1000"})
@AutoConfigureWebTestClient
class VertexMatrixIT {

    private static final Simulator SIM = Simulator.start(0);
    private static final String PROJECT = "tollgate-vertex";
    private static final String LOCATION = "europe-west4";
    private static final String UPSTREAM_MODEL = "gemini-2.5-flash";
    private static RelayFixture fixture;
    private static long userId;
    private static CellKeys keys;
    private static final Map<String, Long> CHANNELS = new LinkedHashMap<>();

    private static final int PROMPT = 120;
    private static final int CACHED = 20;
    private static final int OUTPUT = 7;
    private static final String EMBED_MODEL = "text-embedding-005";

    @Autowired
    WebTestClient client;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        prepare();
        fixture.register(registry, "relay-vertex");
    }

    private static synchronized void prepare() throws Exception {
        if (fixture != null) {
            return;
        }
        fixture = new RelayFixture();
        fixture.createCommandsTopic();
        userId = fixture.insertUser("vertex", 1_000_000_000L);
        keys = new CellKeys(fixture, userId);
        Map<String, Object> vertex = Map.of("project", PROJECT, "location", LOCATION);
        CHANNELS.put("vertex", fixture.insertChannel("vertex", "gemini", SIM.vertexBaseUrl(),
                SIM.vertex().newServiceAccount("relay@tollgate-vertex.iam.gserviceaccount.com"),
                List.of("to-vertex"), Map.of("to-vertex", UPSTREAM_MODEL), vertex));
        CHANNELS.put("expiring", fixture.insertChannel("vertex-expiring", "gemini", SIM.vertexBaseUrl(),
                SIM.vertex().newServiceAccount("short@tollgate-vertex.iam.gserviceaccount.com"),
                List.of("vx-expiring"), Map.of("vx-expiring", UPSTREAM_MODEL), vertex));
        // A key whose private half is not the account's (the token endpoint refuses its signature), tried first.
        CHANNELS.put("bad-key", fixture.insertChannel("vertex-bad-key", "gemini", SIM.vertexBaseUrl(), forgedKey(),
                List.of("vx-failover"), Map.of("vx-failover", UPSTREAM_MODEL), vertex, 10, 1));
        CHANNELS.put("backup", fixture.insertChannel("vertex-backup", "gemini", SIM.vertexBaseUrl(),
                SIM.vertex().newServiceAccount("backup@tollgate-vertex.iam.gserviceaccount.com"),
                List.of("vx-failover"), Map.of("vx-failover", UPSTREAM_MODEL), vertex, 0, 1));
        // A JSON key that is no service account at all, alone on its model.
        CHANNELS.put("broken", fixture.insertChannel("vertex-broken", "gemini", SIM.vertexBaseUrl(),
                "{\"type\":\"service_account\",\"client_email\":\"x@y.iam.gserviceaccount.com\"}",
                List.of("vx-broken"), Map.of("vx-broken", UPSTREAM_MODEL), vertex));
        CHANNELS.put("embed", fixture.insertChannel("vertex-embed", "gemini", SIM.vertexBaseUrl(),
                SIM.vertex().newServiceAccount("embed@tollgate-vertex.iam.gserviceaccount.com"),
                List.of("vx-embed"), Map.of("vx-embed", EMBED_MODEL), vertex));
        for (String model : List.of("to-vertex", "vx-expiring", "vx-failover", "vx-broken", "vx-embed")) {
            fixture.insertPrice(model, 1_000_000, 2_000_000);
        }
    }

    /** The account's JSON key with another account's private key in it. */
    private static String forgedKey() {
        JsonNode genuine = Json.mapper().readTree(SIM.vertex().newServiceAccount(
                "forged@tollgate-vertex.iam.gserviceaccount.com"));
        JsonNode other = Json.mapper().readTree(SIM.vertex().newServiceAccount(
                "someone-else@tollgate-vertex.iam.gserviceaccount.com"));
        ((tools.jackson.databind.node.ObjectNode) genuine).put("private_key", other.path("private_key").asString());
        return Json.mapper().writeValueAsString(genuine);
    }

    @AfterAll
    static void tearDown() {
        fixture.close();
        SIM.close();
    }

    @BeforeEach
    void ready() {
        SIM.reset();
        SIM.config(SimulatorConfig.defaults()
                .withChunks(4)
                .withPromptTokens(PROMPT)
                .withCompletionTokens(OUTPUT)
                .withCachedTokens(CACHED));
        RelayFixture.awaitReady(client);
    }

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        for (String in : List.of("openai", "gemini")) {
            for (boolean stream : List.of(false, true)) {
                cells.add(Arguments.of(in, stream));
            }
        }
        return cells.stream();
    }

    @ParameterizedTest(name = "{0} in, stream={1}")
    @MethodSource("cells")
    void shouldServeAndBillVertexsUsageWhenClientsCallAVertexChannel(String in, boolean stream) throws Exception {
        String cell = in + "-" + stream;
        Customer customer = in.equals("openai") ? new OpenAiCustomer(base(), keys.key(cell))
                : new GeminiCustomer(base(), keys.key(cell));

        Answer answer = customer.text("to-vertex", stream);

        assertThat(answer.text().strip()).isEqualTo("tok0 tok1 tok2 tok3");
        assertThat(answer.promptTokens()).isEqualTo(PROMPT);
        assertThat(answer.outputTokens()).isEqualTo(OUTPUT);
        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.decodedPath()).isEqualTo("/v1/projects/" + PROJECT + "/locations/" + LOCATION
                + "/publishers/google/models/" + UPSTREAM_MODEL
                + (stream ? ":streamGenerateContent" : ":generateContent"));
        assertThat(sent.authorization()).isTrue();
        assertThat(sent.googApiKey()).isFalse();
        UsageEvent event = fixture.awaitUsage(e -> e.keyId() == keys.id(cell));
        assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
        assertThat(event.dialect()).isEqualTo(in);
        assertThat(event.provider()).isEqualTo("gemini");
        assertThat(event.channelId()).isEqualTo(CHANNELS.get("vertex"));
        assertThat(event.modelServed()).isEqualTo(UPSTREAM_MODEL);
        assertThat(event.estimated()).isFalse();
        assertThat(event.tokens()).isEqualTo(new TokenUsage(PROMPT - CACHED, CACHED, 0, OUTPUT, 0, 1, 0, 0));
    }

    @Test
    void shouldReuseTheTokenAndBuyANewOneWhenItExpires() {
        SIM.vertex().tokenLifetime(Duration.ofSeconds(2));

        assertThat(gemini(keys.key("expiring"), "vx-expiring", false).getStatus().value()).isEqualTo(200);
        String first = SIM.vertex().latestToken();
        assertThat(gemini(keys.key("expiring"), "vx-expiring", true).getStatus().value()).isEqualTo(200);
        assertThat(SIM.vertex().tokensIssued()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(10)).until(() -> SIM.vertex().expired(first));
        EntityExchangeResult<byte[]> after = gemini(keys.key("expiring"), "vx-expiring", false);

        // Bought before use: Vertex never saw the stale token (no 401, a single successful attempt).
        assertThat(after.getStatus().value()).isEqualTo(200);
        assertThat(SIM.vertex().tokensIssued()).isEqualTo(2);
        assertThat(SIM.vertex().latestToken()).isNotEqualTo(first);
        assertThat(fixture.usageOf(after).attempts()).extracting(Attempt::outcome).containsExactly("succeeded");
    }

    @Test
    void shouldBuyAFreshTokenAndSendAgainWhenVertexRefusesACachedOne() {
        assertThat(openAi(keys.key("revoked"), "to-vertex", false).getStatus().value()).isEqualTo(200);
        long issued = SIM.vertex().tokensIssued();
        SIM.vertex().revokeAll();

        for (boolean stream : List.of(false, true)) {
            EntityExchangeResult<byte[]> result = openAi(keys.key("revoked"), "to-vertex", stream);

            assertThat(result.getStatus().value()).isEqualTo(200);
            assertThat(fixture.usageOf(result).attempts()).extracting(Attempt::outcome).containsExactly("succeeded");
        }
        // The revoked token was refused once (non-streamed); the fresh one served both.
        assertThat(SIM.vertex().tokensIssued()).isEqualTo(issued + 1);
        assertThat(SIM.requests()).filteredOn(r -> r.path().startsWith("/v1/projects/")).hasSize(4);
    }

    @Test
    void shouldFailOverAndReportTheChannelWhenTheTokenEndpointRefusesTheKey() throws Exception {
        for (boolean stream : List.of(false, true)) {
            EntityExchangeResult<byte[]> result = openAi(keys.key("failover"), "vx-failover", stream);

            assertThat(result.getStatus().value()).isEqualTo(200);
            assertThat(new String(result.getResponseBody())).contains("tok0");
            UsageEvent event = fixture.usageOf(result);
            assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
            assertThat(event.channelId()).isEqualTo(CHANNELS.get("backup"));
            assertThat(event.attempts()).extracting(Attempt::channelId)
                    .containsExactly(CHANNELS.get("bad-key"), CHANNELS.get("backup"));
            assertThat(event.attempts()).extracting(Attempt::outcome).containsExactly("auth_rejected", "succeeded");
            assertThat(event.tokens()).isEqualTo(new TokenUsage(PROMPT - CACHED, CACHED, 0, OUTPUT, 0, 1, 0, 0));
        }
        assertThat(SIM.vertex().assertionsRefused()).isEqualTo(2);
        Command.AutoDisableChannel command = fixture.awaitDisableCommand(CHANNELS.get("bad-key"));
        assertThat(command.reason()).isEqualTo("auth_rejected: 401");
    }

    @Test
    void shouldAnswerEachDialectsCleanErrorWhenTheOnlyChannelsKeyIsUnusable() {
        EntityExchangeResult<byte[]> gemini = gemini(keys.key("broken"), "vx-broken", false);
        EntityExchangeResult<byte[]> openAi = openAi(keys.key("broken"), "vx-broken", false);

        assertThat(gemini.getStatus().value()).isEqualTo(502);
        JsonNode geminiError = Json.mapper().readTree(gemini.getResponseBody()).path("error");
        assertThat(geminiError.path("code").asInt()).isEqualTo(502);
        assertThat(geminiError.path("status").asString()).isNotBlank();
        assertThat(openAi.getStatus().value()).isEqualTo(502);
        JsonNode openAiError = Json.mapper().readTree(openAi.getResponseBody()).path("error");
        assertThat(openAiError.path("code").asString()).isEqualTo("upstream_auth_failed");
        for (EntityExchangeResult<byte[]> result : List.of(gemini, openAi)) {
            String body = new String(result.getResponseBody());
            assertThat(body).doesNotContain("private_key").doesNotContain("service account")
                    .doesNotContain("Exception").doesNotContain("client_email");
            assertThat(fixture.usageOf(result).attempts()).extracting(Attempt::outcome).containsExactly("auth_rejected");
        }
        assertThat(SIM.vertex().tokensIssued()).isZero();
        assertThat(SIM.requests()).isEmpty();
    }

    @Test
    void shouldEmbedAtVertexsPredictAndBillItsTokenCountWhenAnOpenAiSdkAsks() {
        List<String> texts = List.of("hello vertex", "embeddings through the relay");
        HttpResponseFor<CreateEmbeddingResponse> raw = OpenAIOkHttpClient.builder()
                .baseUrl(base() + "/v1")
                .apiKey(keys.key("embed-openai"))
                .maxRetries(0)
                .build()
                .withRawResponse().embeddings().create(EmbeddingCreateParams.builder()
                        .model("vx-embed")
                        .inputOfArrayOfStrings(texts)
                        .dimensions(8)
                        .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                        .build());
        CreateEmbeddingResponse response = raw.parse();

        assertThat(response.data()).hasSize(2).allSatisfy(item -> assertThat(item.embedding()).hasSize(8));
        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.decodedPath()).isEqualTo("/v1/projects/" + PROJECT + "/locations/" + LOCATION
                + "/publishers/google/models/" + EMBED_MODEL + ":predict");
        assertThat(sent.authorization()).as("a bearer token the relay bought").isTrue();
        assertThat(sent.body().path("instances")).hasSize(2);
        assertThat(sent.body().path("instances").get(1).path("content").asString()).isEqualTo(texts.get(1));
        assertThat(sent.body().path("parameters").path("outputDimensionality").asInt()).isEqualTo(8);

        long reported = GeminiHandler.predictTokens(texts.get(0)) + GeminiHandler.predictTokens(texts.get(1));
        assertThat(response.usage().promptTokens()).isEqualTo(reported);
        UsageEvent event = fixture.awaitUsage(e -> e.requestId().equals(raw.headers().values("x-request-id").get(0)));
        assertEmbeddingBilled(event, "openai", reported, texts);
    }

    @Test
    void shouldEmbedAtVertexsPredictAndBillItsTokenCountWhenAGeminiSdkAsks() {
        String text = "internationalization of embeddings";
        EmbedContentResponse response = Client.builder()
                .apiKey(keys.key("embed-gemini"))
                .httpOptions(HttpOptions.builder()
                        .baseUrl(base())
                        .apiVersion("v1beta")
                        .retryOptions(HttpRetryOptions.builder().attempts(1).build())
                        .build())
                .build()
                .models.embedContent("vx-embed", text,
                        EmbedContentConfig.builder().outputDimensionality(8).taskType("RETRIEVAL_QUERY").build());

        List<ContentEmbedding> embeddings = response.embeddings().orElseThrow();
        assertThat(embeddings).hasSize(1);
        assertThat(embeddings.get(0).values().orElseThrow()).hasSize(8);
        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.decodedPath()).endsWith("/publishers/google/models/" + EMBED_MODEL + ":predict");
        assertThat(sent.authorization()).isTrue();
        JsonNode instance = sent.body().path("instances").get(0);
        assertThat(instance.path("content").asString()).isEqualTo(text);
        assertThat(instance.path("task_type").asString()).as("Gemini's hint in Vertex's spelling")
                .isEqualTo("RETRIEVAL_QUERY");

        UsageEvent event = fixture.awaitUsage(e -> e.keyId() == keys.id("embed-gemini"));
        assertEmbeddingBilled(event, "gemini", GeminiHandler.predictTokens(text), List.of(text));
    }

    /** Vertex's own count, not estimated, on the embed channel. */
    private static void assertEmbeddingBilled(UsageEvent event, String dialect, long tokens, List<String> texts) {
        assertThat(tokens).as("the stand-in counts otherwise than the relay, so billing the relay's count would show")
                .isNotEqualTo(texts.stream().mapToLong(TokenCounter::count).sum());
        assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
        assertThat(event.dialect()).isEqualTo(dialect);
        assertThat(event.channelId()).isEqualTo(CHANNELS.get("embed"));
        assertThat(event.modelServed()).isEqualTo(EMBED_MODEL);
        assertThat(event.estimated()).as("Vertex reports statistics.token_count").isFalse();
        assertThat(event.tokens()).isEqualTo(new TokenUsage(tokens, 0, 0, 0, 0, 1, 0, 0));
    }

    // ---- helpers ----

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private EntityExchangeResult<byte[]> openAi(String key, String model, boolean stream) {
        return RelayCalls.chat(client, key, model, stream);
    }

    private EntityExchangeResult<byte[]> gemini(String key, String model, boolean stream) {
        return client.post().uri("/v1beta/models/" + model
                        + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent"))
                .header("x-goog-api-key", key)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}],"
                        + "\"generationConfig\":{\"maxOutputTokens\":20}}")
                .exchange()
                .expectBody().returnResult();
    }
}
