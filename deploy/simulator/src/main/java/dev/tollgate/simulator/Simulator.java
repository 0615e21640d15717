package dev.tollgate.simulator;

import dev.tollgate.simulator.openai.OpenAiHandler;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * A stand-in for upstream LLM providers on 127.0.0.1. Embeddable in tests:
 * <pre>{@code
 * try (Simulator sim = Simulator.start(0)) {
 *     sim.config(SimulatorConfig.defaults().withChunks(3));
 *     // point an OpenAI client at sim.baseUrl()
 * }
 * }</pre>
 * Control endpoints for other processes: {@code GET|PUT /_sim/config}, {@code POST /_sim/reset},
 * {@code GET /_sim/stats}.
 */
public final class Simulator implements AutoCloseable {

    static final String HOST = "127.0.0.1";

    private final SimulatorState state;
    private final ObjectMapper json;
    private final DisposableServer server;

    private Simulator(int port) {
        this.state = new SimulatorState();
        // Unknown fields in PUT /_sim/config are a typo in a test, not something to ignore silently.
        this.json = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
        OpenAiHandler openAi = new OpenAiHandler(state, json);
        this.server = HttpServer.create()
                .host(HOST)
                .port(port)
                .route(routes -> {
                    routes.get("/_sim/config", (req, res) -> sendConfig(res))
                            .put("/_sim/config", this::putConfig)
                            .post("/_sim/reset", this::postReset)
                            .get("/_sim/stats", (req, res) -> sendStats(res));
                    openAi.register(routes);
                    routes.route(req -> true, this::notFound);
                })
                .bindNow(Duration.ofSeconds(10));
    }

    /** Starts a simulator on {@code port} (0 = any free port) of 127.0.0.1 with the default config. */
    public static Simulator start(int port) {
        return new Simulator(port);
    }

    public int port() {
        return server.port();
    }

    /** The root an OpenAI SDK takes as its base URL, e.g. {@code http://127.0.0.1:8090/v1}. */
    public String baseUrl() {
        return "http://" + HOST + ":" + port() + "/v1";
    }

    /** Replaces the behaviour for subsequent requests (and restarts the failTimes count). */
    public void config(SimulatorConfig config) {
        state.config(config);
    }

    public SimulatorConfig config() {
        return state.config();
    }

    /** Back to the default config, with all counters at zero. */
    public void reset() {
        state.reset();
    }

    public SimulatorStats stats() {
        return state.stats();
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
                    return sendStats(response);
                }));
    }

    private Publisher<Void> notFound(HttpServerRequest request, HttpServerResponse response) {
        return request.receive()
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
