package dev.tollgate.relay.api.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * {@code /v1/embeddings} and the legacy {@code /v1/completions} through the running relay with the official OpenAI
 * SDK: passed through to OpenAI and Azure channels with the model renamed, usage from the upstream's report billed
 * by the price row, and bad input (or a model whose channels do not offer the endpoint) refused in OpenAI's error
 * JSON before anything reaches an upstream.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class OpenAiSurfaceIT {

    private static final Simulator SIM = Simulator.start(0);
    private static RelayFixture fixture;
    private static String key;
    private static String embedOnlyKey;

    private static final int PROMPT = 42;
    private static final int OUTPUT = 3;
    private static final Price EMBED_PRICE = Price.perMTok(20_000, 0);
    private static final Price INSTRUCT_PRICE = Price.perMTok(1_500_000, 2_000_000);
    private static final Price MODERATION_PRICE = new Price(0, 0, 0, 0, 100, 0, 0);
    private static final Price IMAGE_PRICE = new Price(0, 0, 0, 0, 0, 40_000, 0);

    @Autowired
    WebTestClient client;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        prepare();
        fixture.register(registry, "relay-surface");
    }

    private static synchronized void prepare() throws Exception {
        if (fixture != null) {
            return;
        }
        fixture = new RelayFixture();
        long user = fixture.insertUser("surface", 1_000_000_000L);
        key = CustomerKeys.generate();
        fixture.insertKey(user, key);
        embedOnlyKey = CustomerKeys.generate();
        long restricted = fixture.insertKey(user, embedOnlyKey);
        try (java.sql.Connection c = fixture.connect(); java.sql.PreparedStatement st = c.prepareStatement(
                "UPDATE api_keys SET models = '[\"embed\",\"embed-azure\"]' WHERE id = ?")) {
            st.setLong(1, restricted);
            st.executeUpdate();
        }
        fixture.insertChannel("sim-openai", "openai", SIM.baseUrl(), "sk-sim",
                List.of("embed", "instruct", "omni-moderation-latest", "dall-e-3", "gpt-image-1"),
                Map.of("embed", "text-embedding-3-small", "instruct", "gpt-3.5-turbo-instruct"), null);
        fixture.insertChannel("sim-azure", "azure", SIM.azureBaseUrl(), "azure-key", List.of("embed-azure"),
                Map.of(), Map.of("apiVersion", "2024-10-21", "deployments", Map.of("embed-azure", "embed-prod")));
        fixture.insertChannel("sim-anthropic", "anthropic", SIM.anthropicBaseUrl(), "sk-ant-sim",
                List.of("claude-embed"), Map.of(), null);
        fixture.insertPrice("embed", EMBED_PRICE.inputMicrosPerMTok(), 0);
        fixture.insertPrice("embed-azure", EMBED_PRICE.inputMicrosPerMTok(), 0);
        fixture.insertPrice("claude-embed", 1_000_000, 1_000_000);
        fixture.insertPrice("instruct", INSTRUCT_PRICE.inputMicrosPerMTok(), INSTRUCT_PRICE.outputMicrosPerMTok());
        fixture.insertPrice("omni-moderation-latest", MODERATION_PRICE);
        fixture.insertPrice("dall-e-3", IMAGE_PRICE);
        fixture.insertPrice("gpt-image-1", 5_000_000, 40_000_000);
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
        RelayFixture.awaitReady(client);
    }

    private OpenAIClient sdk() {
        return OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + port + "/v1")
                .apiKey(key)
                .maxRetries(0)
                .build();
    }

    // ---- embeddings ----

    @Test
    void shouldEmbedWithTheSdkAsFloatsAndBillTheUpstreamsInputTokens() {
        HttpResponseFor<CreateEmbeddingResponse> raw = sdk().withRawResponse().embeddings().create(
                EmbeddingCreateParams.builder()
                        .model("embed")
                        .inputOfArrayOfStrings(List.of("hello", "relay"))
                        .dimensions(8)
                        .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                        .build());
        CreateEmbeddingResponse response = raw.parse();

        assertThat(response.data()).hasSize(2);
        List<Float> first = response.data().get(0).embedding();
        assertThat(first).hasSize(8);
        assertThat(norm(first)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
        assertThat(response.usage().promptTokens()).isEqualTo(PROMPT);
        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/embeddings");
        assertThat(sent.body().path("model").asString()).isEqualTo("text-embedding-3-small");
        assertThat(sent.body().path("dimensions").asInt()).isEqualTo(8);

        UsageEvent event = usageOf(raw);
        assertEmbeddingBilled(event);
        assertThat(event.modelServed()).isEqualTo("text-embedding-3-small");
    }

    @Test
    void shouldPassBase64EmbeddingsThroughAsTheUpstreamEncodedThem() {
        EmbeddingCreateParams.Builder params = EmbeddingCreateParams.builder()
                .model("embed")
                .input("hello")
                .dimensions(16);
        List<Float> floats = sdk().embeddings().create(params
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT).build()).data().get(0).embedding();

        HttpResponseFor<CreateEmbeddingResponse> raw = sdk().withRawResponse().embeddings().create(params
                .encodingFormat(EmbeddingCreateParams.EncodingFormat.BASE64).build());
        CreateEmbeddingResponse base64 = raw.parse();

        assertThat(SIM.lastRequest().body().path("encoding_format").asString()).isEqualTo("base64");
        assertThat(decodedVector(base64)).as("the same vector, little-endian float32 in base64").isEqualTo(floats);
        assertEmbeddingBilled(usageOf(raw));
    }

    @Test
    void shouldSendAzureEmbeddingsToTheDeploymentsPath() {
        EntityExchangeResult<byte[]> result = post("/v1/embeddings",
                "{\"model\":\"embed-azure\",\"input\":[[1,2,3],[4,5]]}", 200);

        JsonNode body = Json.mapper().readTree(result.getResponseBody());
        assertThat(body.path("data")).hasSize(2);
        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.path()).isEqualTo("/openai/deployments/embed-prod/embeddings");
        assertThat(sent.query()).contains("api-version=2024-10-21");
        assertThat(sent.header("api-key")).as("Azure's key header").isNotNull();
        assertEmbeddingBilled(fixture.usageOf(result));
    }

    private static void assertEmbeddingBilled(UsageEvent event) {
        assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
        assertThat(event.estimated()).isFalse();
        assertThat(event.tokens()).isEqualTo(new TokenUsage(PROMPT, 0, 0, 0, 0, 1, 0, 0));
        // Input only: 42 tokens at $0.02 per million (0.84 micros, rounded up by the one formula).
        assertThat(Cost.micros(event.tokens(), EMBED_PRICE, 10_000)).isEqualTo(1);
    }

    // ---- legacy completions ----

    @Test
    void shouldCompleteWithTheSdkAndBillLikeChat() {
        HttpResponseFor<Completion> raw = sdk().withRawResponse().completions().create(
                CompletionCreateParams.builder()
                        .model("instruct")
                        .prompt("Say hello")
                        .maxTokens(20)
                        .build());
        Completion completion = raw.parse();

        assertThat(completion.choices().get(0).text()).isEqualTo("tok0 tok1 tok2 ");
        assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(OUTPUT);
        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/completions");
        assertThat(sent.body().path("model").asString()).isEqualTo("gpt-3.5-turbo-instruct");

        assertCompletionBilled(usageOf(raw));
    }

    @Test
    void shouldStreamCompletionsAndDropTheForcedUsageChunkWhenTheClientDidNotAsk() {
        List<Completion> chunks = new ArrayList<>();
        String requestId = stream(CompletionCreateParams.builder()
                .model("instruct")
                .prompt("Say hello")
                .build(), chunks);

        StringBuilder text = new StringBuilder();
        chunks.forEach(chunk -> chunk.choices().forEach(choice -> text.append(choice.text())));
        assertThat(text.toString()).isEqualTo("tok0 tok1 tok2 ");
        assertThat(chunks).allSatisfy(chunk -> assertThat(chunk.usage()).isEmpty());
        JsonNode sent = SIM.lastRequest().body();
        assertThat(sent.at("/stream_options/include_usage").booleanValue()).as("forced upstream").isTrue();
        assertCompletionBilled(fixture.usageOf(requestId));
    }

    @Test
    void shouldStreamCompletionsWithTheUsageChunkWhenTheClientAsks() {
        List<Completion> chunks = new ArrayList<>();
        String requestId = stream(CompletionCreateParams.builder()
                .model("instruct")
                .prompt("Say hello")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build(), chunks);

        Completion last = chunks.get(chunks.size() - 1);
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().promptTokens()).isEqualTo(PROMPT);
        assertCompletionBilled(fixture.usageOf(requestId));
    }

    private static void assertCompletionBilled(UsageEvent event) {
        assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
        assertThat(event.estimated()).isFalse();
        assertThat(event.tokens()).isEqualTo(new TokenUsage(PROMPT, 0, 0, OUTPUT, 0, 1, 0, 0));
        // 42 × $1.50 + 3 × $2 per million = 63 + 6 micros.
        assertThat(Cost.micros(event.tokens(), INSTRUCT_PRICE, 10_000)).isEqualTo(69);
    }

    // ---- moderations and images ----

    @Test
    void shouldPassModerationsThroughAndBillThemPerRequestWhenTheModelIsOmitted() {
        EntityExchangeResult<byte[]> result = post("/v1/moderations",
                "{\"input\":[\"a kind word\",\"graphic violence\"]}", 200);

        JsonNode body = Json.mapper().readTree(result.getResponseBody());
        assertThat(body.at("/results/0/flagged").booleanValue()).isFalse();
        assertThat(body.at("/results/1/categories/violence").booleanValue()).isTrue();
        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/moderations");
        assertThat(sent.body().has("model")).as("the upstream's own default, as asked").isFalse();
        UsageEvent event = fixture.usageOf(result);
        assertThat(event.modelAsked()).isEqualTo("omni-moderation-latest");
        assertThat(event.estimated()).isFalse();
        assertThat(event.tokens()).isEqualTo(new TokenUsage(0, 0, 0, 0, 0, 1, 0, 0));
        assertThat(Cost.micros(event.tokens(), MODERATION_PRICE, 10_000)).isEqualTo(100);
    }

    @Test
    void shouldBillImagesPerImageTheAnswerHolds() {
        EntityExchangeResult<byte[]> result = post("/v1/images/generations",
                "{\"model\":\"dall-e-3\",\"prompt\":\"a red fox\",\"n\":2}", 200);

        JsonNode body = Json.mapper().readTree(result.getResponseBody());
        assertThat(body.path("data")).hasSize(2);
        assertThat(body.at("/data/0/url").asString()).endsWith(".png");
        assertThat(SIM.lastRequest().path()).isEqualTo("/v1/images/generations");
        UsageEvent event = fixture.usageOf(result);
        assertThat(event.images()).isEqualTo(2);
        assertThat(event.estimated()).isFalse();
        assertThat(Cost.micros(event.tokens(), IMAGE_PRICE, 10_000)).isEqualTo(80_000);
    }

    @Test
    void shouldBillGptImageTokensAsTheUpstreamReportsThem() {
        SIM.config(SIM.config().withCompletionTokens(272));
        EntityExchangeResult<byte[]> result = post("/v1/images/generations",
                "{\"model\":\"gpt-image-1\",\"prompt\":\"a red fox\"}", 200);

        assertThat(Json.mapper().readTree(result.getResponseBody()).at("/data/0/b64_json").asString()).isNotEmpty();
        UsageEvent event = fixture.usageOf(result);
        assertThat(event.tokens()).isEqualTo(new TokenUsage(PROMPT, 0, 0, 272, 0, 1, 1, 0));
    }

    // ---- the model listing ----

    @Test
    void shouldListEachModelOwnedByItsChannelsProvider() {
        JsonNode data = models(key);

        assertThat(ownerOf(data, "embed")).isEqualTo("openai");
        assertThat(ownerOf(data, "embed-azure")).isEqualTo("azure");
        assertThat(ownerOf(data, "claude-embed")).isEqualTo("anthropic");
    }

    @Test
    void shouldListOnlyTheModelsAKeyMayUseWhenItHasAnAllowList() {
        JsonNode data = models(embedOnlyKey);

        List<String> ids = new ArrayList<>();
        data.forEach(entry -> ids.add(entry.path("id").asString()));
        assertThat(ids).containsExactly("embed", "embed-azure");
    }

    private JsonNode models(String apiKey) {
        byte[] body = client.get().uri("/v1/models")
                .header("Authorization", "Bearer " + apiKey)
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult().getResponseBody();
        return Json.mapper().readTree(body).path("data");
    }

    private static String ownerOf(JsonNode data, String model) {
        for (JsonNode entry : data) {
            if (entry.path("id").asString().equals(model)) {
                return entry.path("owned_by").asString();
            }
        }
        return null;
    }

    // ---- refusals ----

    @Test
    void shouldRefuseBadEmbeddingsInputInOpenAiErrorJsonWithoutCallingUpstream() {
        assertRefused(post("/v1/embeddings", "{\"model\":\"embed\"}", 400), "input");
        assertRefused(post("/v1/embeddings", "{\"model\":\"embed\",\"input\":[]}", 400), "input");
        assertRefused(post("/v1/embeddings", "{\"model\":\"embed\",\"input\":[\"a\",1]}", 400), "input[1]");
        assertRefused(post("/v1/embeddings", "{\"model\":\"embed\",\"input\":\"a\",\"encoding_format\":\"hex\"}",
                400), "encoding_format");
        assertRefused(post("/v1/embeddings", "{\"model\":\"embed\",\"input\":\"a\",\"dimensions\":0}", 400),
                "dimensions");
        assertRefused(post("/v1/completions", "{\"model\":\"instruct\",\"prompt\":{}}", 400), "prompt");
        assertRefused(post("/v1/completions", "{\"model\":\"instruct\",\"prompt\":\"a\",\"stream\":\"yes\"}", 400),
                "stream");
        assertRefused(post("/v1/moderations", "{\"input\":[1,2]}", 400), "input");
        assertRefused(post("/v1/images/generations", "{\"model\":\"dall-e-3\",\"prompt\":\"\"}", 400), "prompt");
        assertRefused(post("/v1/images/generations", "{\"model\":\"dall-e-3\",\"prompt\":\"a\",\"n\":11}", 400),
                "n");
        assertThat(SIM.requests()).isEmpty();
    }

    @Test
    void shouldRefuseEmbeddingsForAModelServedOnlyByAnotherDialectWithoutCallingUpstream() {
        EntityExchangeResult<byte[]> result = post("/v1/embeddings", "{\"model\":\"claude-embed\",\"input\":\"a\"}",
                400);

        JsonNode error = Json.mapper().readTree(result.getResponseBody()).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("message").asString()).contains("/v1/embeddings").contains("claude-embed");
        assertThat(SIM.requests()).isEmpty();
        UsageEvent event = fixture.usageOf(result);
        assertThat(event.status()).isEqualTo(UsageStatus.REJECTED);
        assertThat(event.attempts()).isEmpty();
    }

    private static void assertRefused(EntityExchangeResult<byte[]> result, String param) {
        JsonNode error = Json.mapper().readTree(result.getResponseBody()).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asString()).isEqualTo(param);
        assertThat(error.path("message").asString()).isNotBlank();
    }

    // ---- helpers ----

    private EntityExchangeResult<byte[]> post(String path, String body, int status) {
        return RelayCalls.postJson(client, path, key, body, status);
    }

    private static UsageEvent usageOf(HttpResponse raw) {
        return fixture.usageOf(raw.requestId().orElseThrow());
    }

    /** Streams a completion into {@code chunks}; its request id. */
    private String stream(CompletionCreateParams params, List<Completion> chunks) {
        try (HttpResponseFor<StreamResponse<Completion>> raw = sdk().withRawResponse().completions()
                .createStreaming(params); StreamResponse<Completion> stream = raw.parse()) {
            stream.stream().forEach(chunks::add);
            return raw.requestId().orElseThrow();
        }
    }

    private static double norm(List<Float> vector) {
        double sum = 0;
        for (float value : vector) {
            sum += value * value;
        }
        return Math.sqrt(sum);
    }

    private static List<Float> decodedVector(CreateEmbeddingResponse response) {
        var value = response.data().get(0).embeddingValue();
        if (value.isFloats()) {
            return value.asFloats(); // an SDK that decodes base64 itself
        }
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(value.asBase64())).order(ByteOrder.LITTLE_ENDIAN);
        List<Float> floats = new ArrayList<>();
        while (bytes.hasRemaining()) {
            floats.add(bytes.getFloat());
        }
        return floats;
    }
}
