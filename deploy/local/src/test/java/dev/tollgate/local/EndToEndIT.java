package dev.tollgate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import dev.tollgate.contracts.money.Cost;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.simulator.Simulator;
import dev.tollgate.simulator.SimulatorConfig;
import dev.tollgate.testsupport.TestDatabase;
import dev.tollgate.testsupport.TestKafka;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The walking skeleton across the three services, each a real JVM from its packaged jar, on a real
 * Kafka broker and MariaDB: admin API → commands → ledger → MySQL; relay → usage → ledger → balance.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Price PRICE = new Price(150_000, 600_000, 75_000, 0, 0, 0, 0);
    private static final long TOP_UP = 5_000_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static TestDatabase db;
    private static Simulator sim;
    private static Stack stack;
    private static String adminToken;
    private static long userId;
    private static long keyId;
    private static String customerKey;
    private static long expectedSpent;
    /** Relay requests that reached a user (each makes exactly one usage event). */
    private static final java.util.concurrent.atomic.AtomicInteger metered = new java.util.concurrent.atomic.AtomicInteger();

    @BeforeAll
    static void startEverything() throws Exception {
        db = TestDatabase.create();
        sim = Simulator.start(0);
        Path root = repoRoot();
        Stack.Settings settings = new Stack.Settings(root)
                .db(db.host(), db.port(), db.name(), db.user(), db.password())
                .kafka(TestKafka.bootstrapServers())
                .topicPrefix(TestKafka.uniquePrefix())
                .secrets("e2e-session-secret-" + UUID.randomUUID(), "e2e-master-" + UUID.randomUUID(), "e2e-admin-pass")
                .ports(freePort(), freePort(), freePort(), freePort())
                .relayId("e2e-relay")
                .logDir(root.resolve("deploy/local/target/e2e-logs"))
                .console(System.out, ServiceProcess.DEFAULT_ECHO);
        stack = Stack.start(settings);
        adminToken = login("admin", "e2e-admin-pass");
    }

    @AfterAll
    static void stopEverything() {
        if (stack != null) {
            stack.close();
        }
        if (sim != null) {
            sim.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    @Order(1)
    void shouldSetUpCustomerChannelAndPriceThroughTheAdminApi() throws Exception {
        JsonNode user = adminPost("/api/users", Map.of("username", "ann", "password", "ann-password-1", "group", "default"));
        userId = user.path("id").asLong();
        assertThat(userId).isPositive();

        JsonNode topUp = adminPost("/api/users/" + userId + "/topups", Map.of("amountMicros", TOP_UP, "note", "e2e credit"));
        assertThat(topUp.path("amountMicros").asLong()).isEqualTo(TOP_UP);

        JsonNode key = adminPost("/api/keys", Map.of("userId", userId, "name", "e2e"));
        customerKey = key.path("key").asString();
        keyId = key.path("id").asLong();
        assertThat(customerKey).startsWith("tg-").hasSize(46);

        JsonNode channel = adminPost("/api/channels", Map.of("name", "sim", "provider", "openai",
                "baseUrl", sim.baseUrl(), "apiKey", "sk-sim-upstream", "models", List.of("gpt-4o-mini"),
                "groups", List.of("default"), "priority", 0, "weight", 1, "enabled", true));
        assertThat(channel.toString()).doesNotContain("sk-sim-upstream");

        JsonNode price = adminPut("/api/prices/gpt-4o-mini", Map.of(
                "inputMicrosPerMTok", PRICE.inputMicrosPerMTok(),
                "outputMicrosPerMTok", PRICE.outputMicrosPerMTok(),
                "cachedInputMicrosPerMTok", PRICE.cachedInputMicrosPerMTok()));
        assertThat(price.path("version").asLong()).isPositive();

        assertThat(adminGet("/api/users/" + userId).path("balanceMicros").asLong()).isEqualTo(TOP_UP);
    }

    @Test
    @Order(2)
    void shouldChargeExactlyTheFormulaForNonStreamingAndStreamingCalls() throws Exception {
        // Big, distinct token counts so any rounding or double-count shows.
        sim.config(SimulatorConfig.defaults().withPromptTokens(1234).withCompletionTokens(567).withCachedTokens(200));
        OpenAIClient client = openAi(customerKey);
        waitUntilRelayServes(client);
        awaitAllRequestsLogged();
        long before = balance();
        sim.reset();
        sim.config(SimulatorConfig.defaults().withPromptTokens(1234).withCompletionTokens(567).withCachedTokens(200));

        ChatCompletion answer = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini").addUserMessage("Hello through the gateway").build());
        assertThat(answer.choices().get(0).message().content()).hasValueSatisfying(t -> assertThat(t).contains("tok0"));
        CompletionUsage usage = answer.usage().orElseThrow();
        assertThat(usage.promptTokens()).isEqualTo(1234);
        metered.incrementAndGet();
        long costPlain = costOf(usage);

        sim.config(SimulatorConfig.defaults().withPromptTokens(777).withCompletionTokens(333).withChunks(7));
        AtomicReference<CompletionUsage> streamed = new AtomicReference<>();
        StringBuilder text = new StringBuilder();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(
                ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("Stream please")
                        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build())) {
            stream.stream().forEach(chunk -> {
                chunk.usage().ifPresent(streamed::set);
                chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append));
            });
        }
        metered.incrementAndGet();
        assertThat(text.toString()).startsWith("tok0 ").contains("tok6");
        assertThat(streamed.get()).as("usage chunk asked for with include_usage").isNotNull();
        assertThat(streamed.get().completionTokens()).isEqualTo(333);
        long costStream = costOf(streamed.get());

        expectedSpent = costPlain + costStream;
        assertThat(costPlain).isEqualTo(Cost.micros(TokenUsage.fromOpenAi(1234, 200, 567, 0), PRICE, 10_000));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(balance()).isEqualTo(before - expectedSpent));
    }

    @Test
    @Order(3)
    void shouldListTheRequestsInTheLogsWithTheirCosts() throws Exception {
        awaitAllRequestsLogged();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode logs = adminGet("/api/logs?userId=" + userId + "&page=0&size=50");
            List<Long> costs = new ArrayList<>();
            long successes = 0;
            for (JsonNode item : logs.path("items")) {
                if ("success".equals(item.path("status").asString())) {
                    successes++;
                    costs.add(item.path("costMicros").asLong());
                }
            }
            assertThat(successes).isGreaterThanOrEqualTo(2);
            assertThat(logs.path("total").asLong()).isGreaterThanOrEqualTo(2);
            JsonNode first = logs.path("items").get(0);
            assertThat(first.path("requestId").asString()).isNotBlank();
            assertThat(first.path("model").asString()).isEqualTo("gpt-4o-mini");
            long summed = 0;
            for (JsonNode item : logs.path("items")) {
                summed += item.path("costMicros").asLong();
            }
            assertThat(summed).isEqualTo(TOP_UP - balance());
        });
        // A customer sees only their own logs: log in as ann and ask for the admin's.
        String annToken = login("ann", "ann-password-1");
        JsonNode annLogs = get("/api/logs?userId=1", annToken);
        for (JsonNode item : annLogs.path("items")) {
            assertThat(item.path("userId").asLong()).isEqualTo(userId);
        }
    }

    @Test
    @Order(4)
    void shouldStopADisabledKeyOnTheRelayWithinOneSecond() throws Exception {
        assertThat(relayStatus(customerKey)).isEqualTo(200);
        HttpResponse<String> patched = send(HttpRequest.newBuilder(URI.create(stack.adminUrl() + "/api/keys/" + keyId))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"enabled\":false}")).build());
        assertThat(patched.statusCode()).isEqualTo(200);
        long committedAt = System.nanoTime();
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20))
                .until(() -> relayStatus(customerKey) == 401);
        long ms = (System.nanoTime() - committedAt) / 1_000_000;
        System.out.println("key disable reached the relay in " + ms + " ms after the admin answered");
    }

    // --- helpers ---

    private static long costOf(CompletionUsage usage) {
        long cached = usage.promptTokensDetails().flatMap(d -> d.cachedTokens()).orElse(0L);
        long reasoning = usage.completionTokensDetails().flatMap(d -> d.reasoningTokens()).orElse(0L);
        return Cost.micros(TokenUsage.fromOpenAi(usage.promptTokens(), cached, usage.completionTokens(), reasoning),
                PRICE, 10_000);
    }

    private static long balance() throws Exception {
        return adminGet("/api/users/" + userId).path("balanceMicros").asLong();
    }

    private static OpenAIClient openAi(String key) {
        return OpenAIOkHttpClient.builder().baseUrl(stack.relayUrl() + "/v1").apiKey(key).maxRetries(0)
                .timeout(Duration.ofSeconds(30)).build();
    }

    /** The key and channel reach the relay through the changes topic: wait until it answers 200. */
    private static void waitUntilRelayServes(OpenAIClient ignored) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> relayStatus(customerKey) == 200);
    }

    /** Every metered request is in the request log, so the balance has settled. */
    private static void awaitAllRequestsLogged() {
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> adminGet("/api/logs?userId=" + userId + "&page=0&size=1").path("total").asLong() == metered.get());
    }

    private static int relayStatus(String key) throws Exception {
        int status = send(HttpRequest.newBuilder(URI.create(stack.relayUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-4o-mini\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}]}"))
                .build()).statusCode();
        if (status != 401) {
            metered.incrementAndGet();
        }
        return status;
    }

    private static String login(String username, String password) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(stack.adminUrl() + "/api/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        Map.of("username", username, "password", password)))).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("token").asString();
    }

    private static JsonNode adminPost(String path, Object body) throws Exception {
        return write("POST", path, body);
    }

    private static JsonNode adminPut(String path, Object body) throws Exception {
        return write("PUT", path, body);
    }

    private static JsonNode write(String method, String path, Object body) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(stack.adminUrl() + path))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 201);
        return JSON.readTree(r.body());
    }

    private static JsonNode adminGet(String path) throws Exception {
        return get(path, adminToken);
    }

    private static JsonNode get(String path, String token) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(stack.adminUrl() + path))
                .header("Authorization", "Bearer " + token).GET().build());
        assertThat(r.statusCode()).as("GET " + path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !p.resolve("ledger-service").toFile().isDirectory()) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the checkout root from " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
