package dev.tollgate.relay.api.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import com.google.genai.Client;
import com.google.genai.types.ContentEmbedding;
import com.google.genai.types.EmbedContentConfig;
import com.google.genai.types.EmbedContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponseFor;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.Cost;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.relay.metering.TokenCounter;
import dev.tollgate.relay.support.RelayFixture;
import dev.tollgate.simulator.RecordedRequest;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.util.List;
import java.util.Map;
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
 * Embeddings across dialects and {@code /v1/rerank}, through the running relay: Gemini's {@code embedContent} (with
 * Google's own SDK) served by an OpenAI channel, {@code batchEmbedContents} and OpenAI's {@code /v1/embeddings} by a
 * Gemini channel (its answer reports no usage: the relay's count is billed, marked estimated), rerank passed through
 * to a vLLM channel (reported tokens) and a Cohere-compatible one (search units as requests). Every request's usage
 * event is read back from Kafka; bad input is refused in the caller's dialect before any upstream is called.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class EmbeddingsAndRerankIT {

    private static final Simulator SIM = Simulator.start(0);
    private static RelayFixture fixture;
    private static String key;

    private static final int PROMPT = 42;
    private static final String CHANNEL_GEMINI_KEY = "AIza-sim-embed";
    private static final Price OPENAI_EMBED = Price.perMTok(20_000, 0);
    private static final Price GEMINI_EMBED = Price.perMTok(150_000, 0);
    private static final Price VLLM_RERANK = new Price(50_000, 0, 0, 0, 10, 0, 0);
    private static final Price COHERE_RERANK = new Price(0, 0, 0, 0, 2_000, 0, 0);

    @Autowired
    WebTestClient client;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        prepare();
        fixture.register(registry, "relay-embed-rerank");
    }

    private static synchronized void prepare() throws Exception {
        if (fixture != null) {
            return;
        }
        fixture = new RelayFixture();
        long user = fixture.insertUser("embedder", 1_000_000_000L);
        key = CustomerKeys.generate();
        fixture.insertKey(user, key);
        fixture.insertChannel("sim-openai", "openai", SIM.baseUrl(), "sk-sim", List.of("embed-oa", "rerank-none"),
                Map.of("embed-oa", "text-embedding-3-small"), null);
        fixture.insertChannel("sim-gemini", "gemini", SIM.geminiBaseUrl(), CHANNEL_GEMINI_KEY,
                List.of("text-embedding-004", "gem-embed"), Map.of("gem-embed", "text-embedding-004"), null);
        fixture.insertChannel("sim-vllm", "vllm", SIM.baseUrl(), null, List.of("rerank-v"),
                Map.of("rerank-v", "BAAI/bge-reranker-base"), null);
        // A Cohere-compatible server behind a custom base URL: rerank switched on by the channel's config.
        fixture.insertChannel("sim-cohere", "openai", SIM.baseUrl().replace("/v1", "/v2"), "co-key",
                List.of("rerank-c"), Map.of(), Map.of("rerank", true));
        fixture.insertChannel("sim-azure", "azure", SIM.azureBaseUrl(), "azure-key", List.of("embed-az"), Map.of(),
                Map.of("apiVersion", "2024-10-21", "deployments", Map.of("embed-az", "embed-prod")));
        fixture.insertPrice("embed-oa", OPENAI_EMBED.inputMicrosPerMTok(), 0);
        fixture.insertPrice("embed-az", OPENAI_EMBED.inputMicrosPerMTok(), 0);
        fixture.insertPrice("text-embedding-004", GEMINI_EMBED.inputMicrosPerMTok(), 0);
        fixture.insertPrice("gem-embed", GEMINI_EMBED.inputMicrosPerMTok(), 0);
        fixture.insertPrice("rerank-none", 1_000, 0);
        fixture.insertPrice("rerank-v", VLLM_RERANK);
        fixture.insertPrice("rerank-c", COHERE_RERANK);
    }

    @AfterAll
    static void tearDown() {
        fixture.close();
        SIM.close();
    }

    @BeforeEach
    void ready() {
        SIM.reset();
        SIM.config(SimulatorConfig.defaults().withPromptTokens(PROMPT));
        RelayFixture.awaitReady(client);
    }

    // ---- Gemini in ----

    @Test
    void shouldEmbedWithGooglesSdkThroughAnOpenAiChannelAndBillTheReportedTokens() {
        EmbedContentResponse response = genai().models.embedContent("embed-oa", "hello relay",
                EmbedContentConfig.builder().outputDimensionality(8).taskType("RETRIEVAL_QUERY").build());

        List<ContentEmbedding> embeddings = response.embeddings().orElseThrow();
        assertThat(embeddings).hasSize(1);
        List<Float> values = embeddings.get(0).values().orElseThrow();
        assertThat(values).hasSize(8);
        assertThat(norm(values)).isCloseTo(1.0, offset(1e-4));
        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/embeddings");
        assertThat(sent.body().path("model").asString()).isEqualTo("text-embedding-3-small");
        assertThat(sent.body().path("dimensions").asInt()).isEqualTo(8);
        assertThat(sent.body().path("input").get(0).asString()).isEqualTo("hello relay");
        assertThat(sent.body().has("taskType")).as("OpenAI has no place for Gemini's hints").isFalse();

        UsageEvent event = fixture.awaitUsage(e -> "embed-oa".equals(e.modelAsked()) && "gemini".equals(e.dialect()));
        assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
        assertThat(event.estimated()).isFalse();
        assertThat(event.modelServed()).isEqualTo("text-embedding-3-small");
        assertThat(event.tokens()).isEqualTo(new TokenUsage(PROMPT, 0, 0, 0, 0, 1, 0, 0));
        // 42 tokens at $0.02 per million: 0.84 micros, rounded up by the one formula.
        assertThat(Cost.micros(event.tokens(), OPENAI_EMBED, 10_000)).isEqualTo(1);
    }

    @Test
    void shouldBatchEmbedThroughAGeminiChannelAndBillTheLocalCountMarkedEstimated() {
        String body = """
                {"requests":[
                  {"model":"models/text-embedding-004","content":{"parts":[{"text":"What is the meaning of life?"}]},
                   "taskType":"RETRIEVAL_QUERY","outputDimensionality":4},
                  {"model":"models/text-embedding-004",
                   "content":{"parts":[{"text":"How much wood would a woodchuck chuck?"}]},
                   "taskType":"RETRIEVAL_DOCUMENT","title":"Woodchucks","outputDimensionality":4}]}""";
        EntityExchangeResult<byte[]> result = post("/v1beta/models/text-embedding-004:batchEmbedContents?key=" + key,
                body, 200);

        JsonNode answer = Json.mapper().readTree(result.getResponseBody());
        assertThat(answer.path("embeddings")).hasSize(2);
        assertThat(answer.path("embeddings").get(1).path("values")).hasSize(4);
        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1beta/models/text-embedding-004:batchEmbedContents");
        assertThat(sent.googApiKey()).as("the channel key, in Google's header").isTrue();
        JsonNode second = sent.body().path("requests").get(1);
        assertThat(second.path("model").asString()).isEqualTo("models/text-embedding-004");
        assertThat(second.path("taskType").asString()).isEqualTo("RETRIEVAL_DOCUMENT");
        assertThat(second.path("title").asString()).isEqualTo("Woodchucks");

        UsageEvent event = fixture.usageOf(result);
        long counted = TokenCounter.count("What is the meaning of life?")
                + TokenCounter.count("How much wood would a woodchuck chuck?") + TokenCounter.count("Woodchucks");
        assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
        assertThat(event.dialect()).isEqualTo("gemini");
        assertThat(event.estimated()).as("Gemini reports no usage: the relay counted").isTrue();
        assertThat(event.tokens()).isEqualTo(new TokenUsage(counted, 0, 0, 0, 0, 1, 0, 0));
        assertThat(Cost.micros(event.tokens(), GEMINI_EMBED, 10_000))
                .isEqualTo((counted * GEMINI_EMBED.inputMicrosPerMTok() + 999_999) / 1_000_000);
    }

    @Test
    void shouldRefuseABadEmbedContentInGooglesErrorShapeWithoutCallingUpstream() {
        EntityExchangeResult<byte[]> result = post("/v1beta/models/text-embedding-004:embedContent?key=" + key,
                "{\"content\":{\"parts\":[]}}", 400);

        JsonNode error = Json.mapper().readTree(result.getResponseBody()).path("error");
        assertThat(error.path("code").asInt()).isEqualTo(400);
        assertThat(error.path("status").asString()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.path("message").asString()).contains("content.parts");
        assertThat(SIM.requests()).isEmpty();
        assertThat(fixture.usageOf(result).status()).isEqualTo(UsageStatus.REJECTED);
    }

    @Test
    void shouldEmbedOneContentWhenEmbedContentIsCalledDirectly() {
        EntityExchangeResult<byte[]> result = post("/v1beta/models/embed-oa:embedContent?key=" + key,
                "{\"content\":{\"parts\":[{\"text\":\"one\"}]},\"outputDimensionality\":3}", 200);

        JsonNode answer = Json.mapper().readTree(result.getResponseBody());
        assertThat(answer.path("embedding").path("values")).hasSize(3);
        assertThat(fixture.usageOf(result).tokens().inputTokens()).isEqualTo(PROMPT);
    }

    @Test
    void shouldBatchEmbedThroughAnAzureDeploymentWhenThatChannelServesTheModel() {
        EntityExchangeResult<byte[]> result = post("/v1beta/models/embed-az:batchEmbedContents?key=" + key,
                "{\"requests\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}},"
                        + "{\"content\":{\"parts\":[{\"text\":\"b\"}]}}]}", 200);

        assertThat(Json.mapper().readTree(result.getResponseBody()).path("embeddings")).hasSize(2);
        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.path()).isEqualTo("/openai/deployments/embed-prod/embeddings");
        assertThat(sent.body().path("input")).hasSize(2);
        UsageEvent event = fixture.usageOf(result);
        assertThat(event.provider()).isEqualTo("azure");
        assertThat(event.tokens()).isEqualTo(new TokenUsage(PROMPT, 0, 0, 0, 0, 1, 0, 0));
    }

    // ---- OpenAI in, Gemini out ----

    @Test
    void shouldServeOpenAiEmbeddingsFromAGeminiChannelWithTheModelMapped() {
        HttpResponseFor<CreateEmbeddingResponse> raw = openAi().withRawResponse().embeddings().create(
                EmbeddingCreateParams.builder()
                        .model("gem-embed")
                        .inputOfArrayOfStrings(List.of("hello", "gemini upstream"))
                        .dimensions(6)
                        .encodingFormat(EmbeddingCreateParams.EncodingFormat.FLOAT)
                        .build());
        CreateEmbeddingResponse response = raw.parse();

        long counted = TokenCounter.count("hello") + TokenCounter.count("gemini upstream");
        assertThat(response.data()).hasSize(2);
        assertThat(response.data().get(1).embedding()).hasSize(6);
        assertThat(response.model()).isEqualTo("gem-embed");
        assertThat(response.usage().promptTokens()).as("the relay's count").isEqualTo(counted);
        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1beta/models/text-embedding-004:batchEmbedContents");
        assertThat(sent.body().path("requests").get(0).path("model").asString()).isEqualTo("models/text-embedding-004");
        assertThat(sent.body().path("requests").get(0).path("outputDimensionality").asInt()).isEqualTo(6);

        UsageEvent event = fixture.awaitUsage(e -> e.requestId().equals(raw.requestId().orElseThrow()));
        assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
        assertThat(event.provider()).isEqualTo("gemini");
        assertThat(event.estimated()).isTrue();
        assertThat(event.tokens()).isEqualTo(new TokenUsage(counted, 0, 0, 0, 0, 1, 0, 0));
    }

    @Test
    void shouldRefuseTokenIdInputForAGeminiChannelInOpenAisShape() {
        EntityExchangeResult<byte[]> result = post("/v1/embeddings", "{\"model\":\"gem-embed\",\"input\":[[1,2,3]]}",
                400);

        JsonNode error = Json.mapper().readTree(result.getResponseBody()).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(SIM.requests()).isEmpty();
    }

    // ---- rerank ----

    @Test
    void shouldPassRerankToAVllmChannelAndBillItsReportedTokensAndTheRequest() {
        EntityExchangeResult<byte[]> result = post("/v1/rerank", """
                {"model":"rerank-v","query":"capital of France",
                 "documents":["The capital of Brazil is Brasilia.",{"text":"The capital of France is Paris."}],
                 "top_n":1,"return_documents":true}""", 200);

        JsonNode answer = Json.mapper().readTree(result.getResponseBody());
        assertThat(answer.path("results")).hasSize(1);
        assertThat(answer.path("results").get(0).path("index").asInt()).isEqualTo(1);
        assertThat(answer.path("usage").path("total_tokens").asLong()).isEqualTo(PROMPT);
        RecordedRequest sent = SIM.lastRequest();
        assertThat(sent.path()).isEqualTo("/v1/rerank");
        assertThat(sent.body().path("model").asString()).isEqualTo("BAAI/bge-reranker-base");

        UsageEvent event = fixture.usageOf(result);
        assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
        assertThat(event.estimated()).isFalse();
        assertThat(event.tokens()).isEqualTo(new TokenUsage(PROMPT, 0, 0, 0, 0, 1, 0, 0));
        // 42 tokens at $0.05 per million (2.1 micros) + 10 micros for the request, rounded up once: 13.
        assertThat(Cost.micros(event.tokens(), VLLM_RERANK, 10_000)).isEqualTo(13);
    }

    @Test
    void shouldBillCohereSearchUnitsAsRequestsWhenTheAnswerCountsThem() {
        StringBuilder documents = new StringBuilder();
        for (int i = 0; i < 150; i++) {
            documents.append(i == 0 ? "" : ",").append("\"doc ").append(i).append('"');
        }
        EntityExchangeResult<byte[]> result = post("/v1/rerank",
                "{\"model\":\"rerank-c\",\"query\":\"doc 7\",\"documents\":[" + documents + "],\"top_n\":3}", 200);

        JsonNode answer = Json.mapper().readTree(result.getResponseBody());
        assertThat(answer.path("results")).hasSize(3);
        assertThat(answer.path("meta").path("billed_units").path("search_units").asInt()).isEqualTo(2);
        assertThat(SIM.lastRequest().path()).isEqualTo("/v2/rerank");

        UsageEvent event = fixture.usageOf(result);
        assertThat(event.estimated()).isFalse();
        assertThat(event.tokens()).isEqualTo(new TokenUsage(0, 0, 0, 0, 0, 2, 0, 0));
        assertThat(Cost.micros(event.tokens(), COHERE_RERANK, 10_000)).isEqualTo(4_000);
    }

    @Test
    void shouldRefuseRerankWithoutAQueryInOpenAisShape() {
        EntityExchangeResult<byte[]> result = post("/v1/rerank", "{\"model\":\"rerank-v\",\"documents\":[\"a\"]}", 400);

        JsonNode error = Json.mapper().readTree(result.getResponseBody()).path("error");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asString()).isEqualTo("query");
        assertThat(SIM.requests()).isEmpty();
        assertThat(fixture.usageOf(result).status()).isEqualTo(UsageStatus.REJECTED);
    }

    @Test
    void shouldRefuseRerankForAModelWhoseChannelsOfferNoneWithoutCallingUpstream() {
        EntityExchangeResult<byte[]> result = post("/v1/rerank",
                "{\"model\":\"rerank-none\",\"query\":\"q\",\"documents\":[\"a\"]}", 400);

        JsonNode error = Json.mapper().readTree(result.getResponseBody()).path("error");
        assertThat(error.path("message").asString()).contains("/v1/rerank").contains("rerank-none");
        assertThat(SIM.requests()).isEmpty();
    }

    // ---- helpers ----

    private Client genai() {
        return Client.builder()
                .apiKey(key)
                .httpOptions(HttpOptions.builder()
                        .baseUrl("http://127.0.0.1:" + port)
                        .apiVersion("v1beta")
                        .retryOptions(HttpRetryOptions.builder().attempts(1).build())
                        .build())
                .build();
    }

    private OpenAIClient openAi() {
        return OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + port + "/v1")
                .apiKey(key)
                .maxRetries(0)
                .build();
    }

    private EntityExchangeResult<byte[]> post(String path, String body, int status) {
        // Gemini's calls carry the key in ?key= only, as Google's REST examples do.
        return client.post().uri(path)
                .headers(headers -> {
                    if (!path.startsWith("/v1beta/")) {
                        headers.setBearerAuth(key);
                    }
                })
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange()
                .expectStatus().isEqualTo(status)
                .expectBody().returnResult();
    }

    private static double norm(List<Float> vector) {
        double sum = 0;
        for (float value : vector) {
            sum += value * value;
        }
        return Math.sqrt(sum);
    }
}
