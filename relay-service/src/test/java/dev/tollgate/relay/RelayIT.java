package dev.tollgate.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.ChangeEnvelope;
import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.relay.snapshot.RelaySnapshot;
import dev.tollgate.relay.support.RelayFixture;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import dev.tollgate.testsupport.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

// Upstream failures are this class's subject, not breakers (FailoverIT's): none opens here.
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"tollgate.relay.routing.breaker.sliding-window=1000",
                "tollgate.relay.routing.breaker.minimum-calls=1000"})
@AutoConfigureWebTestClient
class RelayIT {

    private static final String UPSTREAM_KEY = "sk-upstream-secret-42";
    private static final String RELAY_ID = "relay-it";
    private static final int MAX_BODY = 64 * 1024;

    private static final Simulator SIM = Simulator.start(0);
    private static RelayFixture fixture;

    private static final String KEY_RICH = CustomerKeys.generate();
    private static final String KEY_BROKE = CustomerKeys.generate();
    private static final String KEY_TOGGLE = CustomerKeys.generate();
    private static final String KEY_TOPUP = CustomerKeys.generate();
    private static final String KEY_EARLY_LEAVER = CustomerKeys.generate();
    private static final String KEY_ROTATED_OLD = CustomerKeys.generate();
    private static final String KEY_ROTATED_NEW = CustomerKeys.generate();
    private static long rotatedOldKeyId;
    private static long richUser;
    private static long topupUser;
    private static long richKeyId;
    private static long toggleKeyId;
    private static long earlyLeaverKeyId;

    @Autowired
    WebTestClient client;

    @Autowired
    RelaySnapshot relaySnapshot;

