package dev.tollgate.simulator.azure;

import dev.tollgate.simulator.SimulatorHttp;
import dev.tollgate.simulator.SimulatorState;
import dev.tollgate.simulator.openai.OpenAiFlavour;
import dev.tollgate.simulator.openai.OpenAiHandler;
import dev.tollgate.simulator.openai.OpenAiAudioHandler;
import dev.tollgate.simulator.openai.OpenAiImageEditsHandler;
import dev.tollgate.simulator.openai.OpenAiSurfaceHandler;
import dev.tollgate.simulator.scenario.ChatExchange;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Azure OpenAI's paths on the resource endpoint ({@code http://127.0.0.1:PORT}): a deployment's
 * {@code POST /openai/deployments/{d}/chat/completions?api-version=…} (and its embeddings, audio and
 * {@code images/edits}) and {@code GET /openai/models?api-version=…},
 * and the v1 API's {@code POST /openai/v1/chat/completions} (the deployment as the body's model) and
 * {@code GET /openai/v1/models}. Keys come as {@code api-key} (or a bearer token). Answers are OpenAI's with
 * Azure's additions: {@code prompt_filter_results}, {@code content_filter_results} on every choice, and a stream
 * that opens with a chunk of no choices. Faults speak Azure's error shapes: an injected 404 is
 * {@code DeploymentNotFound}, 401 the API Management gateway's {@code {"statusCode":401,…}}, 429 comes with
 * {@code retry-after} and {@code retry-after-ms}; the config's {@code contentFilter} refuses the prompt or filters
 * the completion. Dated versions before 2024-09-01 refuse {@code stream_options}, as Azure does.
 */
public final class AzureHandler {

    static final String API_KEY = "api-key";
    static final String RETRY_AFTER_SECONDS = "1";
    private static final String FIRST_MODERN_VERSION = "2024-09-01";

    private final SimulatorState state;
    private final ObjectMapper json;
    private final OpenAiHandler openAi;
    private final OpenAiSurfaceHandler surface;
    private final OpenAiAudioHandler audio;
    private final OpenAiImageEditsHandler imageEdits;

    public AzureHandler(SimulatorState state, ObjectMapper json, OpenAiHandler openAi, OpenAiSurfaceHandler surface) {
        this(state, json, openAi, surface, new OpenAiAudioHandler(state, json),
                new OpenAiImageEditsHandler(state, json));
    }

    public AzureHandler(SimulatorState state, ObjectMapper json, OpenAiHandler openAi, OpenAiSurfaceHandler surface,
            OpenAiAudioHandler audio, OpenAiImageEditsHandler imageEdits) {
        this.state = state;
        this.json = json;
        this.openAi = openAi;
        this.surface = surface;
        this.audio = audio;
        this.imageEdits = imageEdits;
    }

    public void register(HttpServerRoutes routes) {
        routes.post("/openai/deployments/{deployment}/chat/completions", this::deploymentChat)
                .post("/openai/v1/chat/completions", this::v1Chat)
                .post("/openai/deployments/{deployment}/embeddings", this::deploymentEmbeddings)
                .post("/openai/v1/embeddings", this::v1Embeddings)
                .post("/openai/deployments/{deployment}/audio/transcriptions",
                        (request, response) -> deploymentAudio(request, response, false))
                .post("/openai/deployments/{deployment}/audio/translations",
                        (request, response) -> deploymentAudio(request, response, true))
                .post("/openai/deployments/{deployment}/images/edits", this::deploymentImageEdits)
                .get("/openai/models", this::models)
                .get("/openai/v1/models", this::models);
    }

    private Publisher<Void> deploymentChat(HttpServerRequest request, HttpServerResponse response) {
        String deployment = request.param("deployment");
        return ChatExchange.serve(state, request, response, exchange -> reply(exchange, deployment));
    }

