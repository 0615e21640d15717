package dev.tollgate.simulator.gemini;

import dev.tollgate.simulator.SimulatorConfig;
import dev.tollgate.simulator.SimulatorHttp;
import dev.tollgate.simulator.SimulatorState;
import dev.tollgate.simulator.openai.OpenAiSurfaceHandler;
import dev.tollgate.simulator.scenario.ChatExchange;
import dev.tollgate.simulator.scenario.ReplyPlan;
import dev.tollgate.simulator.scenario.StreamScript;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * Gemini's API as Google AI Studio serves it: {@code POST /v1beta/models/{model}:generateContent},
 * {@code :streamGenerateContent} (SSE with {@code ?alt=sse}, else a JSON array written piece by piece),
 * {@code :countTokens}, {@code :embedContent}, {@code :batchEmbedContents}, Vertex's {@code :predict} (embeddings),
 * {@code GET /v1beta/models} and {@code GET /v1beta/models/{model}}. Base URL
 * {@code http://127.0.0.1:PORT}; callers authenticate with {@code x-goog-api-key}, {@code ?key=} or a bearer token.
 * Errors are Google's JSON ({@code {"error":{"code","message","status"}}}); an injected 401 answers as Google does
 * for a dead key: 400 INVALID_ARGUMENT with reason {@code API_KEY_INVALID}.
 */
public final class GeminiHandler {

    static final String PREFIX = "/v1beta/models";
    static final String KEY_HEADER = "x-goog-api-key";
    static final String RETRY_DELAY = "1s";
    /** Vector width when an embed request names no {@code outputDimensionality} (text-embedding-004's). */
    static final int EMBED_DIMENSIONS = 768;
    /**
     * The thought signature on a function call when thinking is on: base64 with {@code +}, {@code /} and padding, as
     * Google's are, so a gateway that carries it through an id must encode it.
     */
    public static final String CALL_SIGNATURE = "CiQBjz1rX+sim/call/signature+Zm9vYmFy/w==";
    /** Google's documented stand-in for a signature on a function call that did not come from Gemini. */
    public static final String SKIP_SIGNATURE = "skip_thought_signature_validator";
    /** Vertex's limit of texts in one {@code :predict} call (its Gemini embedding models take one). */
    static final int MAX_PREDICT_INSTANCES = 250;

    private final SimulatorState state;
    private final ObjectMapper json;

    public GeminiHandler(SimulatorState state, ObjectMapper json) {
        this.state = state;
        this.json = json;
    }

    /** Also claims every other {@code /v1beta/} path, answering Google's 404. */
    public void register(HttpServerRoutes routes) {
        routes.get(PREFIX, this::models)
                .get(PREFIX + "/{model}", this::model)
                .post(PREFIX + "/{target}", this::action)
                .route(request -> request.fullPath().startsWith("/v1beta/"), this::unknown);
    }

    // ---- endpoints ----

    /**
     * A model method ({@code {model}:generateContent}, {@code :streamGenerateContent}, {@code :countTokens}) named by
     * the route's {@code target} parameter; Vertex AI's paths end in the same, so its stand-in serves them here.
     */
    public Publisher<Void> action(HttpServerRequest request, HttpServerResponse response) {
        String target = decode(request.param("target"));
        int colon = target.lastIndexOf(':');
        String model = colon < 0 ? target : target.substring(0, colon);
        String method = colon < 0 ? "" : target.substring(colon + 1);
        return switch (method) {
            case "generateContent" -> ChatExchange.serve(state, request, response, e -> reply(e, model, false));
            case "streamGenerateContent" -> ChatExchange.serve(state, request, response, e -> reply(e, model, true));
            case "countTokens" -> countTokens(request, response, model);
            case "embedContent" -> ChatExchange.serve(state, request, response, e -> embed(e, model, false));
            case "batchEmbedContents" -> ChatExchange.serve(state, request, response, e -> embed(e, model, true));
            // Vertex AI's text-embedding models (its stand-in routes its model paths here).
            case "predict" -> ChatExchange.serve(state, request, response, e -> predict(e, model));
            default -> unknown(request, response);
        };
    }

    private Mono<Void> reply(ChatExchange exchange, String model, boolean stream) {
        HttpServerResponse response = exchange.response();
        SimulatorState.Call call = exchange.call();
        Mono<Void> refused = refusal(exchange);
        if (refused != null) {
            return refused;
        }
        JsonNode body = parse(exchange.body());
        String invalid = invalid(body);
        if (invalid != null) {
            call.rejected();
            return error(response, 400, invalid);
        }
        String unsigned = unsignedCall(model, body);
        if (unsigned != null) {
            call.rejected();
            return error(response, 400, unsigned);
        }
        ReplyPlan plan = ReplyPlan.of(GeminiRequestParser.parse(model, body), exchange.config());
        if (stream) {
            boolean sse = "sse".equals(query(exchange.request(), "alt"));
            response.status(HttpResponseStatus.OK)
                    .header(HttpHeaderNames.CONTENT_TYPE, sse ? "text/event-stream" : "application/json; charset=UTF-8");
            return streamScript(plan, sse).play(response, exchange.config(), call);
        }
        String answer = json.writeValueAsString(responseJson(plan));
        call.completed();
        return SimulatorHttp.sendJson(response, 200, answer);
    }

    /** Google's answer to a request without a valid key, or the injected failure; null when it is to be served. */
    private Mono<Void> refusal(ChatExchange exchange) {
        if (!authenticated(exchange.request())) {
            exchange.call().rejected();
            return unregistered(exchange.response());
        }
        Integer failStatus = exchange.injectedFailure();
        if (failStatus != null) {
            exchange.call().failed();
            return failure(exchange.response(), failStatus);
        }
        return null;
    }

    /**
     * {@code embedContent} ({@code {"embedding":{"values":[…]}}}) and {@code batchEmbedContents}
     * ({@code {"embeddings":[…]}}): deterministic unit vectors from each content's text, {@code outputDimensionality}
     * wide (768 by default, text-embedding-004's); like Google's, the answer reports no usage. A batch request that
     * names another model than the URL's is refused, as Google does.
     */
    private Mono<Void> embed(ChatExchange exchange, String model, boolean batch) {
        HttpServerResponse response = exchange.response();
        SimulatorState.Call call = exchange.call();
        Mono<Void> refused = refusal(exchange);
        if (refused != null) {
            return refused;
        }
        JsonNode body = parse(exchange.body());
        List<JsonNode> requests = new ArrayList<>();
        if (body != null && batch && body.path("requests").isArray()) {
            body.path("requests").forEach(requests::add);
        } else if (body != null && !batch && body.isObject()) {
            requests.add(body);
        }
        ObjectNode answer = json.createObjectNode();
        ArrayNode embeddings = batch ? answer.putArray("embeddings") : null;
        for (int i = 0; i < requests.size(); i++) {
            JsonNode one = requests.get(i);
            String text = embedText(one);
            String named = one.path("model").asString("models/" + model);
            if (text == null || !named.equals("models/" + model)) {
                call.rejected();
                return error(response, 400, text == null
                        ? "* BatchEmbedContentsRequest.requests[" + i + "].content: content is not specified"
                        : "* BatchEmbedContentsRequest.requests[" + i + "].model: the model must match the URL's");
            }
            int width = one.path("outputDimensionality").isIntegralNumber()
                    ? one.path("outputDimensionality").intValue() : EMBED_DIMENSIONS;
            ObjectNode embedding = batch ? embeddings.addObject() : answer.putObject("embedding");
            ArrayNode values = embedding.putArray("values");
            for (float value : OpenAiSurfaceHandler.vector(text, width)) {
                values.add(value);
            }
        }
        if (requests.isEmpty()) {
            call.rejected();
            return error(response, 400, batch ? "* BatchEmbedContentsRequest.requests: requests is not specified"
                    : "* EmbedContentRequest.content: content is not specified");
        }
        call.completed();
        return SimulatorHttp.sendJson(response, 200, json.writeValueAsString(answer));
    }

    /**
     * Vertex AI's text-embeddings {@code :predict}: {@code {"instances":[{"content":…}],"parameters":
     * {"outputDimensionality":N}}} answered {@code {"predictions":[{"embeddings":{"values":[…],"statistics":
     * {"token_count":N,"truncated":false}}}]}}, with the same vectors as {@code embedContent} and, unlike AI Studio,
     * a token count per text ({@link #predictTokens}). Like Vertex, at most 250 texts per call, and one for the
     * {@code gemini-embedding-*} models.
     */
    private Mono<Void> predict(ChatExchange exchange, String model) {
        HttpServerResponse response = exchange.response();
        SimulatorState.Call call = exchange.call();
        if (!authenticated(exchange.request())) {
            call.rejected();
            return unregistered(response);
        }
        Integer failStatus = exchange.injectedFailure();
        if (failStatus != null) {
            call.failed();
            return failure(response, failStatus);
        }
        JsonNode body = parse(exchange.body());
        JsonNode instances = body == null ? null : body.path("instances");
        if (instances == null || !instances.isArray() || instances.isEmpty()) {
            call.rejected();
            return error(response, 400, "Invalid JSON payload: instances is not specified");
        }
        int limit = model.startsWith("gemini-embedding") ? 1 : MAX_PREDICT_INSTANCES;
        if (instances.size() > limit) {
            call.rejected();
            return error(response, 400, "Unable to submit request because the model " + model + " supports at most "
                    + limit + " instance" + (limit == 1 ? "" : "s") + " per request.");
        }
        JsonNode width = body.path("parameters").path("outputDimensionality");
        int dimensions = width.isIntegralNumber() ? width.intValue() : EMBED_DIMENSIONS;
        ObjectNode answer = json.createObjectNode();
        ArrayNode predictions = answer.putArray("predictions");
        long characters = 0;
        for (int i = 0; i < instances.size(); i++) {
            JsonNode content = instances.get(i).path("content");
            if (!content.isString()) {
                call.rejected();
                return error(response, 400, "instances[" + i + "].content: a string is required");
            }
            String text = content.asString();
            characters += text.length();
            ObjectNode embeddings = predictions.addObject().putObject("embeddings");
            ArrayNode values = embeddings.putArray("values");
            for (float value : OpenAiSurfaceHandler.vector(text, dimensions)) {
                values.add(value);
            }
            ObjectNode statistics = embeddings.putObject("statistics");
            statistics.put("token_count", predictTokens(text));
            statistics.put("truncated", false);
        }
        answer.putObject("metadata").put("billableCharacterCount", characters);
        call.completed();
        return SimulatorHttp.sendJson(response, 200, json.writeValueAsString(answer));
    }

    /** The stand-in's token count of a text: one per started 4 characters, at least one (tests compute the same). */
    public static long predictTokens(String text) {
        return Math.max(1, (text.length() + 3) / 4);
    }

    /** The text parts of a request's content, joined by newlines; null when it has none. */
    private static String embedText(JsonNode request) {
        JsonNode parts = request.path("content").path("parts");
        if (!parts.isArray() || parts.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : parts) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(part.path("text").asString(""));
        }
        return text.toString();
    }

    private Mono<Void> countTokens(HttpServerRequest request, HttpServerResponse response, String model) {
        return ChatExchange.receive(state, request).flatMap(text -> {
            if (!authenticated(request)) {
                return unregistered(response);
            }
            JsonNode body = parse(text);
            if (body == null || !body.isObject()) {
                return error(response, 400, "Invalid JSON payload received.");
            }
            JsonNode inner = GeminiRequestParser.field(body, "generateContentRequest");
            JsonNode counted = inner.isObject() ? inner : body;
            SimulatorConfig config = state.config();
            long tokens = ReplyPlan.of(GeminiRequestParser.parse(model, counted), config).promptTokens();
            ObjectNode answer = json.createObjectNode().put("totalTokens", tokens);
            answer.putArray("promptTokensDetails").addObject().put("modality", "TEXT").put("tokenCount", tokens);
            return SimulatorHttp.sendJson(response, 200, json.writeValueAsString(answer));
        });
    }

    private Publisher<Void> models(HttpServerRequest request, HttpServerResponse response) {
        return ChatExchange.receive(state, request).then(Mono.defer(() -> {
            if (!authenticated(request)) {
                return unregistered(response);
            }
            ObjectNode body = json.createObjectNode();
            ArrayNode models = body.putArray("models");
            for (String id : state.config().models()) {
                models.add(modelJson(id));
            }
            return SimulatorHttp.sendJson(response, 200, json.writeValueAsString(body));
        }));
    }

    private Publisher<Void> model(HttpServerRequest request, HttpServerResponse response) {
        String id = decode(request.param("model"));
        return ChatExchange.receive(state, request).then(Mono.defer(() -> {
            if (!authenticated(request)) {
                return unregistered(response);
            }
            if (!state.config().models().contains(id)) {
                return error(response, 404, "models/" + id + " is not found for API version v1beta, or is not "
                        + "supported for generateContent.");
            }
            return SimulatorHttp.sendJson(response, 200, json.writeValueAsString(modelJson(id)));
        }));
    }

    private Mono<Void> unknown(HttpServerRequest request, HttpServerResponse response) {
        return ChatExchange.receive(state, request).then(Mono.defer(() -> error(response, 404,
                "The requested URL " + request.fullPath() + " was not found on this server.")));
    }

    // ---- checks ----

    private static boolean authenticated(HttpServerRequest request) {
        String key = request.requestHeaders().get(KEY_HEADER);
        String authorization = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        String queryKey = query(request, "key");
        return key != null && !key.isBlank() || bearer || queryKey != null && !queryKey.isBlank();
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** What the real API says about a body it refuses, or null when the body is acceptable. */
    private static String invalid(JsonNode body) {
        if (body == null || !body.isObject()) {
            return "Invalid JSON payload received. Expected an object.";
        }
        JsonNode contents = GeminiRequestParser.field(body, "contents");
        if (!contents.isArray() || contents.isEmpty()) {
            return "* GenerateContentRequest.contents: contents is not specified\n";
        }
        return null;
    }

    /**
     * Gemini 3 refuses a history whose function calls lack a thought signature (or carry one it did not issue);
     * Google's stand-in value passes. Null when every call is signed.
     */
    static String unsignedCall(String model, JsonNode body) {
        if (!model.toLowerCase(Locale.ROOT).contains("gemini-3")) {
            return null;
        }
        int position = 0;
        for (JsonNode content : GeminiRequestParser.field(body, "contents")) {
            for (JsonNode part : GeminiRequestParser.field(content, "parts")) {
                position++;
                JsonNode call = GeminiRequestParser.field(part, "functionCall");
                if (call.isMissingNode()) {
                    continue;
                }
                String signature = GeminiRequestParser.field(part, "thoughtSignature").asString(null);
                if (signature == null || signature.isEmpty()) {
                    return "Function call is missing a thought_signature in functionCall parts. This is required for "
                            + "tools to work correctly, and missing thought_signature may lead to degraded model "
                            + "performance. Additional data, function call `" + call.path("name").asString("")
                            + "` , position " + position + ". Please refer to "
                            + "https://ai.google.dev/gemini-api/docs/thought-signatures for more details.";
                }
                if (!signature.equals(CALL_SIGNATURE) && !signature.equals(SKIP_SIGNATURE)) {
                    return "Corrupted thought signature.";
                }
            }
        }
        return null;
    }

    private static String query(HttpServerRequest request, String name) {
        List<String> values = new QueryStringDecoder(request.uri()).parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String decode(String value) {
        return value == null ? "" : URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    // ---- errors ----

    static String status(int code) {
        return switch (code) {
            case 400 -> "INVALID_ARGUMENT";
            case 401 -> "UNAUTHENTICATED";
            case 403 -> "PERMISSION_DENIED";
            case 404 -> "NOT_FOUND";
            case 409 -> "ABORTED";
            case 429 -> "RESOURCE_EXHAUSTED";
            case 499 -> "CANCELLED";
            case 501 -> "UNIMPLEMENTED";
            case 503 -> "UNAVAILABLE";
            case 504 -> "DEADLINE_EXCEEDED";
            default -> code >= 500 ? "INTERNAL" : "FAILED_PRECONDITION";
        };
    }

    private Mono<Void> failure(HttpServerResponse response, int status) {
        if (status == 401) {
            // Google answers a key it does not know with 400, naming the reason in the details.
            ObjectNode body = errorJson(400, "API key not valid. Please pass a valid API key.");
            ObjectNode info = ((ArrayNode) body.path("error").path("details")).addObject();
            info.put("@type", "type.googleapis.com/google.rpc.ErrorInfo");
            info.put("reason", "API_KEY_INVALID");
            info.put("domain", "googleapis.com");
            info.putObject("metadata").put("service", "generativelanguage.googleapis.com");
            return SimulatorHttp.sendJson(response, 400, json.writeValueAsString(body));
        }
        ObjectNode body = errorJson(status, "simulated failure");
        if (status == 429) {
            // Google says when to retry in the body, not in a Retry-After header.
            ((ArrayNode) body.path("error").path("details")).addObject()
                    .put("@type", "type.googleapis.com/google.rpc.RetryInfo")
                    .put("retryDelay", RETRY_DELAY);
        }
        return SimulatorHttp.sendJson(response, status, json.writeValueAsString(body));
    }

    private Mono<Void> unregistered(HttpServerResponse response) {
        return error(response, 403, "Method doesn't allow unregistered callers (callers without established "
                + "identity). Please use API Key or other form of API consumer identity to call this API.");
    }

    private Mono<Void> error(HttpServerResponse response, int status, String message) {
        ObjectNode body = errorJson(status, message);
        ((ObjectNode) body.path("error")).remove("details");
        return SimulatorHttp.sendJson(response, status, json.writeValueAsString(body));
    }

    private ObjectNode errorJson(int status, String message) {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", status);
        error.put("message", message);
        error.put("status", status(status));
        error.putArray("details");
        return body;
    }

    // ---- wire JSON ----

    private ObjectNode modelJson(String id) {
        ObjectNode model = json.createObjectNode();
        model.put("name", "models/" + id);
        model.put("version", "001");
        model.put("displayName", id);
        model.put("inputTokenLimit", 1_048_576);
        model.put("outputTokenLimit", 65_536);
        ArrayNode methods = model.putArray("supportedGenerationMethods");
        methods.add("generateContent");
        methods.add("countTokens");
        return model;
    }

    private ObjectNode responseJson(ReplyPlan plan) {
        ObjectNode response = json.createObjectNode();
        ObjectNode candidate = response.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content");
        ArrayNode parts = content.putArray("parts");
        if (plan.thinking()) {
            parts.add(thoughtPart());
        }
        parts.add(answerPart(plan, null));
        content.put("role", "model");
        candidate.put("finishReason", "STOP");
        candidate.put("index", 0);
        response.set("usageMetadata", usageJson(plan, true));
        response.put("modelVersion", plan.model());
        response.put("responseId", plan.id().substring(0, 22));
        return response;
    }

    private ObjectNode thoughtPart() {
        return json.createObjectNode()
                .put("text", ReplyPlan.THINKING_TEXT)
                .put("thought", true)
                .put("thoughtSignature", ReplyPlan.THINKING_SIGNATURE);
    }

    /** The answer's part: a whole function call (Gemini never streams one in pieces), or text. */
    private ObjectNode answerPart(ReplyPlan plan, String piece) {
        ObjectNode part = json.createObjectNode();
        if (plan.answer() instanceof ReplyPlan.ToolCall toolCall) {
            ObjectNode call = part.putObject("functionCall");
            call.put("name", toolCall.name());
            call.set("args", toolCall.input());
            if (plan.thinking()) {
                // A thinking model signs its function call, and wants the signature back with it next turn.
                part.put("thoughtSignature", CALL_SIGNATURE);
            }
        } else {
            part.put("text", piece != null ? piece : ((ReplyPlan.Text) plan.answer()).text());
        }
        return part;
    }

    /**
     * Gemini's counts: {@code promptTokenCount} includes the cached tokens, {@code candidatesTokenCount} leaves out
     * the thoughts. A stream's chunks before the last know only the prompt.
     */
    private ObjectNode usageJson(ReplyPlan plan, boolean whole) {
        ObjectNode usage = json.createObjectNode();
        long prompt = plan.promptTokens();
        long thoughts = Math.min(plan.reasoningTokens(), plan.completionTokens());
        long candidates = plan.completionTokens() - thoughts;
        usage.put("promptTokenCount", prompt);
        if (whole) {
            usage.put("candidatesTokenCount", candidates);
        }
        usage.put("totalTokenCount", whole ? prompt + candidates + thoughts : prompt);
        if (plan.cachedTokens() > 0) {
            usage.put("cachedContentTokenCount", plan.cachedTokens());
        }
        if (whole && thoughts > 0) {
            usage.put("thoughtsTokenCount", thoughts);
        }
        usage.putArray("promptTokensDetails").addObject().put("modality", "TEXT").put("tokenCount", prompt);
        return usage;
    }

    // ---- streaming ----

    private StreamScript streamScript(ReplyPlan plan, boolean sse) {
        StreamScript script = new StreamScript();
        Framer framer = new Framer(sse);
        if (plan.thinking()) {
            script.frame(framer.next(chunk(plan, thoughtPart(), null, false)));
        }
        if (plan.isToolCall()) {
            script.content(framer.next(chunk(plan, answerPart(plan, null), null, false)));
        } else {
            for (String piece : plan.answer().pieces()) {
                script.content(framer.next(chunk(plan, answerPart(plan, piece), null, false)));
            }
        }
        script.tail(framer.next(chunk(plan, json.createObjectNode().put("text", ""), "STOP", true)));
        if (!sse) {
            script.tail("\n]");
        }
        return script;
    }

    private ObjectNode chunk(ReplyPlan plan, ObjectNode part, String finishReason, boolean last) {
        ObjectNode chunk = json.createObjectNode();
        ObjectNode candidate = chunk.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content");
        content.putArray("parts").add(part);
        content.put("role", "model");
        if (finishReason != null) {
            candidate.put("finishReason", finishReason);
        }
        candidate.put("index", 0);
        chunk.set("usageMetadata", usageJson(plan, last));
        chunk.put("modelVersion", plan.model());
        chunk.put("responseId", plan.id().substring(0, 22));
        return chunk;
    }

    /** SSE frames ({@code data: …} and CRLF, as Google writes them), or the pieces of one JSON array. */
    private final class Framer {

        private final boolean sse;
        private boolean first = true;

        Framer(boolean sse) {
            this.sse = sse;
        }

        String next(ObjectNode chunk) {
            String data = json.writeValueAsString(chunk);
            if (sse) {
                return "data: " + data + "\r\n\r\n";
            }
            String separator = first ? "[" : "\n,\r\n";
            first = false;
            return separator + data;
        }
    }
}
