package dev.tollgate.local;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * First-run data through the admin API (DESIGN "Admin API"): the simulator as an OpenAI, an Anthropic, a
 * Bedrock, a Gemini and an Azure OpenAI channel, prices for their models, a demo user with $10 and a demo key. Every write carries an Idempotency-Key and is
 * retried (same key) on 503 or a connection error.
 */
public final class Seeder {

    public static final List<String> MODELS = List.of("gpt-4o-mini", "gpt-4o", "gpt-4.1-mini");
    public static final List<String> ANTHROPIC_MODELS = List.of("claude-sonnet-4-5", "claude-haiku-4-5");
    /** A customer-facing name the Bedrock channel maps to a cross-region inference profile id. */
    public static final String BEDROCK_MODEL = "bedrock-claude-sonnet-4";
    public static final List<String> GEMINI_MODELS = List.of("gemini-2.5-flash");
    /** A customer-facing name the Azure channel serves from a deployment of the simulator's resource. */
    public static final String AZURE_MODEL = "azure-gpt-4o-mini";

    /** What seeding produced. */
    public record Result(String demoUser, String demoPassword, long demoUserId, String demoKey) {
    }

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String adminUrl;
    private String token;

    public Seeder(String adminUrl) {
        this.adminUrl = adminUrl;
    }

    /** @param simulatorRoot the simulator's root URL, e.g. {@code http://127.0.0.1:8090} */
    public Result seed(String adminPassword, String simulatorRoot) throws IOException, InterruptedException {
        login("admin", adminPassword);

        call("POST", "/api/channels", channel("simulator", "openai", simulatorRoot + "/v1", "sk-simulator", MODELS,
                Map.of(), Map.of()));
        call("POST", "/api/channels", channel("simulator-anthropic", "anthropic", simulatorRoot, "sk-ant-simulator",
                ANTHROPIC_MODELS, Map.of(), Map.of()));
        call("POST", "/api/channels", channel("simulator-bedrock", "bedrock", simulatorRoot, "simulator-secret",
                List.of(BEDROCK_MODEL), Map.of(BEDROCK_MODEL, "us.anthropic.claude-sonnet-4-20250514-v1:0"),
                Map.of("region", "us-east-1", "accessKeyId", "AKIDSIMULATOR")));
        call("POST", "/api/channels", channel("simulator-gemini", "gemini", simulatorRoot, "AIza-simulator",
                GEMINI_MODELS, Map.of(), Map.of()));
        call("POST", "/api/channels", channel("simulator-azure", "azure", simulatorRoot, "azure-simulator-key",
                List.of(AZURE_MODEL), Map.of(), Map.of("apiVersion", "2024-10-21",
                        "deployments", Map.of(AZURE_MODEL, "gpt-4o-mini"))));

        price("gpt-4o-mini", 150_000, 600_000, 75_000);
        price("gpt-4o", 2_500_000, 10_000_000, 1_250_000);
        price("gpt-4.1-mini", 400_000, 1_600_000, 100_000);
        price("claude-sonnet-4-5", 3_000_000, 15_000_000, 300_000);
        price("claude-haiku-4-5", 1_000_000, 5_000_000, 100_000);
        price(BEDROCK_MODEL, 3_000_000, 15_000_000, 300_000);
        price("gemini-2.5-flash", 300_000, 2_500_000, 75_000);
        price(AZURE_MODEL, 150_000, 600_000, 75_000);

        String demoPassword = Secrets.randomPassword(16);
        Map<String, Object> user = call("POST", "/api/users",
                Map.of("username", "demo", "password", demoPassword, "group", "default"));
        long userId = ((Number) user.get("id")).longValue();
        call("POST", "/api/users/" + userId + "/topups", Map.of("amountMicros", 10_000_000L, "note", "demo credit"));
        Map<String, Object> key = call("POST", "/api/keys", Map.of("userId", userId, "name", "demo"));
        Object k = key.get("key");
        if (k == null) {
            throw new IOException("POST /api/keys answered without a key: " + key);
        }
        return new Result("demo", demoPassword, userId, k.toString());
    }

    private static Map<String, Object> channel(String name, String provider, String baseUrl, String apiKey,
            List<String> models, Map<String, String> mapping, Map<String, Object> config) {
        Map<String, Object> channel = new LinkedHashMap<>();
        channel.put("name", name);
        channel.put("provider", provider);
        channel.put("baseUrl", baseUrl);
        channel.put("apiKey", apiKey);
        channel.put("models", models);
        channel.put("modelMapping", mapping);
        channel.put("config", config);
        channel.put("groups", List.of("default"));
        channel.put("priority", 0);
        channel.put("weight", 1);
        channel.put("enabled", true);
        return channel;
    }

    private void price(String model, long input, long output, long cachedInput) throws IOException, InterruptedException {
        call("PUT", "/api/prices/" + URLEncoder.encode(model, StandardCharsets.UTF_8),
                Map.of("inputMicrosPerMTok", input, "outputMicrosPerMTok", output, "cachedInputMicrosPerMTok", cachedInput));
    }

    /** Logs in; retries for up to 30 s while the admin user may still be on its way to the ledger. */
    public void login(String username, String password) throws IOException, InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            HttpResponse<String> r = send("POST", "/api/auth/login", Map.of("username", username, "password", password), null);
            if (r != null && r.statusCode() == 200) {
                Object t = parse(r.body()).get("token");
                if (t == null) {
                    throw new IOException("login answered without a token");
                }
                token = t.toString();
                return;
            }
            if (System.nanoTime() > end) {
                throw new IOException("admin login failed: " + describe(r)
                        + " (if .tollgate/secrets.env was recreated after the database was seeded, "
                        + "set TOLLGATE_ADMIN_PASSWORD to the original password)");
            }
            Thread.sleep(1000);
        }
    }

    /** An authenticated write with an Idempotency-Key; retried up to 5 times on 503 or I/O errors. */
    public Map<String, Object> call(String method, String path, Object body) throws IOException, InterruptedException {
        String idem = UUID.randomUUID().toString();
        HttpResponse<String> r = null;
        for (int attempt = 1; attempt <= 5; attempt++) {
            r = send(method, path, body, idem);
            if (r != null && r.statusCode() / 100 == 2) {
                return r.body() == null || r.body().isBlank() ? Map.of() : parse(r.body());
            }
            if (r != null && r.statusCode() != 503 && r.statusCode() != 502 && r.statusCode() != 504) {
                break;
            }
            Thread.sleep(2000L * attempt);
        }
        throw new IOException(method + " " + path + " failed: " + describe(r));
    }

    private HttpResponse<String> send(String method, String path, Object body, String idempotencyKey)
            throws InterruptedException, IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(adminUrl + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null; // connection problem: caller retries or reports
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parse(String body) throws IOException {
        try {
            Object o = JSON.readValue(body, Object.class);
            if (o instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
            throw new IOException("expected a JSON object, got: " + abbreviate(body));
        } catch (RuntimeException e) {
            throw new IOException("not JSON: " + abbreviate(body), e);
        }
    }

    private static String describe(HttpResponse<String> r) {
        if (r == null) {
            return "no answer (connection failed)";
        }
        return "HTTP " + r.statusCode() + " " + abbreviate(r.body());
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