    /** An audio upload on a deployment: Azure's key and version checks, then OpenAI's answer. */
    private Publisher<Void> deploymentAudio(HttpServerRequest request, HttpServerResponse response,
            boolean translation) {
        if (!hasKey(request)) {
            return ChatExchange.receive(state, request).then(error(response, 401, "401",
                    "Access denied due to invalid subscription key or wrong API endpoint."));
        }
        if (apiVersion(request) == null) {
            return ChatExchange.receive(state, request).then(error(response, 404, "404", "Resource not found"));
        }
        return audio.upload(request, response, translation);
    }

    /** An image edit on a deployment: Azure's key and version checks, then OpenAI's answer. */
    private Publisher<Void> deploymentImageEdits(HttpServerRequest request, HttpServerResponse response) {
        if (!hasKey(request)) {
            return ChatExchange.receive(state, request).then(error(response, 401, "401",
                    "Access denied due to invalid subscription key or wrong API endpoint."));
        }
        if (apiVersion(request) == null) {
            return ChatExchange.receive(state, request).then(error(response, 404, "404", "Resource not found"));
        }
        return imageEdits.edit(request, response, request.param("deployment"));
    }

    private Publisher<Void> v1Chat(HttpServerRequest request, HttpServerResponse response) {
        return ChatExchange.serve(state, request, response, exchange -> reply(exchange, null));
    }

    private Publisher<Void> deploymentEmbeddings(HttpServerRequest request, HttpServerResponse response) {
        String deployment = request.param("deployment");
        return ChatExchange.serve(state, request, response, exchange -> embeddings(exchange, deployment));
    }

    private Publisher<Void> v1Embeddings(HttpServerRequest request, HttpServerResponse response) {
        return ChatExchange.serve(state, request, response, exchange -> embeddings(exchange, null));
    }

    /** Embeddings on a deployment: Azure's key and version checks, then OpenAI's answer (faults decided there). */
    private Mono<Void> embeddings(ChatExchange exchange, String deployment) {
        if (!hasKey(exchange.request())) {
            exchange.call().rejected();
            return error(exchange.response(), 401, "401", "Access denied due to invalid subscription key or wrong "
                    + "API endpoint.");
        }
        if (deployment != null && apiVersion(exchange.request()) == null) {
            exchange.call().rejected();
            return error(exchange.response(), 404, "404", "Resource not found");
        }
        return surface.embeddings(exchange, deployment);
    }

    /** @param deployment the path's deployment, or null on the v1 surface (the body's model names it) */
    private Mono<Void> reply(ChatExchange exchange, String deployment) {
        HttpServerResponse response = exchange.response();
        SimulatorState.Call call = exchange.call();
        if (!hasKey(exchange.request())) {
            call.rejected();
            return error(response, 401, "401", "Access denied due to invalid subscription key or wrong API endpoint. "
                    + "Make sure to provide a valid key for an active subscription and use a correct regional API "
                    + "endpoint for your resource.");
        }
        String version = apiVersion(exchange.request());
        if (deployment != null && version == null) {
            call.rejected();
            return error(response, 404, "404", "Resource not found");
        }
        Integer failStatus = exchange.injectedFailure();
        if (failStatus != null) {
            call.failed();
            return failure(response, failStatus, version);
        }
        JsonNode body = parse(exchange.body());
        if (deployment != null && version.compareTo(FIRST_MODERN_VERSION) < 0 && body.has("stream_options")) {
            call.rejected();
            return openAiError(response, 400, "Unrecognized request argument supplied: stream_options");
        }
        if ("prompt".equals(exchange.config().contentFilter())) {
            call.rejected();
            return SimulatorHttp.sendJson(response, 400, promptFiltered());
        }
        return openAi.answer(exchange, OpenAiFlavour.AZURE, deployment);
    }

