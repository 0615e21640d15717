package dev.tollgate.relay.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.relay.support.RelayFixture;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/**
 * Hostile input against every public endpoint of the relay: oversized bodies (declared and chunked), deeply
 * nested JSON, invalid UTF-8, JSON of the wrong shape, out-of-range numbers, SQL-looking and path-traversing
 * names, forged and missing keys. Each must get a clean 4xx in the endpoint's own dialect (OpenAI, Anthropic or
 * Gemini error JSON), with no stack trace, class name or secret in it; no upstream is called and no usage event
 * is written — the last is checked by sending one good request afterwards and finding it the user's only event.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RelayHostileInputIT {

    private static final Simulator SIM = Simulator.start(0);
    private static final String CHANNEL_KEY = "sk-sim-hostile-channel-secret";
    /** Small, so an oversized body is cheap to send; the audio endpoints have their own, larger limit. */
    private static final int MAX_BODY = 64 * 1024;
    private static RelayFixture fixture;
    private static String key;
    private static long userId;

    @Autowired
    WebTestClient client;

    enum Dialect { OPENAI, ANTHROPIC, GEMINI }

    /** One endpoint taking a JSON body, and a valid body for it to be mangled. */
    record Endpoint(String path, Dialect dialect, String validBody) {
    }

    private static final List<Endpoint> JSON_ENDPOINTS = List.of(
            new Endpoint("/v1/chat/completions", Dialect.OPENAI,
                    "{\"model\":\"gpt-h\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
            new Endpoint("/v1/completions", Dialect.OPENAI, "{\"model\":\"gpt-h\",\"prompt\":\"hi\"}"),
            new Endpoint("/v1/embeddings", Dialect.OPENAI, "{\"model\":\"gpt-h\",\"input\":\"hi\"}"),
            new Endpoint("/v1/responses", Dialect.OPENAI, "{\"model\":\"gpt-h\",\"input\":\"hi\"}"),
            new Endpoint("/v1/moderations", Dialect.OPENAI, "{\"model\":\"gpt-h\",\"input\":\"hi\"}"),
            new Endpoint("/v1/images/generations", Dialect.OPENAI, "{\"model\":\"gpt-h\",\"prompt\":\"hi\"}"),
            new Endpoint("/v1/audio/speech", Dialect.OPENAI,
                    "{\"model\":\"gpt-h\",\"input\":\"hi\",\"voice\":\"alloy\"}"),
            new Endpoint("/v1/messages", Dialect.ANTHROPIC, "{\"model\":\"gpt-h\",\"max_tokens\":10,"
                    + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
            new Endpoint("/v1/messages/count_tokens", Dialect.ANTHROPIC,
                    "{\"model\":\"gpt-h\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"),
            new Endpoint("/v1beta/models/gpt-h:generateContent", Dialect.GEMINI,
                    "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}"),
            new Endpoint("/v1beta/models/gpt-h:streamGenerateContent?alt=sse", Dialect.GEMINI,
                    "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}"),
            new Endpoint("/v1beta/models/gpt-h:countTokens", Dialect.GEMINI,
                    "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"hi\"}]}]}"),
            new Endpoint("/v1/rerank", Dialect.OPENAI,
                    "{\"model\":\"gpt-h\",\"query\":\"hi\",\"documents\":[\"a\",\"b\"]}"),
            new Endpoint("/v1beta/models/gpt-h:embedContent", Dialect.GEMINI,
                    "{\"content\":{\"parts\":[{\"text\":\"hi\"}]}}"),
            new Endpoint("/v1beta/models/gpt-h:batchEmbedContents", Dialect.GEMINI,
                    "{\"requests\":[{\"model\":\"models/gpt-h\",\"content\":{\"parts\":[{\"text\":\"hi\"}]}}]}"));

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        prepare();
        fixture.register(registry, "relay-hostile");
        registry.add("tollgate.relay.max-body-bytes", () -> MAX_BODY + "B");
    }

    private static synchronized void prepare() throws Exception {
        if (fixture != null) {
            return;
        }
        fixture = new RelayFixture();
        userId = fixture.insertUser("hostile", 1_000_000_000L);
        key = CustomerKeys.generate();
        fixture.insertKey(userId, key);
        fixture.insertChannel("sim-openai", "openai", SIM.baseUrl(), CHANNEL_KEY, List.of("gpt-h"), Map.of(), null);
        fixture.insertPrice("gpt-h", 1_000_000, 2_000_000);
    }

    @AfterAll
    static void tearDown() {
        fixture.close();
        SIM.close();
    }

    @Test
    @Order(1)
    void relayIsReady() {
        SIM.reset();
        SIM.config(SimulatorConfig.defaults());
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> client.get().uri("/actuator/health/readiness")
                .exchange().expectStatus().isOk());
    }

    @TestFactory
    @Order(2)
    Stream<DynamicTest> everyEndpointRefusesHostileInputCleanly() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Endpoint e : JSON_ENDPOINTS) {
            String name = e.path() + " ";
            tests.add(test(name + "not JSON", e, e.validBody().substring(0, 12).getBytes(UTF_8), key));
            tests.add(test(name + "JSON of the wrong shape", e, "[1,2,3]".getBytes(UTF_8), key));
            tests.add(test(name + "a JSON string", e, "\"hello\"".getBytes(UTF_8), key));
            tests.add(test(name + "trailing garbage", e, (e.validBody() + "}{]").getBytes(UTF_8), key));
            tests.add(test(name + "deeply nested JSON", e, nested(e.validBody()), key));
            tests.add(test(name + "invalid UTF-8", e, invalidUtf8(e.validBody()), key));
            String huge = hugeNumber(e);
            if (huge != null) {
                tests.add(test(name + "a number beyond any long", e, huge.getBytes(UTF_8), key));
            }
            tests.add(test(name + "oversized body", e, oversized(e.validBody()), key));
            tests.add(chunked(name + "oversized chunked body", e, oversized(e.validBody())));
            tests.add(test(name + "no key", e, e.validBody().getBytes(UTF_8), null));
            tests.add(test(name + "forged key", e, e.validBody().getBytes(UTF_8),
                    "sk-" + "A".repeat(48)));
            tests.add(test(name + "a 6 KB key", e, e.validBody().getBytes(UTF_8), "sk-" + "k".repeat(6_000)));
            if (e.dialect() != Dialect.GEMINI) {
                tests.add(test(name + "SQL-looking model", e,
                        e.validBody().replace("gpt-h", "gpt-h' OR '1'='1; DROP TABLE users; --").getBytes(UTF_8),
                        key));
                tests.add(test(name + "model with path traversal", e,
                        e.validBody().replace("gpt-h", "../../../etc/passwd").getBytes(UTF_8), key));
            }
        }
        String gemini = JSON_ENDPOINTS.stream().filter(e -> e.dialect() == Dialect.GEMINI).findFirst()
                .orElseThrow().validBody();
        tests.add(test("gemini path traversal in the model",
                new Endpoint("/v1beta/models/..%2F..%2Fetc%2Fpasswd:generateContent", Dialect.GEMINI, gemini),
                gemini.getBytes(UTF_8), key));
        tests.add(test("gemini SQL-looking model",
                new Endpoint("/v1beta/models/x'%20OR%20'1'='1:generateContent", Dialect.GEMINI, gemini),
                gemini.getBytes(UTF_8), key));
        tests.add(test("gemini unknown method",
                new Endpoint("/v1beta/models/gpt-h:deleteEverything", Dialect.GEMINI, gemini),
                gemini.getBytes(UTF_8), key));
        // Beyond the server's header limit the HTTP codec answers 431 itself, before any handler can speak a dialect.
        tests.add(DynamicTest.dynamicTest("a 40 KB header", () -> {
            EntityExchangeResult<byte[]> r = client.post().uri("/v1/chat/completions")
                    .headers(h -> h.setBearerAuth("sk-" + "k".repeat(40_000))).contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(JSON_ENDPOINTS.get(0).validBody()).exchange().expectBody().returnResult();
            assertThat(r.getStatus().value()).isEqualTo(431);
            assertThat(r.getResponseBodyContent() == null ? "" : new String(r.getResponseBodyContent(), UTF_8))
                    .doesNotContain("Exception", "\tat ");
        }));
        for (String path : List.of("/v1/audio/transcriptions", "/v1/audio/translations", "/v1/images/edits")) {
            Endpoint e = new Endpoint(path, Dialect.OPENAI, null);
            tests.add(DynamicTest.dynamicTest(path + " JSON instead of a form", () -> expectClean(e,
                    post(e.path(), key, MediaType.APPLICATION_JSON, "{\"model\":\"gpt-h\"}".getBytes(UTF_8)))));
            tests.add(DynamicTest.dynamicTest(path + " a form with a broken boundary", () -> expectClean(e,
                    post(e.path(), key, MediaType.parseMediaType("multipart/form-data; boundary=xyz"),
                            "--abc\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ngpt-h\r\n--abc"
                                    .getBytes(UTF_8)))));
            tests.add(DynamicTest.dynamicTest(path + " no key", () -> expectClean(e,
                    post(e.path(), null, MediaType.APPLICATION_JSON, "{}".getBytes(UTF_8)))));
        }
        for (String[] get : new String[][] {{"/v1/models", "OPENAI"}, {"/v1beta/models", "GEMINI"},
                {"/v1/models/..%2F..%2Fetc%2Fpasswd", "OPENAI"}, {"/v1beta/models/..%2F..%2Fetc%2Fpasswd", "GEMINI"}}) {
            Endpoint e = new Endpoint(get[0], Dialect.valueOf(get[1]), null);
            tests.add(DynamicTest.dynamicTest("GET " + get[0] + " forged key", () -> expectClean(e,
                    client.get().uri(get[0]).headers(h -> auth(h, e.dialect(), "sk-" + "B".repeat(48)))
                            .exchange().expectBody().returnResult())));
        }
        return tests.stream();
    }

    @Test
    @Order(3)
    void nothingReachedAnUpstreamAndNothingButTheGoodRequestWasCharged() {
        assertThat(SIM.requests()).as("no hostile request reached an upstream").isEmpty();
        EntityExchangeResult<byte[]> good = post("/v1/chat/completions", key, MediaType.APPLICATION_JSON,
                JSON_ENDPOINTS.get(0).validBody().getBytes(UTF_8));
        assertThat(good.getStatus().value()).as(new String(good.getResponseBodyContent(), UTF_8)).isEqualTo(200);
        String requestId = good.getResponseHeaders().getFirst(RequestIdFilter.HEADER);
        fixture.awaitUsage(u -> u.requestId().equals(requestId));
        // The user's events share one partition, in order: whatever a hostile request wrote came before this one.
        // Refusals are logged (status rejected) but carry nothing to charge.
        List<UsageEvent> mine = fixture.awaitUsage(u -> u.userId() == userId, 1);
        assertThat(mine.get(mine.size() - 1).requestId()).isEqualTo(requestId);
        assertThat(mine.subList(0, mine.size() - 1)).allSatisfy(u -> {
            assertThat(u.status()).isEqualTo(UsageStatus.REJECTED);
            assertThat(u.channelId()).isNull();
            assertThat(u.inputTokens() + u.outputTokens() + u.cacheReadTokens() + u.cacheWriteTokens()
                    + u.reasoningTokens() + u.requests() + u.images() + u.audioSeconds()).isZero();
        });
    }

    private DynamicTest test(String name, Endpoint e, byte[] body, String withKey) {
        return DynamicTest.dynamicTest(name, () -> expectClean(e, post(e.path(), withKey,
                MediaType.APPLICATION_JSON, body)));
    }

    private DynamicTest chunked(String name, Endpoint e, byte[] body) {
        return DynamicTest.dynamicTest(name, () -> {
            Flux<DataBuffer> chunks = Flux.range(0, (body.length + 8191) / 8192).map(i -> DefaultDataBufferFactory
                    .sharedInstance.wrap(java.util.Arrays.copyOfRange(body, i * 8192,
                            Math.min(body.length, (i + 1) * 8192))));
            expectClean(e, client.method(HttpMethod.POST).uri(e.path()).headers(h -> auth(h, e.dialect(), key))
                    .contentType(MediaType.APPLICATION_JSON).body(chunks, DataBuffer.class)
                    .exchange().expectBody().returnResult());
        });
    }

    private EntityExchangeResult<byte[]> post(String path, String withKey, MediaType type, byte[] body) {
        Endpoint e = JSON_ENDPOINTS.stream().filter(x -> x.path().equals(path)).findFirst()
                .orElse(new Endpoint(path, path.startsWith("/v1beta/") ? Dialect.GEMINI : Dialect.OPENAI, null));
        return client.post().uri(path).headers(h -> auth(h, e.dialect(), withKey)).contentType(type).bodyValue(body)
                .exchange().expectBody().returnResult();
    }

    private static void auth(org.springframework.http.HttpHeaders h, Dialect dialect, String withKey) {
        if (withKey == null) {
            return;
        }
        switch (dialect) {
            case OPENAI -> h.setBearerAuth(withKey);
            case ANTHROPIC -> {
                h.set("x-api-key", withKey);
                h.set("anthropic-version", "2023-06-01");
            }
            case GEMINI -> h.set("x-goog-api-key", withKey);
        }
    }

    /** A 4xx in the endpoint's dialect, with nothing inside that a server should not show. */
    private static void expectClean(Endpoint e, EntityExchangeResult<byte[]> result) {
        int status = result.getStatus().value();
        byte[] raw = result.getResponseBodyContent();
        String body = raw == null ? "" : new String(raw, UTF_8);
        assertThat(status).as("status for %s: %s", e.path(), body).isBetween(400, 499);
        for (String leak : List.of("Exception", "\tat ", "tools.jackson", "java.", "org.springframework",
                "reactor.", "dev.tollgate", CHANNEL_KEY, RelayFixture.MASTER_KEY)) {
            assertThat(body).as("answer leaks %s", leak).doesNotContain(leak);
        }
        assertThat(result.getResponseHeaders().getContentType()).as("content type of: " + body)
                .isNotNull()
                .satisfies(t -> assertThat(t.isCompatibleWith(MediaType.APPLICATION_JSON)).isTrue());
        JsonNode json = Json.mapper().readTree(body);
        switch (e.dialect()) {
            case OPENAI -> {
                assertThat(json.path("error").path("message").asString()).as(body).isNotBlank();
                assertThat(json.path("error").path("type").asString()).as(body).isNotBlank();
            }
            case ANTHROPIC -> {
                assertThat(json.path("type").asString()).as(body).isEqualTo("error");
                assertThat(json.path("error").path("type").asString()).as(body).isNotBlank();
                assertThat(json.path("error").path("message").asString()).as(body).isNotBlank();
            }
            case GEMINI -> {
                assertThat(json.path("error").path("code").asInt()).as(body).isEqualTo(status);
                assertThat(json.path("error").path("status").asString()).as(body).isNotBlank();
                assertThat(json.path("error").path("message").asString()).as(body).isNotBlank();
            }
        }
    }

    /** The valid body with its token limit out of any range; null where the endpoint has no token limit. */
    private static String hugeNumber(Endpoint e) {
        String beyond = "99999999999999999999999";
        return switch (e.path()) {
            case "/v1/chat/completions", "/v1/completions" -> e.validBody().replaceFirst("\\{",
                    "{\"max_tokens\":" + beyond + ",");
            case "/v1/responses" -> e.validBody().replaceFirst("\\{", "{\"max_output_tokens\":1e400,");
            case "/v1/messages" -> e.validBody().replace("\"max_tokens\":10", "\"max_tokens\":" + beyond);
            case "/v1beta/models/gpt-h:generateContent", "/v1beta/models/gpt-h:streamGenerateContent?alt=sse" ->
                    e.validBody().replaceFirst("\\{", "{\"generationConfig\":{\"maxOutputTokens\":" + beyond + "},");
            default -> null;
        };
    }

    private static byte[] nested(String validBody) {
        int depth = 5_000;
        String deep = "[".repeat(depth) + "]".repeat(depth);
        return validBody.replaceFirst("\\{", "{\"metadata\":" + deep + ",").getBytes(UTF_8);
    }

    private static byte[] invalidUtf8(String validBody) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] text = validBody.getBytes(UTF_8);
        int at = validBody.indexOf("hi");
        out.write(text, 0, at);
        out.write(new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED, (byte) 0xA0,
                (byte) 0x80}, 0, 7);
        out.write(text, at, text.length - at);
        return out.toByteArray();
    }

    private static byte[] oversized(String validBody) {
        String pad = "x".repeat(MAX_BODY + 1024);
        return validBody.replaceFirst("\\{", "{\"padding\":\"" + pad + "\",").getBytes(UTF_8);
    }
}
