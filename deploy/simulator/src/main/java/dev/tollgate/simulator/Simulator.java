package dev.tollgate.simulator;

import dev.tollgate.simulator.anthropic.AnthropicHandler;
import dev.tollgate.simulator.azure.AzureHandler;
import dev.tollgate.simulator.bedrock.BedrockHandler;
import dev.tollgate.simulator.gemini.GeminiHandler;
import dev.tollgate.simulator.openai.OpenAiHandler;
import dev.tollgate.simulator.openai.OpenAiAudioHandler;
import dev.tollgate.simulator.openai.OpenAiImageEditsHandler;
import dev.tollgate.simulator.openai.OpenAiResponsesHandler;
import dev.tollgate.simulator.openai.OpenAiSurfaceHandler;
import dev.tollgate.simulator.scenario.ChatExchange;
import dev.tollgate.simulator.vertex.VertexHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in for upstream LLM providers on 127.0.0.1, speaking OpenAI Chat Completions ({@link #baseUrl()}),
 * Anthropic Messages ({@link #anthropicBaseUrl()}), Bedrock Converse ({@link #bedrockEndpoint()}), Gemini
 * ({@link #geminiBaseUrl()}), Vertex AI with its OAuth token endpoint ({@link #vertexBaseUrl()}, {@link #vertex()})
 * and Azure OpenAI ({@link #azureBaseUrl()}) on one port; OpenAI's Responses API natively, with stored responses
 * ({@link OpenAiResponsesHandler}).
 * All dialects answer a request alike (see {@link dev.tollgate.simulator.scenario.ReplyPlan}). Embeddable in tests:
 * <pre>{@code
 * try (Simulator sim = Simulator.start(0)) {
 *     sim.config(SimulatorConfig.defaults().withChunks(3));
 *     // point an OpenAI client at sim.baseUrl(), then check sim.lastRequest()
 * }
 * }</pre>
 * Control endpoints for other processes: {@code GET|PUT /_sim/config}, {@code POST /_sim/reset},
 * {@code GET /_sim/stats}, {@code GET /_sim/requests}.
 */
public final class Simulator implements AutoCloseable {

    static final String HOST = "127.0.0.1";

    private final SimulatorState state;
    private final ObjectMapper json;
    private final DisposableServer server;
    private final VertexHandler vertex;

    private Simulator(String bindHost, int port) {
        this.state = new SimulatorState();
        // Unknown fields in PUT /_sim/config are a typo in a test, not something to ignore silently.
        this.json = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        OpenAiHandler openAi = new OpenAiHandler(state, json);
        AnthropicHandler anthropic = new AnthropicHandler(state, json);
        BedrockHandler bedrock = new BedrockHandler(state, json);
        GeminiHandler gemini = new GeminiHandler(state, json);
        OpenAiSurfaceHandler openAiSurface = new OpenAiSurfaceHandler(state, json);
        OpenAiAudioHandler openAiAudio = new OpenAiAudioHandler(state, json);
        OpenAiImageEditsHandler openAiImageEdits = new OpenAiImageEditsHandler(state, json);
        AzureHandler azure = new AzureHandler(state, json, openAi, openAiSurface, openAiAudio, openAiImageEdits);
        this.vertex = new VertexHandler(state, json, gemini, this::vertexTokenUri, java.time.Clock.systemUTC());
        OpenAiResponsesHandler openAiResponses = new OpenAiResponsesHandler(state, json);
        this.server = HttpServer.create()
                .host(bindHost)
                .port(port)
                .route(routes -> {
                    routes.get("/_sim/config", (req, res) -> sendConfig(res))
                            .put("/_sim/config", this::putConfig)
                            .post("/_sim/reset", this::postReset)
                            .get("/_sim/stats", (req, res) -> sendStats(res))
                            .get("/_sim/requests", (req, res) -> sendRequests(res));
                    vertex.register(routes);
                    // Anthropic first: it claims GET /v1/models only when anthropic-version is sent.
                    anthropic.register(routes);
                    openAi.register(routes);
                    openAiSurface.register(routes);
                    openAiAudio.register(routes);
                    openAiImageEdits.register(routes);
                    openAiResponses.register(routes);
                    bedrock.register(routes);
                    gemini.register(routes);
                    azure.register(routes);
                    routes.route(req -> true, this::notFound);
                })
                .bindNow(Duration.ofSeconds(10));
    }

    /** Starts a simulator on {@code port} (0 = any free port) of 127.0.0.1 with the default config. */
    public static Simulator start(int port) {
        return new Simulator(HOST, port);
    }

    /**
     * Starts a simulator bound to {@code bindHost} (e.g. {@code 0.0.0.0} in a container, where other containers
     * call it); the URL methods keep naming 127.0.0.1, which reaches it from its own host either way.
     */
    public static Simulator start(String bindHost, int port) {
        return new Simulator(bindHost, port);
    }

    public int port() {
        return server.port();
    }

    /** The root an OpenAI SDK takes as its base URL, e.g. {@code http://127.0.0.1:8090/v1}. */
    public String baseUrl() {
        return "http://" + HOST + ":" + port() + "/v1";
    }

    /** The root an Anthropic SDK takes as its base URL, e.g. {@code http://127.0.0.1:8090}. */
    public String anthropicBaseUrl() {
        return "http://" + HOST + ":" + port();
    }

    /** The root a Gemini SDK takes as its base URL (AI Studio's {@code /v1beta} paths), e.g. http://127.0.0.1:8090. */
    public String geminiBaseUrl() {
        return "http://" + HOST + ":" + port();
    }

    /** The endpoint override for a Bedrock Runtime client, e.g. {@code http://127.0.0.1:8090}. */
    public String bedrockEndpoint() {
        return "http://" + HOST + ":" + port();
    }

    /** The root a Vertex AI channel's base URL names instead of Google's, e.g. {@code http://127.0.0.1:8090}. */
    public String vertexBaseUrl() {
        return "http://" + HOST + ":" + port();
    }

    /** The OAuth token endpoint of the Vertex AI stand-in ({@code token_uri} of its service-account keys). */
    public String vertexTokenUri() {
        return "http://" + HOST + ":" + port() + "/token";
    }

    /** The Vertex AI stand-in: service accounts it trusts, token lifetime, tokens issued. */
    public VertexHandler vertex() {
        return vertex;
    }

    /** The resource endpoint an Azure OpenAI channel names, e.g. {@code http://127.0.0.1:8090}. */
    public String azureBaseUrl() {
        return "http://" + HOST + ":" + port();
    }

    /** Replaces the behaviour for subsequent requests (and restarts the failTimes count). */
    public void config(SimulatorConfig config) {
        state.config(config);
    }

    public SimulatorConfig config() {
        return state.config();
    }

    /** Back to the default config, with all counters at zero and no recorded requests. */
    public void reset() {
        state.reset();
        vertex.reset();
    }

    public SimulatorStats stats() {
        return state.stats();
    }

    /** The last 100 provider requests received (any path but {@code /_sim/...}), newest last. */
    public List<RecordedRequest> requests() {
        return state.requests();
    }

    /** The newest provider request received, or null when none arrived since start or the last reset. */
    public RecordedRequest lastRequest() {
        return state.lastRequest();
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(5));
    }

    /** Blocks until the server is disposed (for the standalone main). */
    void awaitTermination() {
        server.onDispose().block();
    }

    // ---- control endpoints ----

    private Mono<Void> sendConfig(HttpServerResponse response) {
        return SimulatorHttp.sendJson(response, 200, json.writeValueAsString(state.config()));
    }

    private Mono<Void> sendStats(HttpServerResponse response) {
        return SimulatorHttp.sendJson(response, 200, json.writeValueAsString(state.stats()));
    }

    private Mono<Void> sendRequests(HttpServerResponse response) {
        return SimulatorHttp.sendJson(response, 200, json.writeValueAsString(state.requests()));
    }

    private Publisher<Void> putConfig(HttpServerRequest request, HttpServerResponse response) {
        return request.receive()
                .aggregate()
                .asString(StandardCharsets.UTF_8)
                .defaultIfEmpty("{}")
                .flatMap(body -> applyConfig(response, body));
    }

    private Mono<Void> applyConfig(HttpServerResponse response, String body) {
        SimulatorConfig config;
        try {
            config = parseConfig(body);
        } catch (JacksonException | IllegalArgumentException e) {
            return SimulatorHttp.sendJson(response, 400, errorJson("invalid simulator config: " + e.getMessage()));
        }
        state.config(config);
        return sendConfig(response);
    }

    /** Fields left out of the JSON keep their defaults, so {@code {"failStatus":503}} is a full config. */
    SimulatorConfig parseConfig(String body) {
        JsonNode given = json.readTree(body);
        if (given == null || !given.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object");
        }
        ObjectNode merged = json.valueToTree(SimulatorConfig.defaults());
        merged.setAll((ObjectNode) given);
        return json.treeToValue(merged, SimulatorConfig.class);
    }

    private Publisher<Void> postReset(HttpServerRequest request, HttpServerResponse response) {
        return request.receive()
                .then(Mono.defer(() -> {
                    state.reset();
                    vertex.reset();
                    return sendStats(response);
                }));
    }

    private Publisher<Void> notFound(HttpServerRequest request, HttpServerResponse response) {
        // Recorded too (but for control paths): a request on a wrong path is exactly what a test wants to see.
        Mono<String> body = request.uri().startsWith("/_sim/")
                ? request.receive().then(Mono.just(""))
                : ChatExchange.receive(state, request);
        return body
                .then(Mono.defer(() -> SimulatorHttp.sendJson(response, 404,
                        errorJson("Invalid URL (" + request.method() + " " + request.uri() + ")"))));
    }

    private String errorJson(String message) {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", "invalid_request_error");
        error.putNull("param");
        error.putNull("code");
        return json.writeValueAsString(body);
    }
}
