package dev.tollgate.simulator.openai;

import dev.tollgate.simulator.SimulatorHttp;
import dev.tollgate.simulator.SimulatorState;
import dev.tollgate.simulator.scenario.ChatExchange;
import dev.tollgate.simulator.scenario.ReplyPlan;
import dev.tollgate.simulator.scenario.StreamScript;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
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
 * OpenAI's wire format: {@code GET /v1/models} and {@code POST /v1/chat/completions}, plain and streamed (SSE),
 * shaped like api.openai.com's answers so the gateway's OpenAI adapter and the official SDKs accept them.
 * Tools ({@code tools}, {@code tool_choice}, {@code role: tool}) and {@code image_url} parts are understood.
 */
public final class OpenAiHandler {

    /** Per-request fault injection: {@code x-sim-fail: 503} fails that one request with 503. */
    public static final String FAIL_HEADER = ChatExchange.FAIL_HEADER;

    // Fixed so listings are reproducible; OpenAI reports real creation dates here.
    private static final long MODEL_CREATED = 1_700_000_000L;
    private static final String FINGERPRINT = "fp_simulator";

    private final SimulatorState state;
    private final ObjectMapper json;

    public OpenAiHandler(SimulatorState state, ObjectMapper json) {
        this.state = state;
        this.json = json;
    }

    public void register(HttpServerRoutes routes) {
        routes.get("/v1/models", this::models)
                .post("/v1/chat/completions", this::chatCompletions);
    }

    private Publisher<Void> models(HttpServerRequest request, HttpServerResponse response) {
        return ChatExchange.receive(state, request).then(Mono.defer(() -> {
            ObjectNode body = json.createObjectNode();
            body.put("object", "list");
            ArrayNode data = body.putArray("data");
            for (String id : state.config().models()) {
                ObjectNode model = data.addObject();
                model.put("id", id);
                model.put("object", "model");
                model.put("created", MODEL_CREATED);
                model.put("owned_by", "simulator");
            }
            return SimulatorHttp.sendJson(response, 200, json.writeValueAsString(body));
        }));
    }

    private Publisher<Void> chatCompletions(HttpServerRequest request, HttpServerResponse response) {
        return ChatExchange.serve(state, request, response, this::reply);
    }

    private Mono<Void> reply(ChatExchange exchange) {
        HttpServerResponse response = exchange.response();
        SimulatorState.Call call = exchange.call();
        // Outcomes are counted as the last bytes are handed to the connection, not after they are written,
        // so a client that has read a whole answer always finds it in the stats.
        Integer failStatus = exchange.injectedFailure();
        if (failStatus != null) {
            call.failed();
            return SimulatorHttp.sendJson(response, failStatus,
                    errorJson("simulated failure", "server_error", null, "simulated"));
        }
        JsonNode chat;
        try {
            chat = json.readTree(exchange.body());
        } catch (JacksonException e) {
            return badRequest(response, call, "We could not parse the JSON body of your request. "
                    + "(HINT: This likely means you aren't using your HTTP library correctly.)", null);
        }
        if (chat == null || !chat.isObject()) {
            return badRequest(response, call, "The request body must be a JSON object.", null);
        }
        if (!chat.path("model").isString()) {
            return badRequest(response, call, "you must provide a model parameter", "model");
        }
        if (!chat.path("messages").isArray()) {
            return badRequest(response, call, "Missing required parameter: 'messages'.", "messages");
        }
        ReplyPlan plan = ReplyPlan.of(OpenAiRequestParser.parse(chat), exchange.config());
        if (chat.path("stream").booleanValue(false)) {
            boolean includeUsage = chat.path("stream_options").path("include_usage").booleanValue(false);
            response.status(HttpResponseStatus.OK)
                    .header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                    .header(HttpHeaderNames.CACHE_CONTROL, "no-cache");
            return streamScript(plan, includeUsage).play(response, exchange.config(), call);
        }
        String answer = json.writeValueAsString(completionJson(plan));
        call.completed();
        return SimulatorHttp.sendJson(response, 200, answer);
    }

    private Mono<Void> badRequest(HttpServerResponse response, SimulatorState.Call call, String message, String param) {
        call.rejected();
        return SimulatorHttp.sendJson(response, 400, errorJson(message, "invalid_request_error", param, null));
    }

    // ---- streaming ----

    private StreamScript streamScript(ReplyPlan plan, boolean includeUsage) {
        StreamScript script = new StreamScript().frame(event(roleChunk(plan, includeUsage)));
        for (String piece : plan.answer().pieces()) {
            script.content(event(contentChunk(plan, includeUsage, piece)));
        }
        script.tail(event(stopChunk(plan, includeUsage)));
        if (includeUsage) {
            script.tail(event(usageChunk(plan)));
        }
        return script.tail("data: [DONE]\n\n");
    }

    private String event(ObjectNode chunk) {
        return "data: " + json.writeValueAsString(chunk) + "\n\n";
    }

    // ---- wire JSON ----

