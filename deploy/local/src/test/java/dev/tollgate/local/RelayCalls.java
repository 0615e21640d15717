package dev.tollgate.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Plain HTTP calls to a relay's OpenAI chat endpoint, keeping the status and the {@code x-request-id}. */
final class RelayCalls {

    /** What a call got; status -1 when no HTTP answer came (connection refused, timeout). */
    record Answer(int status, String requestId, String body, long atMillis) {
        boolean ok() {
            return status == 200;
        }
    }

    static final String PROBE_MODEL = "no-such-model-probe";

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private RelayCalls() {
    }

    static Answer chat(String relayUrl, String key, String model, int maxTokens) {
        try {
            HttpResponse<String> r = HTTP.send(request(relayUrl, key, model, maxTokens), HttpResponse.BodyHandlers.ofString());
            return answer(r);
        } catch (IOException e) {
            return new Answer(-1, null, e.toString(), System.currentTimeMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, null, "interrupted", System.currentTimeMillis());
        }
    }

    static CompletableFuture<Answer> chatAsync(String relayUrl, String key, String model, int maxTokens) {
        return HTTP.sendAsync(request(relayUrl, key, model, maxTokens), HttpResponse.BodyHandlers.ofString())
                .thenApply(RelayCalls::answer)
                .exceptionally(e -> new Answer(-1, null, e.toString(), System.currentTimeMillis()));
    }

    /**
     * True once the relay knows the key: a request for a model nobody serves gets past authentication (a 404,
     * not a 401) and costs nothing, so probing does not touch the balance.
     */
    static boolean knowsKey(String relayUrl, String key) {
        int status = chat(relayUrl, key, PROBE_MODEL, 1).status();
        return status != 401 && status != -1 && status < 500;
    }

    private static HttpRequest request(String relayUrl, String key, String model, int maxTokens) {
        String body = "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Say something short\"}]}";
        return HttpRequest.newBuilder(URI.create(relayUrl + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static Answer answer(HttpResponse<String> r) {
        return new Answer(r.statusCode(), r.headers().firstValue("x-request-id").orElse(null), r.body(),
                System.currentTimeMillis());
    }

    /** GET a relay's (or any service's) {@code /actuator/health} body; null when it does not answer. */
    static String health(String baseUrl) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health"))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
