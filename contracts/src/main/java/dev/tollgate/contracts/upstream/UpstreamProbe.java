package dev.tollgate.contracts.upstream;

import dev.tollgate.contracts.json.Json;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A cheap call to a channel's upstream, shared by the ledger's probe job and the admin's "test channel" and
 * "fetch models": plain {@code java.net.http}, short timeouts, the key only in a header (never in a message or
 * a log).
 *
 * <ul>
 * <li>{@link #probe(String, String, String, Map, String)} with a model sends the smallest chat request (one
 * output token): only that proves both the key and the account's credit (a listing answers for an account out
 * of credit too).</li>
 * <li>without a model it lists the models: proves the key only.</li>
 * </ul>
 * OpenAI family: {@code {baseUrl}/models}, {@code {baseUrl}/chat/completions} with a bearer key. Anthropic:
 * {@code {root}/v1/models}, {@code {root}/v1/messages} with {@code x-api-key} and {@code anthropic-version}.
 * Gemini: {@code {root}/v1beta/models[/{m}:generateContent]} with {@code x-goog-api-key}. Azure: the URLs of
 * {@link AzureOpenAi} (a deployment's chat completions under a dated {@code api-version}, or the v1 surface) with
 * {@code api-key}. A Vertex AI {@code gemini} channel ({@link VertexAi}): its {@code generateContent} URL, with a
 * bearer token bought with the channel's service-account key first ({@link GoogleServiceAccount}), or an express-mode
 * API key in {@code x-goog-api-key}; it is probed with a model only (Vertex's listing is Model Garden's, which says
 * nothing of the channel's quota), and its models are Model Garden's publisher list
 * ({@link VertexAi#publisherModelsUrl}, followed page by page up to {@link #MAX_VERTEX_PAGES}). A blank
 * base URL means the provider's default ({@link ProviderDefaults}). Bedrock is
 * {@link ProbeResult.Verdict#UNSUPPORTED} here: it needs the AWS SDK.
 */
public final class UpstreamProbe {

    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration TOTAL_TIMEOUT = Duration.ofSeconds(15);
    static final String ANTHROPIC_VERSION = "2023-06-01";
    private static final Set<String> OPENAI_FAMILY = Set.of("openai", "deepseek", "groq", "mistral", "xai",
            "openrouter", "together", "siliconflow", "ollama", "vllm");
    private static final String PING = "ping";
    /** Model Garden lists a few hundred models; a bound keeps a misbehaving endpoint from looping the admin. */
    static final int MAX_VERTEX_PAGES = 20;
    /** Sent with every probe so upstream logs (and tests) can tell the gateway's probes from customer traffic. */
    public static final String USER_AGENT = "tollgate-probe/1";

    private final HttpClient http;
    private final Duration total;

    public UpstreamProbe() {
        this(CONNECT_TIMEOUT, TOTAL_TIMEOUT);
    }

    public UpstreamProbe(Duration connect, Duration total) {
        this.http = HttpClient.newBuilder()
                .connectTimeout(connect)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.total = total;
    }

    /** Lists the models: proves the key is accepted. */
    public ProbeResult probe(String provider, String baseUrl, String apiKey, Map<String, Object> config) {
        return probe(provider, baseUrl, apiKey, config, null);
    }

    /**
     * The smallest chat request to {@code model} (the upstream's name for it) when given, else a model listing.
     * Never throws for an upstream's failure: the result says what happened.
     */
    public ProbeResult probe(String provider, String baseUrl, String apiKey, Map<String, Object> config,
            String model) {
        if ("gemini".equals(family(provider)) && VertexAi.isVertex(config, apiKey)) {
            return probeVertex(baseUrl, apiKey, config, model);
        }
        HttpRequest request;
        try {
            request = model == null || model.isBlank() ? listRequest(provider, baseUrl, apiKey, config)
                    : chatRequest(provider, baseUrl, apiKey, config, model);
        } catch (IllegalArgumentException e) {
            return new ProbeResult(ProbeResult.Verdict.UPSTREAM_ERROR, 0, 0, "the channel's base URL is not usable");
        }
        if (request == null) {
            return ProbeResult.unsupported(provider);
        }
        return send(request, apiKey).result();
    }

    /** The upstream's model ids (Gemini's without the {@code models/} prefix, Vertex's without its publisher path), in its order. */
    public List<String> models(String provider, String baseUrl, String apiKey, Map<String, Object> config) {
        if ("gemini".equals(family(provider)) && VertexAi.isVertex(config, apiKey)) {
            return vertexModels(baseUrl, apiKey, config);
        }
        HttpRequest request;
        try {
            request = listRequest(provider, baseUrl, apiKey, config);
        } catch (IllegalArgumentException e) {
            throw new ProbeFailedException(
                    new ProbeResult(ProbeResult.Verdict.UPSTREAM_ERROR, 0, 0, "the channel's base URL is not usable"));
        }
        if (request == null) {
            throw new ProbeFailedException(ProbeResult.unsupported(provider));
        }
        Answer answer = send(request, apiKey);
        if (!answer.result().ok()) {
            throw new ProbeFailedException(answer.result());
        }
        return modelIds(family(provider), answer.body());
    }

    // ---- requests ----

    private HttpRequest listRequest(String provider, String baseUrl, String apiKey, Map<String, Object> config) {
        String family = family(provider);
        String base = trimSlashes(ProviderDefaults.baseUrlOr(provider, baseUrl));
        if ("openai".equals(family)) {
            return authorize(family, get(base + "/models"), apiKey, config).build();
        } else if ("anthropic".equals(family)) {
            return authorize(family, get(withoutV1(base) + "/v1/models?limit=1000"), apiKey, config).build();
        } else if ("gemini".equals(family)) {
            return authorize(family, get(withoutVersion(base) + "/v1beta/models?pageSize=1000"), apiKey, config)
                    .build();
        } else if ("azure".equals(family)) {
            return authorize(family, get(AzureOpenAi.of(base, config).modelsUrl()), apiKey, config).build();
        }
        return null;
    }

    private HttpRequest chatRequest(String provider, String baseUrl, String apiKey, Map<String, Object> config,
            String model) {
        String family = family(provider);
        String base = trimSlashes(ProviderDefaults.baseUrlOr(provider, baseUrl));
        ObjectNode body = Json.mapper().createObjectNode();
        String url;
        if ("openai".equals(family)) {
            body.put("model", model);
            body.putArray("messages").addObject().put("role", "user").put("content", PING);
            // OpenAI's reasoning models refuse max_tokens; every OpenAI-compatible server knows max_tokens.
            body.put("openai".equals(provider) ? "max_completion_tokens" : "max_tokens", 1);
            url = base + "/chat/completions";
        } else if ("azure".equals(family)) {
            AzureOpenAi azure = AzureOpenAi.of(base, config);
            String deployment = AzureOpenAi.deployment(config, model, model);
            // The v1 surface reads the deployment from the body; a dated one from the path (and ignores the body's).
            body.put("model", azure.v1() ? deployment : model);
            body.putArray("messages").addObject().put("role", "user").put("content", PING);
            body.put(azure.modern() ? "max_completion_tokens" : "max_tokens", 1);
            url = azure.chatUrl(deployment);
        } else if ("anthropic".equals(family)) {
            body.put("model", model);
            body.put("max_tokens", 1);
            body.putArray("messages").addObject().put("role", "user").put("content", PING);
            url = withoutV1(base) + "/v1/messages";
        } else if ("gemini".equals(family)) {
            body.putArray("contents").addObject().put("role", "user").putArray("parts").addObject().put("text", PING);
            body.putObject("generationConfig").put("maxOutputTokens", 1);
            url = withoutVersion(base) + "/v1beta/models/" + encode(model) + ":generateContent";
        } else {
            return null;
        }
        return authorize(family, HttpRequest.newBuilder(URI.create(url)), apiKey, config)
                .timeout(total)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body)))
                .build();
    }

    private HttpRequest.Builder get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(total).GET();
    }

    private static HttpRequest.Builder authorize(String family, HttpRequest.Builder request, String apiKey,
            Map<String, Object> config) {
        request.header("Accept", "application/json");
        request.header("User-Agent", USER_AGENT);
        boolean hasKey = apiKey != null && !apiKey.isBlank();
        if ("anthropic".equals(family)) {
            String version = configString(config, "anthropicVersion");
            request.header("anthropic-version", version == null || version.isBlank() ? ANTHROPIC_VERSION : version);
            if (hasKey) {
                request.header("x-api-key", apiKey);
            }
        } else if ("gemini".equals(family)) {
            if (hasKey) {
                request.header("x-goog-api-key", apiKey);
            }
        } else if ("azure".equals(family)) {
            if (hasKey) {
                request.header("api-key", apiKey);
            }
        } else if (hasKey) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return request;
    }

    // ---- Vertex AI ----

    /** The smallest generateContent call, after buying a token with the service account when the key is one. */
    private ProbeResult probeVertex(String baseUrl, String apiKey, Map<String, Object> config, String model) {
        if (model == null || model.isBlank()) {
            return new ProbeResult(ProbeResult.Verdict.UNSUPPORTED, 0, 0,
                    "a Vertex AI channel is probed with a model: list one or set config.testModel");
        }
        VertexAccess access = vertexAccess(baseUrl, apiKey, config);
        if (access.failure() != null) {
            return access.failure();
        }
        HttpRequest.Builder request = access.authorize(
                HttpRequest.newBuilder(URI.create(access.vertex().generateUrl(model, false))))
                .timeout(total)
                .header("Content-Type", "application/json");
        ObjectNode body = Json.mapper().createObjectNode();
        body.putArray("contents").addObject().put("role", "user").putArray("parts").addObject().put("text", PING);
        body.putObject("generationConfig").put("maxOutputTokens", 1);
        request.POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body)));
        return send(request.build(), access.secret()).result();
    }

    /** Model Garden's publisher models, every page (up to {@link #MAX_VERTEX_PAGES}), with one token bought. */
    private List<String> vertexModels(String baseUrl, String apiKey, Map<String, Object> config) {
        VertexAccess access = vertexAccess(baseUrl, apiKey, config);
        if (access.failure() != null) {
            throw new ProbeFailedException(access.failure());
        }
        List<String> ids = new ArrayList<>();
        String pageToken = null;
        for (int page = 0; page < MAX_VERTEX_PAGES; page++) {
            HttpRequest request = access.authorize(
                    HttpRequest.newBuilder(URI.create(access.vertex().publisherModelsUrl(pageToken))))
                    .timeout(total)
                    .GET()
                    .build();
            Answer answer = send(request, access.secret());
            if (!answer.result().ok()) {
                throw new ProbeFailedException(answer.result());
            }
            ids.addAll(publisherModelIds(answer.body()));
            pageToken = answer.body() == null ? null : answer.body().path("nextPageToken").asString(null);
            if (pageToken == null || pageToken.isBlank()) {
                break;
            }
        }
        return ids;
    }

    /** {@code publisherModels[].name} without {@code publishers/google/models/}: the id a channel names. */
    static List<String> publisherModelIds(JsonNode body) {
        List<String> ids = new ArrayList<>();
        if (body == null) {
            return ids;
        }
        for (JsonNode model : body.path("publisherModels")) {
            String name = model.path("name").asString(null);
            if (name != null && !name.isBlank()) {
                int slash = name.lastIndexOf('/');
                String id = name.substring(slash + 1);
                if (!id.isBlank() && !ids.contains(id)) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /**
     * Where a Vertex channel's calls go and how they authenticate: a bearer token bought with its service account,
     * or its express-mode key; or why neither can be had.
     *
     * @param secret what {@link #send} scrubs from messages: the token or the key
     */
    private record VertexAccess(VertexAi vertex, String header, String secret, ProbeResult failure) {

        static VertexAccess failed(ProbeResult failure) {
            return new VertexAccess(null, null, null, failure);
        }

        HttpRequest.Builder authorize(HttpRequest.Builder request) {
            request.header("Accept", "application/json").header("User-Agent", USER_AGENT);
            if (header != null && secret != null && !secret.isBlank()) {
                request.header(header, header.equals("Authorization") ? "Bearer " + secret : secret);
            }
            return request;
        }
    }

    private VertexAccess vertexAccess(String baseUrl, String apiKey, Map<String, Object> config) {
        GoogleServiceAccount account = null;
        VertexAi vertex;
        try {
            if (GoogleServiceAccount.looksLikeJsonKey(apiKey)) {
                account = GoogleServiceAccount.parse(apiKey);
            }
        } catch (IllegalArgumentException e) {
            return VertexAccess.failed(new ProbeResult(ProbeResult.Verdict.CREDENTIALS_REJECTED, 0, 0,
                    e.getMessage()));
        }
        try {
            vertex = VertexAi.of(baseUrl, config, account == null ? null : account.projectId());
        } catch (IllegalArgumentException e) {
            return VertexAccess.failed(new ProbeResult(ProbeResult.Verdict.UPSTREAM_ERROR, 0, 0, e.getMessage()));
        }
        if (account == null) {
            return new VertexAccess(vertex, "x-goog-api-key", apiKey, null);
        }
        Answer token = exchange(account);
        if (!token.result().ok()) {
            return VertexAccess.failed(token.result());
        }
        return new VertexAccess(vertex, "Authorization", token.body().path("access_token").asString(""), null);
    }

    /** The service account's JWT traded for an access token; a refusal reads as rejected credentials. */
    private Answer exchange(GoogleServiceAccount account) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(account.tokenUri()))
                    .timeout(total)
                    .header("Accept", "application/json")
                    .header("User-Agent", USER_AGENT)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(account.tokenRequestBody(Instant.now())))
                    .build();
        } catch (IllegalArgumentException e) {
            return new Answer(new ProbeResult(ProbeResult.Verdict.CREDENTIALS_REJECTED, 0, 0, e.getMessage()), null);
        }
        Answer answer = send(request, null);
        if (answer.result().ok() || answer.result().status() == 0) {
            if (answer.result().ok() && (answer.body() == null || !answer.body().path("access_token").isString())) {
                return new Answer(new ProbeResult(ProbeResult.Verdict.UPSTREAM_ERROR, answer.result().status(),
                        answer.result().latencyMs(), "the token endpoint answered without an access token"), null);
            }
            return answer;
        }
        int status = answer.result().status();
        // Google answers a bad signature or an unknown key with 400 invalid_grant: the key is what is wrong.
        ProbeResult.Verdict verdict = status >= 400 && status < 500 && status != 429
                ? ProbeResult.Verdict.CREDENTIALS_REJECTED : ProbeResult.Verdict.UPSTREAM_ERROR;
        String reason = answer.body() == null ? null
                : GoogleServiceAccount.refusalReason(Json.mapper().writeValueAsBytes(answer.body()));
        String message = "the token endpoint refused the service account (" + status + ")"
                + (reason == null ? "" : ": " + ProbeMessages.scrub(reason, null));
        return new Answer(new ProbeResult(verdict, status, answer.result().latencyMs(), message), null);
    }

    // ---- sending ----

    private record Answer(ProbeResult result, JsonNode body) {
    }

    private Answer send(HttpRequest request, String apiKey) {
        long start = System.nanoTime();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            return failed(ProbeResult.Verdict.UNREACHABLE, start, "could not connect to the upstream in time");
        } catch (HttpTimeoutException e) {
            return failed(ProbeResult.Verdict.TIMED_OUT, start, "the upstream did not answer in time");
        } catch (ConnectException e) {
            return failed(ProbeResult.Verdict.UNREACHABLE, start, "could not connect to the upstream");
        } catch (IOException e) {
            return failed(ProbeResult.Verdict.UNREACHABLE, start, "the connection to the upstream failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(ProbeResult.Verdict.UNREACHABLE, start, "interrupted");
        }
        long latencyMs = (System.nanoTime() - start) / 1_000_000;
        JsonNode body = parse(response.body());
        int status = response.statusCode();
        String detail = status >= 200 && status < 300 ? null : ProbeMessages.detail(body);
        ProbeResult.Verdict verdict = ProbeMessages.verdict(status, detail);
        return new Answer(new ProbeResult(verdict, status, latencyMs,
                ProbeMessages.message(verdict, status, detail, apiKey)), body);
    }

    private static Answer failed(ProbeResult.Verdict verdict, long start, String message) {
        return new Answer(new ProbeResult(verdict, 0, (System.nanoTime() - start) / 1_000_000, message), null);
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Json.mapper().readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }

    static List<String> modelIds(String family, JsonNode body) {
        List<String> ids = new ArrayList<>();
        if (body == null) {
            return ids;
        }
        JsonNode list = "gemini".equals(family) ? body.path("models") : body.path("data");
        for (JsonNode model : list) {
            String id = "gemini".equals(family) ? model.path("name").asString(null) : model.path("id").asString(null);
            if (id != null && !id.isBlank()) {
                ids.add(id.startsWith("models/") ? id.substring("models/".length()) : id);
            }
        }
        return ids;
    }

    // ---- URLs ----

    static String family(String provider) {
        String name = provider == null ? "" : provider.trim().toLowerCase(Locale.ROOT);
        return OPENAI_FAMILY.contains(name) ? "openai" : name;
    }

    private static String trimSlashes(String baseUrl) {
        if (baseUrl == null || baseUrl.isBlank()) {
            throw new IllegalArgumentException("no base URL");
        }
        String base = baseUrl.strip();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        URI uri = URI.create(base);
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("not an absolute URL");
        }
        return base;
    }

    private static String withoutV1(String base) {
        return base.endsWith("/v1") ? base.substring(0, base.length() - 3) : base;
    }

    private static String withoutVersion(String base) {
        for (String suffix : List.of("/v1beta", "/v1")) {
            if (base.endsWith(suffix)) {
                return base.substring(0, base.length() - suffix.length());
            }
        }
        return base;
    }

    private static String configString(Map<String, Object> config, String name) {
        Object value = config == null ? null : config.get(name);
        return value == null ? null : value.toString();
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