    private ObjectNode roleChunk(ReplyPlan plan, boolean includeUsage) {
        ObjectNode chunk = chunkShell(plan);
        ObjectNode delta = choice(chunk).putObject("delta");
        delta.put("role", "assistant");
        if (plan.answer() instanceof ReplyPlan.ToolCall toolCall) {
            // OpenAI names the call in the first chunk and streams only argument pieces after it.
            delta.putNull("content");
            ObjectNode call = delta.putArray("tool_calls").addObject();
            call.put("index", 0);
            call.put("id", callId(toolCall));
            call.put("type", "function");
            ObjectNode function = call.putObject("function");
            function.put("name", toolCall.name());
            function.put("arguments", "");
        } else {
            delta.put("content", "");
        }
        delta.putNull("refusal");
        return finishChunk(chunk, null, includeUsage);
    }

    private ObjectNode contentChunk(ReplyPlan plan, boolean includeUsage, String piece) {
        ObjectNode chunk = chunkShell(plan);
        ObjectNode delta = choice(chunk).putObject("delta");
        if (plan.isToolCall()) {
            ObjectNode call = delta.putArray("tool_calls").addObject();
            call.put("index", 0);
            call.putObject("function").put("arguments", piece);
        } else {
            delta.put("content", piece);
        }
        return finishChunk(chunk, null, includeUsage);
    }

    private ObjectNode stopChunk(ReplyPlan plan, boolean includeUsage) {
        ObjectNode chunk = chunkShell(plan);
        choice(chunk).putObject("delta");
        return finishChunk(chunk, finishReason(plan), includeUsage);
    }

    private ObjectNode usageChunk(ReplyPlan plan) {
        ObjectNode chunk = chunkShell(plan);
        chunk.putArray("choices");
        chunk.set("usage", usageJson(plan));
        return chunk;
    }

    private ObjectNode chunkShell(ReplyPlan plan) {
        ObjectNode chunk = json.createObjectNode();
        chunk.put("id", completionId(plan));
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", plan.created());
        chunk.put("model", plan.model());
        chunk.put("service_tier", "default");
        chunk.put("system_fingerprint", FINGERPRINT);
        return chunk;
    }

    private static ObjectNode choice(ObjectNode chunk) {
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        return choice;
    }

    /** Adds the tail every choice chunk carries; with include_usage OpenAI sends {@code "usage": null} on each. */
    private static ObjectNode finishChunk(ObjectNode chunk, String finishReason, boolean includeUsage) {
        ObjectNode choice = (ObjectNode) chunk.get("choices").get(0);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        if (includeUsage) {
            chunk.putNull("usage");
        }
        return chunk;
    }

    private ObjectNode completionJson(ReplyPlan plan) {
        ObjectNode body = json.createObjectNode();
        body.put("id", completionId(plan));
        body.put("object", "chat.completion");
        body.put("created", plan.created());
        body.put("model", plan.model());
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (plan.answer() instanceof ReplyPlan.ToolCall toolCall) {
            message.putNull("content");
            ObjectNode call = message.putArray("tool_calls").addObject();
            call.put("id", callId(toolCall));
            call.put("type", "function");
            ObjectNode function = call.putObject("function");
            function.put("name", toolCall.name());
            function.put("arguments", toolCall.arguments());
        } else {
            message.put("content", ((ReplyPlan.Text) plan.answer()).text());
        }
        message.putNull("refusal");
        message.putArray("annotations");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(plan));
        body.set("usage", usageJson(plan));
        body.put("service_tier", "default");
        body.put("system_fingerprint", FINGERPRINT);
        return body;
    }

    private ObjectNode usageJson(ReplyPlan plan) {
        ObjectNode usage = json.createObjectNode();
        usage.put("prompt_tokens", plan.promptTokens());
        usage.put("completion_tokens", plan.completionTokens());
        usage.put("total_tokens", plan.promptTokens() + plan.completionTokens());
        ObjectNode promptDetails = usage.putObject("prompt_tokens_details");
        promptDetails.put("cached_tokens", plan.cachedTokens());
        promptDetails.put("audio_tokens", 0);
        ObjectNode completionDetails = usage.putObject("completion_tokens_details");
        completionDetails.put("reasoning_tokens", plan.reasoningTokens());
        completionDetails.put("audio_tokens", 0);
        completionDetails.put("accepted_prediction_tokens", 0);
        completionDetails.put("rejected_prediction_tokens", 0);
        return usage;
    }

    private static String finishReason(ReplyPlan plan) {
        return plan.isToolCall() ? "tool_calls" : "stop";
    }

    private static String completionId(ReplyPlan plan) {
        return "chatcmpl-" + plan.id();
    }

    private static String callId(ReplyPlan.ToolCall toolCall) {
        return "call_" + toolCall.id();
    }

    private String errorJson(String message, String type, String param, String code) {
        ObjectNode body = json.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("message", message);
        error.put("type", type);
        error.put("param", param);
        error.put("code", code);
        return json.writeValueAsString(body);
    }
}