    private Publisher<Void> models(HttpServerRequest request, HttpServerResponse response) {
        return ChatExchange.receive(state, request).then(Mono.defer(() -> {
            if (!hasKey(request)) {
                return error(response, 401, "401", "Access denied due to invalid subscription key.");
            }
            ObjectNode body = json.createObjectNode();
            ArrayNode data = body.putArray("data");
            for (String id : state.config().models()) {
                ObjectNode model = data.addObject();
                model.put("id", id);
                model.put("object", "model");
                model.put("created_at", 1_700_000_000L);
                model.put("status", "succeeded");
                model.putObject("capabilities").put("chat_completion", true);
                model.put("lifecycle_status", "generally-available");
            }
            body.put("object", "list");
            return SimulatorHttp.sendJson(response, 200, json.writeValueAsString(body));
        }));
    }

    /** An injected fault in Azure's words. */
    private Mono<Void> failure(HttpServerResponse response, int status, String version) {
        switch (status) {
            case 401:
                // What an API Management gateway in front of the resource answers for a bad key.
                ObjectNode apim = json.createObjectNode();
                apim.put("statusCode", 401);
                apim.put("message", "Unauthorized. Access token is missing, invalid, audience is incorrect "
                        + "(https://cognitiveservices.azure.com), or have expired.");
                return SimulatorHttp.sendJson(response, 401, json.writeValueAsString(apim));
            case 404:
                return error(response, 404, "DeploymentNotFound", "The API deployment for this resource does not "
                        + "exist. If you created the deployment within the last 5 minutes, please wait a moment and "
                        + "try again.");
            case 429:
                response.header(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
                response.header("retry-after-ms", RETRY_AFTER_SECONDS + "000");
                return error(response, 429, "429", "Requests to the ChatCompletions_Create Operation under Azure "
                        + "OpenAI API version " + (version == null ? "v1" : version) + " have exceeded token rate "
                        + "limit of your current OpenAI S0 pricing tier. Please retry after " + RETRY_AFTER_SECONDS
                        + " second.");
            default:
                return error(response, status, status >= 500 ? "InternalServerError" : Integer.toString(status),
                        "The server had an error while processing your request. Sorry about that!");
        }
    }

    /** {@code {"error":{"code","message"}}}: Azure's own error shape. */
    private Mono<Void> error(HttpServerResponse response, int status, String code, String message) {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return SimulatorHttp.sendJson(response, status, json.writeValueAsString(body));
    }

    /** OpenAI's shape, which Azure answers for parameter errors. */
    private Mono<Void> openAiError(HttpServerResponse response, int status, String message) {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", "invalid_request_error");
        error.putNull("param");
        error.putNull("code");
        return SimulatorHttp.sendJson(response, status, json.writeValueAsString(body));
    }

    private String promptFiltered() {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", "The response was filtered due to the prompt triggering Azure OpenAI's content "
                + "management policy. Please modify your prompt and retry.");
        error.putNull("type");
        error.put("param", "prompt");
        error.put("code", "content_filter");
        error.put("status", 400);
        ObjectNode inner = error.putObject("innererror");
        inner.put("code", "ResponsibleAIPolicyViolation");
        ObjectNode result = inner.putObject("content_filter_result");
        for (String category : List.of("hate", "self_harm", "sexual", "violence")) {
            boolean tripped = category.equals("violence");
            result.putObject(category).put("filtered", tripped).put("severity", tripped ? "high" : "safe");
        }
        return json.writeValueAsString(body);
    }

    private static boolean hasKey(HttpServerRequest request) {
        String key = request.requestHeaders().get(API_KEY);
        String authorization = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        return key != null && !key.isBlank() || authorization != null && authorization.startsWith("Bearer ");
    }

    private static String apiVersion(HttpServerRequest request) {
        List<String> values = new QueryStringDecoder(request.uri()).parameters().get("api-version");
        return values == null || values.isEmpty() || values.get(0).isBlank() ? null : values.get(0);
    }

    private JsonNode parse(String body) {
        try {
            JsonNode tree = json.readTree(body);
            return tree == null || tree.isMissingNode() ? json.createObjectNode() : tree;
        } catch (JacksonException e) {
            return json.createObjectNode();
        }
    }
}
