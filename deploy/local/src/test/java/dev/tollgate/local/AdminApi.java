package dev.tollgate.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The admin REST API as the fault tests use it: log in, then seed a customer, a channel and a price. */
final class AdminApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A customer ready to call the relay. */
    record Customer(long userId, long keyId, String key) {
    }

    private final String baseUrl;
    private final String token;

    private AdminApi(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    static AdminApi login(String baseUrl, String username, String password) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl + "/api/auth/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                        Map.of("username", username, "password", password)))).build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new AdminApi(baseUrl, JSON.readTree(r.body()).path("token").asString());
    }

    /** A simulator channel for {@code model} and its price (per million tokens). */
    void channelAndPrice(String simulatorBaseUrl, String model, long inputMicrosPerMTok, long outputMicrosPerMTok) {
        write("POST", "/api/channels", Map.of("name", "sim-" + model, "provider", "openai",
                "baseUrl", simulatorBaseUrl, "apiKey", "sk-sim-upstream", "models", List.of(model),
                "groups", List.of("default"), "priority", 0, "weight", 1, "enabled", true));
        write("PUT", "/api/prices/" + model, Map.of("inputMicrosPerMTok", inputMicrosPerMTok,
                "outputMicrosPerMTok", outputMicrosPerMTok));
    }

    /** A customer with {@code topUpMicros} and one key without a quota. */
    Customer customer(String username, long topUpMicros) {
        long userId = write("POST", "/api/users", Map.of("username", username, "password", username + "-password-1",
                "group", "default")).path("id").asLong();
        write("POST", "/api/users/" + userId + "/topups", Map.of("amountMicros", topUpMicros, "note", "test credit"));
        JsonNode key = write("POST", "/api/keys", Map.of("userId", userId, "name", username + "-key"));
        return new Customer(userId, key.path("id").asLong(), key.path("key").asString());
    }

    JsonNode write(String method, String path, Object body) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 201);
        return JSON.readTree(r.body());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
