package dev.tollgate.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.contracts.Topics;
import dev.tollgate.contracts.events.EventCodec;
import dev.tollgate.contracts.events.UsageEvent;
import dev.tollgate.contracts.events.UsageStatus;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.Cost;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/**
 * What the web UI needs of the API, against a real broker and MariaDB/MySQL (the ledger played by
 * {@link LedgerStandIn}): the live ops stream from the usage topic, statistics from the hourly rollups, settings and
 * self-registration, batch enable/disable of channels, the OpenAPI description. Every call a customer could aim at
 * another customer's data is tried.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiApiIT {

    private static final String ADMIN_PASSWORD = "admin-password-for-ui-tests";
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final Price PRICE = new Price(2_500_000, 10_000_000, 1_250_000, 0, 0, 0, 0);

    static final TestDatabase db = AdminTestStack.migratedDatabase();
    static final Topics topics = new Topics(TestKafka.uniquePrefix());
    static final LedgerStandIn ledger;
    static final KafkaProducer<String, byte[]> usage;

    static {
        ledger = LedgerStandIn.start(TestKafka.bootstrapServers(), topics, db);
        ledger.answering(true);
        try (AdminClient admin = AdminClient.create(Map.of("bootstrap.servers", TestKafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(topics.usage(), 3, (short) 1))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        usage = new KafkaProducer<>(Map.of("bootstrap.servers", TestKafka.bootstrapServers(),
                "key.serializer", StringSerializer.class.getName(),
                "value.serializer", ByteArraySerializer.class.getName(),
                "linger.ms", "0"));
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        AdminTestStack.register(registry, db, topics, ADMIN_PASSWORD, "10s");
        registry.add("tollgate.ui.relay-url", () -> "http://relay.example.test:8080");
    }

    @LocalServerPort
    int port;

    WebTestClient http;

    static String admin;
    static long alice;
    static long bob;
    static String aliceToken;
    static String bobToken;

    @BeforeEach
    void client() {
        http = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(20))
                .build();
        if (admin == null) {
            await().atMost(DEADLINE).untilAsserted(() -> http.get().uri("/actuator/health/readiness").exchange()
                    .expectStatus().isOk());
            admin = login("admin", ADMIN_PASSWORD);
            alice = createCustomer("alice");
            bob = createCustomer("bob");
            aliceToken = login("alice", "alice-password");
            bobToken = login("bob", "bob-password");
        }
    }

    @AfterAll
    static void cleanUp() {
        usage.close();
        ledger.close();
        db.close();
    }

    @Test
    @Order(1)
    void shouldShowAPublishedRequestOnTheLiveStreamWithinTwoSeconds() {
        await().atMost(DEADLINE).untilAsserted(() -> http.get().uri("/actuator/health").exchange().expectBody()
                .jsonPath("$.components.liveStream.status").isEqualTo("UP"));
        put(admin, "/api/prices/gpt-live", Map.of("inputMicrosPerMTok", PRICE.inputMicrosPerMTok(),
                "outputMicrosPerMTok", PRICE.outputMicrosPerMTok(), "cachedInputMicrosPerMTok",
                PRICE.cachedInputMicrosPerMTok())).expectStatus().isOk();
        TokenUsage tokens = new TokenUsage(1200, 300, 0, 450, 0, 0, 0, 0);

        Flux<ServerSentEvent<String>> frames = WebTestClient.bindToServer()
                .baseUrl("http://127.0.0.1:" + port).responseTimeout(Duration.ofSeconds(30)).build()
                .get().uri("/api/live/stream").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() {
                }).getResponseBody();
        long[] sentAt = new long[1];
        JsonNode seen = frames
                .doOnNext(frame -> {
                    if (sentAt[0] == 0) {
                        // The first frame is there: now the request finishes on some relay.
                        sentAt[0] = System.nanoTime();
                        UsageEvent e = event(alice, 7L, "gpt-live", tokens, UsageStatus.SUCCESS, 850, 120L);
                        java.util.concurrent.CompletableFuture.runAsync(() -> publish(e));
                    }
                })
                .map(frame -> json(frame.data()))
                .filter(snapshot -> snapshot.path("minute").path("total").path("requests").asLong() >= 1)
                .blockFirst(Duration.ofSeconds(10));
        long tookMs = (System.nanoTime() - sentAt[0]) / 1_000_000;
        System.out.println("live stream: a published usage event reached the dashboard stream in " + tookMs + " ms");
        assertThat(tookMs).isLessThan(2000);

        JsonNode minute = seen.path("minute");
        assertThat(seen.path("following").asBoolean()).isTrue();
        assertThat(minute.path("total").path("tokens").asLong()).isEqualTo(1950);
        assertThat(minute.path("total").path("costMicros").asLong()).isEqualTo(Cost.micros(tokens, PRICE, 10_000));
        assertThat(minute.path("total").path("latencyP50Ms").asLong()).isBetween(845L, 855L);
        assertThat(minute.path("total").path("ttftP99Ms").asLong()).isBetween(119L, 121L);
        assertThat(minute.path("byChannel").get(0).path("key").asString()).isEqualTo("7");
        assertThat(minute.path("byModel").get(0).path("key").asString()).isEqualTo("gpt-live");
        assertThat(seen.path("perSecond").size()).isEqualTo(60);
    }

    @Test
    @Order(2)
    void shouldCountErrorsAndPercentilesInTheSnapshotWhenManyRequestsFinish() {
        for (int i = 1; i <= 100; i++) {
            publish(event(bob, 9L, "gpt-pct", TokenUsage.NONE, i % 10 == 0 ? UsageStatus.UPSTREAM_ERROR
                    : UsageStatus.SUCCESS, i * 10L, null));
        }
        publish(event(bob, null, "no-such-model", TokenUsage.NONE, UsageStatus.REJECTED, 1, null));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode model = byKey(getJson(admin, "/api/live").path("minute").path("byModel"), "gpt-pct");
            assertThat(model.path("requests").asLong()).isEqualTo(100);
            assertThat(model.path("errors").asLong()).isEqualTo(10);
            assertThat(model.path("errorRate").asDouble()).isEqualTo(0.1);
            assertThat(model.path("latencyP50Ms").asLong()).isBetween(495L, 505L);
            assertThat(model.path("latencyP99Ms").asLong()).isBetween(985L, 995L);
        });
        JsonNode rejected = byKey(getJson(admin, "/api/live").path("minute").path("byModel"), "no-such-model");
        assertThat(rejected.path("rejected").asLong()).isEqualTo(1);
        assertThat(rejected.path("latencyP50Ms").isNull()).as("rejections carry no upstream latency").isTrue();
    }

    @Test
    @Order(3)
    void shouldRefuseTheLiveViewToCustomers() {
        expectError(get(aliceToken, "/api/live"), 403, "forbidden");
        expectError(http.get().uri("/api/live/stream").header(HttpHeaders.AUTHORIZATION, "Bearer " + aliceToken)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange(), 403, "forbidden");
        expectError(http.get().uri("/api/live/stream").exchange(), 401, "unauthorized");
    }

    @Test
    @Order(4)
    void shouldSumTheRollupsPerGroupAndKeepCustomersToTheirOwn() throws Exception {
        Instant h = Instant.parse("2031-05-01T10:00:00Z");
        rollup(h, alice, 11, "gpt-4o", 1, 5, 1_000);
        rollup(h.plus(Duration.ofHours(1)), alice, 11, "gpt-4o", 1, 3, 500);
        rollup(h.plus(Duration.ofDays(1)), alice, 12, "claude", 2, 2, 700);
        rollup(h, bob, 21, "gpt-4o", 1, 7, 9_000);
        String range = "from=2031-05-01T00:00:00Z&to=2031-05-03T00:00:00Z";

        JsonNode byDay = getJson(admin, "/api/stats?groupBy=day&" + range);
        assertThat(byDay.path("items").size()).isEqualTo(2);
        assertThat(byDay.path("items").get(0).path("key").asString()).isEqualTo("2031-05-01");
        assertThat(byDay.path("items").get(0).path("requests").asLong()).isEqualTo(15);
        assertThat(byDay.path("total").path("costMicros").asLong()).isEqualTo(11_200);

        JsonNode byUser = getJson(admin, "/api/stats?groupBy=user&" + range);
        assertThat(byUser.path("items").get(0).path("label").asString()).isEqualTo("bob");
        assertThat(byUser.path("items").get(1).path("label").asString()).isEqualTo("alice");
        JsonNode byHour = getJson(admin, "/api/stats?groupBy=hour&userId=" + alice + "&" + range);
        assertThat(byHour.path("items").get(1).path("key").asString()).isEqualTo("2031-05-01T11:00:00Z");

        // alice sees only her own, whatever she names
        JsonNode own = getJson(aliceToken, "/api/stats?groupBy=model&" + range);
        assertThat(own.path("total").path("requests").asLong()).isEqualTo(10);
        assertThat(own.path("items").get(0).path("key").asString()).isEqualTo("gpt-4o");
        assertThat(own.path("items").get(0).path("costMicros").asLong()).isEqualTo(1_500);
        assertThat(getJson(aliceToken, "/api/stats?groupBy=day&userId=" + bob + "&" + range).path("total")
                .path("requests").asLong()).isEqualTo(10);
        assertThat(getJson(aliceToken, "/api/stats?groupBy=key&keyId=21&" + range).path("total").path("requests")
                .asLong()).as("bob's key through alice's filter").isZero();
        expectError(get(aliceToken, "/api/stats?groupBy=user&" + range), 403, "forbidden");
        expectError(get(aliceToken, "/api/stats?groupBy=channel&" + range), 403, "forbidden");
        expectError(get(admin, "/api/stats?groupBy=week"), 400, "invalid_request");
        expectError(get(admin, "/api/stats?from=2031-05-03T00:00:00Z&to=2031-05-01T00:00:00Z"), 400,
                "invalid_request");
    }

    @Test
    @Order(5)
    void shouldOpenRegistrationOnlyWhenTheSettingsSaySo() {
        JsonNode settings = getJson(aliceToken, "/api/settings");
        assertThat(settings.path("registrationEnabled").asBoolean()).isFalse();
        assertThat(settings.path("relayUrl").asString()).isEqualTo("http://relay.example.test:8080");
        http.get().uri("/api/auth/options").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.registrationEnabled").isEqualTo(false);
        expectError(register("zed", "zed-password-1"), 403, "registration_closed");
        expectError(put(aliceToken, "/api/settings", Map.of("registrationEnabled", true)), 403, "forbidden");

        JsonNode opened = json(put(admin, "/api/settings", Map.of("registrationEnabled", true, "relayUrl",
                "https://relay.example.test/")).expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody());
        assertThat(opened.path("registrationEnabled").asBoolean()).isTrue();
        assertThat(opened.path("relayUrl").asString()).isEqualTo("https://relay.example.test");

        // the body may not choose the role
        JsonNode signedUp = json(http.post().uri("/api/auth/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", "zed", "password", "zed-password-1", "role", "admin"))
                .exchange().expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody());
        assertThat(signedUp.path("role").asString()).isEqualTo("customer");
        String zed = signedUp.path("token").asString();
        JsonNode me = getJson(zed, "/api/me");
        assertThat(me.path("username").asString()).isEqualTo("zed");
        assertThat(me.path("role").asString()).isEqualTo("customer");
        expectError(get(zed, "/api/users"), 403, "forbidden");
        expectError(register("zed", "zed-password-2"), 409, "conflict");
        expectError(put(admin, "/api/settings", Map.of("relayUrl", "ftp://x")), 400, "invalid_request");

        put(admin, "/api/settings", Map.of("registrationEnabled", false)).expectStatus().isOk();
        expectError(register("yan", "yan-password-1"), 403, "registration_closed");
    }

    @Test
    @Order(6)
    void shouldSwitchManyChannelsAtOnceAndSayWhichFailed() {
        long a = createChannel("batch-a");
        long b = createChannel("batch-b");
        expectError(post(aliceToken, "/api/channels/batch", Map.of("ids", List.of(a, b), "enabled", false)), 403,
                "forbidden");

        JsonNode result = json(post(admin, "/api/channels/batch", Map.of("ids", List.of(a, b, 999_999),
                "enabled", false)).expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        assertThat(result.path("items").size()).isEqualTo(3);
        assertThat(result.path("items").get(0).path("ok").asBoolean()).isTrue();
        assertThat(result.path("items").get(2).path("error").asString()).isEqualTo("not_found");
        assertThat(getJson(admin, "/api/channels/" + a).path("enabled").asBoolean()).isFalse();
        assertThat(getJson(admin, "/api/channels/" + b).path("enabled").asBoolean()).isFalse();
        expectError(post(admin, "/api/channels/batch", Map.of("ids", List.of(), "enabled", true)), 400,
                "invalid_request");
    }

    @Test
    @Order(6)
    void shouldFilterChannelsByTagAndSwitchATaggedSetAtOnce() {
        long eu1 = createChannel("tag-eu-1", List.of("eu", "cheap"));
        long eu2 = createChannel("tag-eu-2", List.of("eu"));
        long us = createChannel("tag-us", List.of("us"));

        JsonNode tagged = getJson(admin, "/api/channels?tag=eu&size=200");
        assertThat(tagged.path("total").asLong()).isEqualTo(2);
        assertThat(tagged.path("items").findValues("id")).extracting(JsonNode::asLong).containsExactlyInAnyOrder(eu1, eu2);
        assertThat(getJson(admin, "/api/channels/" + eu1).path("tags")).extracting(JsonNode::asString)
                .containsExactly("eu", "cheap");
        // A patch with tags replaces them; one without leaves them.
        JsonNode retagged = json(patch(admin, "/api/channels/" + eu2, Map.of("tags", List.of("eu", "fast")))
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        assertThat(retagged.path("tags")).extracting(JsonNode::asString).containsExactly("eu", "fast");
        json(patch(admin, "/api/channels/" + eu2, Map.of("priority", 3)).expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody());
        assertThat(getJson(admin, "/api/channels?tag=fast").path("items").findValues("id"))
                .extracting(JsonNode::asLong).containsExactly(eu2);

        JsonNode result = json(post(admin, "/api/channels/batch", Map.of("tag", "eu", "enabled", false))
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        assertThat(result.path("items").findValues("id")).extracting(JsonNode::asLong)
                .containsExactlyInAnyOrder(eu1, eu2);
        assertThat(getJson(admin, "/api/channels/" + eu1).path("enabled").asBoolean()).isFalse();
        assertThat(getJson(admin, "/api/channels/" + eu2).path("enabled").asBoolean()).isFalse();
        assertThat(getJson(admin, "/api/channels/" + us).path("enabled").asBoolean()).as("untagged stays").isTrue();

        // Customers reach neither the filter nor the batch; bad tags are 400.
        expectError(get(aliceToken, "/api/channels?tag=eu"), 403, "forbidden");
        expectError(post(aliceToken, "/api/channels/batch", Map.of("tag", "us", "enabled", false)), 403, "forbidden");
        assertThat(getJson(admin, "/api/channels/" + us).path("enabled").asBoolean()).isTrue();
        expectError(get(admin, "/api/channels?tag=EU%20West"), 400, "invalid_request");
        expectError(post(admin, "/api/channels", Map.of("name", "bad-tags", "provider", "openai", "baseUrl",
                "http://127.0.0.1:9/v1", "models", List.of("gpt-4o"), "tags", List.of("x y"))), 400, "invalid_request");
        expectError(post(admin, "/api/channels/batch", Map.of("tag", "eu", "ids", List.of(eu1), "enabled", true)),
                400, "invalid_request");
    }

    @Test
    @Order(7)
    void shouldDescribeTheApiWithOpenApi() {
        String doc = http.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody();
        JsonNode api = json(doc);
        assertThat(api.path("openapi").asString()).startsWith("3.");
        assertThat(api.path("paths").has("/api/live/stream")).isTrue();
        assertThat(api.path("paths").has("/api/stats")).isTrue();
        assertThat(api.path("paths").has("/api/users/{id}/topups")).isTrue();
        assertThat(api.path("components").path("securitySchemes").has("session")).isTrue();
        assertThat(doc).as("the session is not a parameter").doesNotContain("\"caller\"")
                .doesNotContain("\"write\"");
    }

    // --- helpers

    private static UsageEvent event(long userId, Long channelId, String model, TokenUsage tokens, UsageStatus status,
            long latencyMs, Long ttftMs) {
        Instant now = Instant.now();
        return UsageEvent.builder().requestId(UUID.randomUUID().toString()).relayId("relay-ui-it").keyId(1)
                .userId(userId).group("default").channelId(channelId).modelAsked(model).modelServed(model)
                .dialect("openai").provider("openai").priceVersion(status == UsageStatus.REJECTED ? 0 : 1)
                .tokens(tokens).status(status).latencyMs(latencyMs).ttftMs(ttftMs)
                .startedAt(now.minusMillis(latencyMs)).finishedAt(now).build();
    }

    private static void publish(UsageEvent event) {
        usage.send(new ProducerRecord<>(topics.usage(), Long.toString(event.userId()), EventCodec.encode(event)));
        usage.flush();
    }

    private static JsonNode byKey(JsonNode keyed, String key) {
        for (JsonNode k : keyed) {
            if (key.equals(k.path("key").asString())) {
                return k.path("stats");
            }
        }
        throw new AssertionError("no " + key + " in " + keyed);
    }

    private static void rollup(Instant hour, long userId, long keyId, String model, long channelId, long requests,
            long cost) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO usage_hourly "
                + "(`hour`, user_id, key_id, model, channel_id, requests, input_tokens, output_tokens, cost_micros, "
                + "errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)")) {
            ps.setTimestamp(1, Timestamp.valueOf(LocalDateTime.ofInstant(hour, ZoneOffset.UTC)));
            ps.setLong(2, userId);
            ps.setLong(3, keyId);
            ps.setString(4, model);
            ps.setLong(5, channelId);
            ps.setLong(6, requests);
            ps.setLong(7, requests * 100);
            ps.setLong(8, requests * 10);
            ps.setLong(9, cost);
            ps.executeUpdate();
        }
    }

    private long createChannel(String name) {
        return json(post(admin, "/api/channels", Map.of("name", name, "provider", "openai", "baseUrl",
                "http://127.0.0.1:9/v1", "apiKey", "sk-x", "models", List.of("gpt-4o"))).expectStatus().isCreated()
                .expectBody(String.class).returnResult().getResponseBody()).path("id").asLong();
    }

    private long createChannel(String name, List<String> tags) {
        return json(post(admin, "/api/channels", Map.of("name", name, "provider", "openai", "baseUrl",
                "http://127.0.0.1:9/v1", "apiKey", "sk-x", "models", List.of("gpt-4o"), "tags", tags))
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody()).path("id")
                .asLong();
    }

    private WebTestClient.ResponseSpec patch(String token, String uri, Object body) {
        return http.patch().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec register(String username, String password) {
        return http.post().uri("/api/auth/register").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password)).exchange();
    }

    private String login(String username, String password) {
        return json(http.post().uri("/api/auth/login").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("username", username, "password", password))
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
                .path("token").asString();
    }

    private long createCustomer(String username) {
        return json(post(admin, "/api/users", Map.of("username", username, "password", username + "-password"))
                .expectStatus().isCreated().expectBody(String.class).returnResult().getResponseBody())
                .path("id").asLong();
    }

    private WebTestClient.ResponseSpec post(String token, String uri, Object body) {
        return http.post().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec put(String token, String uri, Object body) {
        return http.put().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private WebTestClient.ResponseSpec get(String token, String uri) {
        return http.get().uri(uri).header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange();
    }

    private JsonNode getJson(String token, String uri) {
        return json(get(token, uri).expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
    }

    private static void expectError(WebTestClient.ResponseSpec response, int status, String code) {
        String body = response.expectStatus().isEqualTo(status).expectBody(String.class).returnResult()
                .getResponseBody();
        JsonNode error = json(body).path("error");
        assertThat(error.path("code").asString()).as(body).isEqualTo(code);
        assertThat(error.path("message").asString()).isNotBlank();
    }

    private static JsonNode json(String body) {
        return Json.mapper().readTree(body);
    }
}