    @LocalServerPort
    int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        prepare();
        fixture.register(registry, RELAY_ID);
        registry.add("tollgate.relay.max-body-bytes", () -> MAX_BODY + "B");
    }

    private static synchronized void prepare() throws Exception {
        if (fixture != null) {
            return;
        }
        fixture = new RelayFixture();
        richUser = fixture.insertUser("rich", 10_000_000);
        long brokeUser = fixture.insertUser("broke", 0);
        topupUser = fixture.insertUser("topup", 0);
        richKeyId = fixture.insertKey(richUser, KEY_RICH);
        earlyLeaverKeyId = fixture.insertKey(richUser, KEY_EARLY_LEAVER);
        fixture.insertKey(brokeUser, KEY_BROKE);
        toggleKeyId = fixture.insertKey(richUser, KEY_TOGGLE);
        fixture.insertKey(topupUser, KEY_TOPUP);
        rotatedOldKeyId = fixture.insertKey(richUser, KEY_ROTATED_OLD);
        fixture.insertKey(richUser, KEY_ROTATED_NEW);
        fixture.insertChannel("simulator", "openai", SIM.baseUrl(), UPSTREAM_KEY,
                List.of("gpt-4o-mini", "mapped-model", "unpriced-model"), Map.of("mapped-model", "gpt-4o"), null);
        // Nothing listens on port 1: every call to this channel fails to connect.
        fixture.insertChannel("unreachable", "openai", "http://127.0.0.1:1/v1", UPSTREAM_KEY,
                List.of("unreachable-model"), Map.of(), null);
        // $0.15 / $0.60 per million tokens
        fixture.insertPrice("gpt-4o-mini", 150_000, 600_000);
        fixture.insertPrice("unreachable-model", 150_000, 600_000);
        fixture.insertPrice("mapped-model", 150_000, 600_000);
    }

    @AfterAll
    static void tearDown() {
        SIM.close();
        fixture.close();
    }

    @BeforeEach
    void ready() {
        SIM.reset();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> client.get().uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isOk());
    }

    // ---- helpers ----

    private WebTestClient.ResponseSpec chat(String key, String body) {
        WebTestClient.RequestBodySpec spec = client.post().uri("/v1/chat/completions")
                .contentType(MediaType.APPLICATION_JSON);
        if (key != null) {
            spec = spec.header("Authorization", "Bearer " + key);
        }
        return spec.bodyValue(body).exchange();
    }

    private static String chatBody(String model, boolean stream, boolean includeUsage) {
        String s = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello to the relay.\"}]"
                + ",\"max_tokens\":100";
        if (stream) {
            s += ",\"stream\":true";
        }
        if (includeUsage) {
            s += ",\"stream_options\":{\"include_usage\":true}";
        }
        return s + "}";
    }

    private static UsageEvent awaitUsage(Predicate<UsageEvent> match) {
        return fixture.awaitUsage(match);
    }

    private static JsonNode json(byte[] body) {
        return Json.mapper().readTree(body);
    }

    private static List<String> sseData(byte[] body) {
        return new String(body, StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("data:"))
                .map(l -> l.substring(5).trim())
                .collect(Collectors.toList());
    }

    private static void publishChange(Change change) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(fixture.topics().changes(), change.entityKey(),
                    EventCodec.encode(ChangeEnvelope.of(change)))).get();
        }
    }

    private void expectError(WebTestClient.ResponseSpec response, int status, String type, String code) {
        EntityExchangeResult<byte[]> result = response.expectStatus().isEqualTo(status)
                .expectBody().returnResult();
        JsonNode error = json(result.getResponseBody()).path("error");
        assertThat(error.path("type").asString()).isEqualTo(type);
        if (code != null) {
            assertThat(error.path("code").asString()).isEqualTo(code);
        }
        assertThat(error.path("message").asString()).isNotBlank();
        assertThat(new String(result.getResponseBody(), StandardCharsets.UTF_8)).doesNotContain("Exception");
    }

    // ---- tests ----

    @Test
    void shouldPassUpstreamBodyThroughAndPublishUsageWhenCallIsNotStreamed() {
        SIM.config(SimulatorConfig.defaults().withPromptTokens(42).withCompletionTokens(7));
        EntityExchangeResult<byte[]> result = chat(KEY_RICH, chatBody("gpt-4o-mini", false, false))
                .expectStatus().isOk()
                .expectBody().returnResult();
        JsonNode body = json(result.getResponseBody());
        String requestId = result.getResponseHeaders().getFirst("x-request-id");

        assertThat(body.path("object").asString()).isEqualTo("chat.completion");
        assertThat(body.path("system_fingerprint").asString()).isEqualTo("fp_simulator");
        assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(42);
        assertThat(SIM.stats().lastAuthorization()).isEqualTo("Bearer " + UPSTREAM_KEY);

        UsageEvent event = awaitUsage(e -> e.requestId().equals(requestId));
        assertThat(event.status()).isEqualTo(UsageStatus.SUCCESS);
        assertThat(event.inputTokens()).isEqualTo(42);
        assertThat(event.outputTokens()).isEqualTo(7);
        assertThat(event.requests()).as("one billable request").isEqualTo(1);
        assertThat(event.estimated()).isFalse();
        assertThat(event.userId()).isEqualTo(richUser);
        assertThat(event.relayId()).isEqualTo(RELAY_ID);
        assertThat(event.relaySeq()).isGreaterThan(System.currentTimeMillis() * 1000 - 3_600_000_000L);
        assertThat(event.priceVersion()).isEqualTo(1);
        assertThat(event.dialect()).isEqualTo("openai");
        assertThat(event.provider()).isEqualTo("openai");
        assertThat(event.attempts()).hasSize(1);
    }

    @Test
    void shouldSendMappedModelUpstreamWhenChannelMapsIt() {
        chat(KEY_RICH, chatBody("mapped-model", false, false)).expectStatus().isOk();
        assertThat(json(SIM.stats().lastRequestBody().getBytes(StandardCharsets.UTF_8)).path("model").asString())
                .isEqualTo("gpt-4o");
    }

    @Test
    void shouldStreamChunksWithoutUsageChunkWhenClientDidNotAskForUsage() {
        SIM.config(SimulatorConfig.defaults().withChunks(4));
        EntityExchangeResult<byte[]> result = chat(KEY_RICH, chatBody("gpt-4o-mini", true, false))
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .expectBody().returnResult();
        List<String> data = sseData(result.getResponseBody());
        String raw = new String(result.getResponseBody(), StandardCharsets.UTF_8);

        // Framed as OpenAI frames it ("data: " with a space), for clients that split on exactly that.
        assertThat(raw).startsWith("data: {").endsWith("data: [DONE]\n\n").doesNotContain("\ndata:{");
        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        assertThat(data).filteredOn(d -> d.contains("\"content\":\"tok")).hasSize(4);
        assertThat(data).noneMatch(d -> d.contains("\"prompt_tokens\""));
        JsonNode upstreamBody = json(SIM.stats().lastRequestBody().getBytes(StandardCharsets.UTF_8));
        assertThat(upstreamBody.path("stream_options").path("include_usage").booleanValue()).isTrue();

        String requestId = result.getResponseHeaders().getFirst("x-request-id");
        UsageEvent event = awaitUsage(e -> e.requestId().equals(requestId));
        assertThat(event.estimated()).isFalse();
        assertThat(event.outputTokens()).isEqualTo(4);
        assertThat(event.ttftMs()).isNotNull();
    }

    @Test
    void shouldKeepUsageChunkWhenClientAskedForUsage() {
        SIM.config(SimulatorConfig.defaults().withChunks(3).withPromptTokens(11));
        EntityExchangeResult<byte[]> result = chat(KEY_RICH, chatBody("gpt-4o-mini", true, true))
                .expectStatus().isOk()
                .expectBody().returnResult();
        List<String> data = sseData(result.getResponseBody());

        assertThat(data.get(data.size() - 1)).isEqualTo("[DONE]");
        JsonNode usageChunk = json(data.get(data.size() - 2).getBytes(StandardCharsets.UTF_8));
        assertThat(usageChunk.path("choices").size()).isZero();
        assertThat(usageChunk.path("usage").path("prompt_tokens").asInt()).isEqualTo(11);
    }

    @Test
    void shouldCancelUpstreamAndChargeWhatWasGeneratedWhenClientDisconnectsMidStream() {
        SIM.config(SimulatorConfig.defaults().withChunks(20).withChunkDelayMs(200));
        WebClient webClient = WebClient.create("http://127.0.0.1:" + port);
        List<String> seen = webClient.post().uri("/v1/chat/completions")
                .header("Authorization", "Bearer " + KEY_RICH)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(chatBody("gpt-4o-mini", true, false))
                .retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .map(ServerSentEvent::data)
                .take(3) // the role chunk and two content chunks, then the client goes away
                .collectList()
                .block(Duration.ofSeconds(10));
        assertThat(seen).hasSize(3);

        await().atMost(Duration.ofSeconds(5)).until(() -> SIM.stats().cancelled() == 1);
        UsageEvent event = awaitUsage(e -> e.status() == UsageStatus.CANCELLED && e.keyId() == richKeyId);
        assertThat(event.estimated()).isTrue();
        assertThat(event.outputTokens()).isGreaterThan(0).isLessThan(20);
        assertThat(event.inputTokens()).isGreaterThan(0);
        assertThat(SIM.stats().completed()).isZero();
    }

    @Test
    void shouldAnswer401WithoutReachingUpstreamWhenKeyIsMissingOrUnknown() {
        expectError(chat(null, chatBody("gpt-4o-mini", false, false)), 401, "invalid_request_error", "invalid_api_key");
        expectError(chat(CustomerKeys.generate(), chatBody("gpt-4o-mini", false, false)), 401,
                "invalid_request_error", "invalid_api_key");
        expectError(chat("sk-not-ours", chatBody("gpt-4o-mini", false, false)), 401, "invalid_request_error",
                "invalid_api_key");
        assertThat(SIM.stats().requests()).isZero();
    }

    @Test
    void shouldAnswer400WithoutReachingUpstreamWhenBodyIsMalformedOrMistyped() {
        expectError(chat(KEY_RICH, "{\"model\": \"gpt-4o-mini\", "), 400, "invalid_request_error", null);
        EntityExchangeResult<byte[]> typed = chat(KEY_RICH, "{\"model\":\"gpt-4o-mini\",\"messages\":[],"
                + "\"max_tokens\":\"lots\"}").expectStatus().isEqualTo(400).expectBody().returnResult();
        assertThat(json(typed.getResponseBody()).path("error").path("param").asString()).isEqualTo("max_tokens");
        assertThat(SIM.stats().requests()).isZero();

        String requestId = typed.getResponseHeaders().getFirst("x-request-id");
        UsageEvent event = awaitUsage(e -> e.requestId().equals(requestId));
        assertThat(event.status()).isEqualTo(UsageStatus.REJECTED);
        assertThat(event.httpStatus()).isEqualTo(400);
        assertThat(event.errorClass()).isEqualTo("invalid_request");
        assertThat(event.inputTokens() + event.outputTokens()).isZero();
        assertThat(event.requests()).as("a rejected request is not billable").isZero();
    }

    @Test
    void shouldAnswer404WhenModelIsUnknown() {
        EntityExchangeResult<byte[]> result = chat(KEY_RICH, chatBody("no-such-model", false, false))
                .expectStatus().isNotFound().expectBody().returnResult();
        JsonNode error = json(result.getResponseBody()).path("error");
        assertThat(error.path("code").asString()).isEqualTo("model_not_found");
        assertThat(error.path("message").asString()).contains("`no-such-model`");
        assertThat(SIM.stats().requests()).isZero();
    }

    @Test
    void shouldAnswer413WhenBodyExceedsLimit() {
        String big = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
                + "x".repeat(MAX_BODY + 1000) + "\"}]}";
        expectError(chat(KEY_RICH, big), 413, "invalid_request_error", "request_too_large");
        assertThat(SIM.stats().requests()).isZero();
    }

    @Test
    void shouldAnswer429WhenBalanceIsExhausted() {
        expectError(chat(KEY_BROKE, chatBody("gpt-4o-mini", false, false)), 429, "insufficient_quota",
                "insufficient_quota");
        assertThat(SIM.stats().requests()).isZero();
    }

    @Test
    void shouldAnswerOpenAi404WhenPathIsUnknown() {
        expectError(client.get().uri("/v1/nothing-here").exchange(), 404, "invalid_request_error", null);
    }

    @Test
    void shouldListModelsOfKeysGroupWhenAskedForModels() {
        EntityExchangeResult<byte[]> result = client.get().uri("/v1/models")
                .header("Authorization", "Bearer " + KEY_RICH)
                .exchange()
                .expectStatus().isOk()
                .expectBody().returnResult();
        JsonNode body = json(result.getResponseBody());
        assertThat(body.path("object").asString()).isEqualTo("list");
        List<String> ids = new ArrayList<>();
        body.path("data").forEach(m -> ids.add(m.path("id").asString()));
        assertThat(ids).containsExactly("gpt-4o-mini", "mapped-model", "unpriced-model", "unreachable-model");
    }

    @Test
    void shouldRetrieveOneModelInEachDialectsShapeAndAnswer404ForAModelTheKeyCannotUse() {
        JsonNode openAi = json(client.get().uri("/v1/models/gpt-4o-mini").header("Authorization", "Bearer " + KEY_RICH)
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(openAi.path("id").asString()).isEqualTo("gpt-4o-mini");
        assertThat(openAi.path("object").asString()).isEqualTo("model");
        assertThat(openAi.path("owned_by").asString()).isNotBlank();

        JsonNode anthropic = json(client.get().uri("/v1/models/gpt-4o-mini").header("x-api-key", KEY_RICH)
                .header("anthropic-version", "2023-06-01")
                .exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody());
        assertThat(anthropic.path("type").asString()).isEqualTo("model");
        assertThat(anthropic.path("id").asString()).isEqualTo("gpt-4o-mini");

        JsonNode missing = json(client.get().uri("/v1/models/no-such-model").header("Authorization", "Bearer " + KEY_RICH)
                .exchange().expectStatus().isNotFound().expectBody().returnResult().getResponseBody());
        assertThat(missing.path("error").path("code").asString()).isEqualTo("model_not_found");
        JsonNode missingAnthropic = json(client.get().uri("/v1/models/no-such-model").header("x-api-key", KEY_RICH)
                .header("anthropic-version", "2023-06-01")
                .exchange().expectStatus().isNotFound().expectBody().returnResult().getResponseBody());
        assertThat(missingAnthropic.path("error").path("type").asString()).isEqualTo("not_found_error");
        client.get().uri("/v1/models/gpt-4o-mini").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void shouldServeARotatedKeyUntilItsGraceEndsAndThenRefuseItByTheClockAlone() throws Exception {
        Instant graceEnd = Instant.now().plusSeconds(10).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        // What the ledger announces for the old key when it is rotated: its grace as its expiry.
        publishChange(new Change.KeyChanged(rotatedOldKeyId, richUser, "k", CustomerKeys.hash(KEY_ROTATED_OLD),
                CustomerKeys.displayPrefix(KEY_ROTATED_OLD), null, null, 0, List.of(), List.of(), graceEnd, true, false,
                2));
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> relayHoldsExpiry(
                graceEnd));

        client.get().uri("/v1/models").header("Authorization", "Bearer " + KEY_ROTATED_OLD).exchange()
                .expectStatus().isOk();
        client.get().uri("/v1/models").header("Authorization", "Bearer " + KEY_ROTATED_NEW).exchange()
                .expectStatus().isOk();

        // No further event: the relay's clock ends the grace.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                client.get().uri("/v1/models").header("Authorization", "Bearer " + KEY_ROTATED_OLD).exchange()
                        .expectStatus().isUnauthorized());
        assertThat(Instant.now()).isAfterOrEqualTo(graceEnd);
        EntityExchangeResult<byte[]> openAi = chat(KEY_ROTATED_OLD, chatBody("gpt-4o-mini", false, false))
                .expectStatus().isUnauthorized().expectBody().returnResult();
        assertThat(json(openAi.getResponseBody()).path("error").path("code").asString()).isEqualTo("invalid_api_key");
        assertThat(json(openAi.getResponseBody()).path("error").path("message").asString()).contains("expired");
        EntityExchangeResult<byte[]> anthropic = client.post().uri("/v1/messages")
                .header("x-api-key", KEY_ROTATED_OLD).header("anthropic-version", "2023-06-01")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"model\":\"gpt-4o-mini\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .exchange().expectStatus().isUnauthorized().expectBody().returnResult();
        assertThat(json(anthropic.getResponseBody()).path("error").path("type").asString())
                .isEqualTo("authentication_error");
        client.get().uri("/v1/models").header("Authorization", "Bearer " + KEY_ROTATED_NEW).exchange()
                .expectStatus().isOk();
        assertThat(SIM.stats().requests()).isZero();
    }

    /** The relay holds the old key with the announced expiry (so the next calls test the grace, not a stale copy). */
    private boolean relayHoldsExpiry(Instant graceEnd) {
        return relaySnapshot.key(CustomerKeys.hash(KEY_ROTATED_OLD)).block(Duration.ofSeconds(5))
                .map(k -> graceEnd.equals(k.expiresAt())).orElse(false);
    }

    @Test
    void shouldRefuseKeyWithinOneSecondWhenKeyDisabledChangeIsPublished() throws Exception {
        client.get().uri("/v1/models").header("Authorization", "Bearer " + KEY_TOGGLE)
                .exchange().expectStatus().isOk();

        publishChange(new Change.KeyChanged(toggleKeyId, richUser, "k", CustomerKeys.hash(KEY_TOGGLE),
                CustomerKeys.displayPrefix(KEY_TOGGLE), null, null, 0, List.of(), List.of(), null, false, false, 2));

        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                client.get().uri("/v1/models").header("Authorization", "Bearer " + KEY_TOGGLE)
                        .exchange().expectStatus().isUnauthorized());
    }

    @Test
    void shouldAdmitPreviouslyRefusedUserWhenBalanceChangeRaisesBalance() throws Exception {
        chat(KEY_TOPUP, chatBody("gpt-4o-mini", false, false)).expectStatus().isEqualTo(429);

        publishChange(new Change.BalanceChanged(topupUser, 5_000_000, 1, Map.of(), Map.of()));

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                chat(KEY_TOPUP, chatBody("gpt-4o-mini", false, false)).expectStatus().isOk());
    }

    @Test
    void shouldReportSnapshotLoadedWhenReady() {
        client.get().uri("/actuator/health/readiness")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.snapshot.details.loaded").isEqualTo(true);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> client.get().uri("/actuator/health/readiness")
                .exchange()
                .expectBody()
                .jsonPath("$.components.snapshot.details.changesFollowing").isEqualTo(true)
                .jsonPath("$.components.snapshot.details.lastPollAt").isNotEmpty());
    }

    @Test
    void shouldKeepStreamingClientFlowingWhenUsingFluxOfChunks() {
        SIM.config(SimulatorConfig.defaults().withChunks(5).withChunkDelayMs(50));
        List<String> chunks = WebClient.create("http://127.0.0.1:" + port).post().uri("/v1/chat/completions")
                .header("Authorization", "Bearer " + KEY_RICH)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(chatBody("gpt-4o-mini", true, false))
                .retrieve()
                .bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { })
                .map(ServerSentEvent::data)
                .collectList()
                .block(Duration.ofSeconds(10));
        assertThat(chunks).endsWith("[DONE]");
        assertThat(Flux.fromIterable(chunks).filter(d -> d.contains("tok")).count().block()).isEqualTo(5);
    }

    private static void assertNothingCharged(UsageEvent event) {
        assertThat(event.inputTokens() + event.cacheReadTokens() + event.outputTokens()).isZero();
        assertThat(event.requests()).isZero();
        assertThat(event.estimated()).isFalse();
    }

    @Test
    void shouldAnswer502AndChargeNothingWhenUpstreamIsUnreachable() {
        EntityExchangeResult<byte[]> result = chat(KEY_RICH, chatBody("unreachable-model", false, false))
                .expectStatus().isEqualTo(502)
                .expectBody().returnResult();
        JsonNode error = json(result.getResponseBody()).path("error");
        assertThat(error.path("type").asString()).isEqualTo("upstream_error");

        String requestId = result.getResponseHeaders().getFirst("x-request-id");
        UsageEvent event = awaitUsage(e -> e.requestId().equals(requestId));
        assertThat(event.status()).isEqualTo(UsageStatus.UPSTREAM_ERROR);
        assertThat(event.errorClass()).isEqualTo("upstream_error");
        assertNothingCharged(event);
    }

    @Test
    void shouldChargeNothingWhenClientLeavesBeforeUpstreamAnswers() {
        SIM.config(SimulatorConfig.defaults().withLatencyMs(5_000));
        Mono<String> call = WebClient.create("http://127.0.0.1:" + port).post().uri("/v1/chat/completions")
                .header("Authorization", "Bearer " + KEY_EARLY_LEAVER)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(chatBody("gpt-4o-mini", false, false))
                .retrieve()
                .bodyToMono(String.class);
        // The client gives up while the upstream is still thinking.
        assertThatThrownBy(() -> call.block(Duration.ofMillis(500))).isInstanceOf(IllegalStateException.class);

        UsageEvent event = awaitUsage(e -> e.keyId() == earlyLeaverKeyId);
        assertThat(event.status()).isEqualTo(UsageStatus.CANCELLED);
        assertNothingCharged(event);
    }

    @ParameterizedTest
    @CsvSource({
            "401, false, 502, upstream_error, upstream_auth_failed",
            "401, true, 502, upstream_error, upstream_auth_failed",
            "403, false, 502, upstream_error, upstream_auth_failed",
            "429, false, 429, rate_limit_error, rate_limit_exceeded",
            "429, true, 429, rate_limit_error, rate_limit_exceeded",
            "500, false, 502, upstream_error, upstream_error",
            "503, true, 502, upstream_error, upstream_error"})
    void shouldAnswerGenericErrorAndChargeNothingWhenUpstreamRefusesForItsOwnReasons(int upstream, boolean stream,
            int status, String type, String code) {
        SIM.config(SimulatorConfig.defaults().withFailStatus(upstream));
        EntityExchangeResult<byte[]> result = chat(KEY_RICH, chatBody("gpt-4o-mini", stream, false))
                .expectStatus().isEqualTo(status)
                .expectBody().returnResult();
        JsonNode error = json(result.getResponseBody()).path("error");

        assertThat(error.path("type").asString()).isEqualTo(type);
        assertThat(error.path("code").asString()).isEqualTo(code);
        assertThat(new String(result.getResponseBody(), StandardCharsets.UTF_8))
                .as("nothing of the upstream's own words").doesNotContain("simulated");
        if (upstream == 401) {
            assertThat(error.path("message").asString())
                    .isEqualTo("The upstream provider refused the gateway's credentials.");
        }
        String requestId = result.getResponseHeaders().getFirst("x-request-id");
        UsageEvent event = awaitUsage(e -> e.requestId().equals(requestId));
        assertThat(event.status()).isEqualTo(UsageStatus.UPSTREAM_ERROR);
        assertThat(event.errorClass()).isEqualTo("upstream_http_" + upstream);
        assertThat(event.httpStatus()).isEqualTo(status);
        assertNothingCharged(event);
    }

    @Test
    void shouldPassUpstream400ThroughAndChargeNothingWhenRequestIsAtFault() {
        SIM.config(SimulatorConfig.defaults().withFailStatus(400));
        EntityExchangeResult<byte[]> result = chat(KEY_RICH, chatBody("gpt-4o-mini", false, false))
                .expectStatus().isEqualTo(400)
                .expectBody().returnResult();

        assertThat(json(result.getResponseBody()).path("error").path("message").asString())
                .isEqualTo("simulated failure");
        UsageEvent event = awaitUsage(e -> e.requestId().equals(result.getResponseHeaders().getFirst("x-request-id")));
        assertThat(event.errorClass()).isEqualTo("upstream_http_400");
        assertNothingCharged(event);
    }

    @Test
    void shouldAnswer400NotServerErrorWhenMaxTokensIsHuge() {
        EntityExchangeResult<byte[]> result = chat(KEY_RICH, "{\"model\":\"gpt-4o-mini\",\"messages\":[],"
                + "\"max_tokens\":9223372036854775807}").expectStatus().isEqualTo(400).expectBody().returnResult();
        assertThat(json(result.getResponseBody()).path("error").path("param").asString()).isEqualTo("max_tokens");
        assertThat(SIM.stats().requests()).isZero();
    }

    @Test
    void shouldRefuseUnpricedModelUntilDefaultPriceExistsThenChargeAtDefaultPrice() throws Exception {
        EntityExchangeResult<byte[]> refused = chat(KEY_RICH, chatBody("unpriced-model", false, false))
                .expectStatus().isEqualTo(400)
                .expectBody().returnResult();
        JsonNode error = json(refused.getResponseBody()).path("error");
        assertThat(error.path("message").asString())
                .isEqualTo("The model `unpriced-model` has no price configured on this gateway.");
        assertThat(error.path("type").asString()).isEqualTo("invalid_request_error");
        assertThat(error.path("param").asString()).isEqualTo("model");
        assertThat(error.path("code").asString()).isEqualTo("model_not_priced");
        assertThat(SIM.stats().requests()).as("no silent free use").isZero();
        String refusedId = refused.getResponseHeaders().getFirst("x-request-id");
        UsageEvent rejected = awaitUsage(e -> e.requestId().equals(refusedId));
        assertThat(rejected.status()).isEqualTo(UsageStatus.REJECTED);
        assertThat(rejected.errorClass()).isEqualTo("model_not_priced");
        assertThat(rejected.httpStatus()).isEqualTo(400);

        publishChange(new Change.PriceChanged("*", 5, dev.tollgate.contracts.money.Price.perMTok(150_000, 600_000),
                null));

        String[] servedId = new String[1];
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> servedId[0] = chat(KEY_RICH,
                chatBody("unpriced-model", false, false)).expectStatus().isOk()
                .expectBody().returnResult().getResponseHeaders().getFirst("x-request-id"));
        UsageEvent served = awaitUsage(e -> e.requestId().equals(servedId[0]));
        assertThat(served.status()).isEqualTo(UsageStatus.SUCCESS);
        assertThat(served.priceVersion()).as("the default price's version").isEqualTo(5);
        assertThat(served.modelAsked()).isEqualTo("unpriced-model");
    }
}
