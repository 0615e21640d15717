package dev.tollgate.simulator.anthropic;

import dev.tollgate.simulator.SimulatorConfig;
import dev.tollgate.simulator.SimulatorHttp;
import dev.tollgate.simulator.SimulatorState;
import dev.tollgate.simulator.scenario.ChatExchange;
import dev.tollgate.simulator.scenario.ReplyPlan;
import dev.tollgate.simulator.scenario.StreamScript;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.UUID;
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
 * Anthropic's Messages API: {@code POST /v1/messages} plain and streamed (SSE with named events),
 * {@code POST /v1/messages/count_tokens}, and {@code GET /v1/models} when the caller sends anthropic-version.
 * Base URL {@code http://127.0.0.1:PORT}; callers authenticate with x-api-key (or a bearer token).
 */
public final class AnthropicHandler {

    static final String VERSION_HEADER = "anthropic-version";
    static final String RETRY_AFTER_SECONDS = "1";

    private final SimulatorState state;
    private final ObjectMapper json;

    public AnthropicHandler(SimulatorState state, ObjectMapper json) {
        this.state = state;
        this.json = json;
    }

    /** Register before the OpenAI handler: {@code GET /v1/models} goes here only with an anthropic-version header. */
    public void register(HttpServerRoutes routes) {
        routes.route(request -> request.method().equals(HttpMethod.GET) && request.fullPath().equals("/v1/models")
                        && request.requestHeaders().contains(VERSION_HEADER), this::models)
                .post("/v1/messages", this::messages)
                .post("/v1/messages/count_tokens", this::countTokens);
    }

    // ---- endpoints ----

    private Publisher<Void> messages(HttpServerRequest request, HttpServerResponse response) {
        return ChatExchange.serve(state, request, response, this::reply);
    }

    private Mono<Void> reply(ChatExchange exchange) {
        HttpServerResponse response = exchange.response();
        SimulatorState.Call call = exchange.call();
        Refusal refusal = checkHeaders(exchange.request());
        if (refusal != null) {
            call.rejected();
            return error(response, refusal.status(), refusal.type(), refusal.message());
        }
        Integer failStatus = exchange.injectedFailure();
        if (failStatus != null) {
            call.failed();
            if (failStatus == 429) {
                response.header(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
            }
            return error(response, failStatus, errorType(failStatus), "simulated failure");
        }
        JsonNode body = parse(exchange.body());
        String invalid = invalid(body, true);
        if (invalid != null) {
            call.rejected();
            return error(response, 400, "invalid_request_error", invalid);
        }
        ReplyPlan plan = ReplyPlan.of(AnthropicRequestParser.parse(body), exchange.config());
        if (body.path("stream").booleanValue(false)) {
            response.status(HttpResponseStatus.OK)
                    .header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                    .header(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                    .header("request-id", requestId());
            return streamScript(plan).play(response, exchange.config(), call);
        }
        String answer = json.writeValueAsString(messageJson(plan, true));
        call.completed();
        response.header("request-id", requestId());
        return SimulatorHttp.sendJson(response, 200, answer);
    }

    private Publisher<Void> countTokens(HttpServerRequest request, HttpServerResponse response) {
        return ChatExchange.receive(state, request).flatMap(text -> {
            Refusal refusal = checkHeaders(request);
            if (refusal != null) {
                return error(response, refusal.status(), refusal.type(), refusal.message());
            }
            JsonNode body = parse(text);
            String invalid = invalid(body, false);
            if (invalid != null) {
                return error(response, 400, "invalid_request_error", invalid);
            }
            SimulatorConfig config = state.config();
            long tokens = ReplyPlan.of(AnthropicRequestParser.parse(body), config).promptTokens();
            ObjectNode answer = json.createObjectNode().put("input_tokens", tokens);
            return SimulatorHttp.sendJson(response, 200, json.writeValueAsString(answer));
        });
    }

    private Publisher<Void> models(HttpServerRequest request, HttpServerResponse response) {
        return ChatExchange.receive(state, request).then(Mono.defer(() -> {
            ObjectNode body = json.createObjectNode();
            ArrayNode data = body.putArray("data");
            for (String id : state.config().models()) {
                ObjectNode model = data.addObject();
                model.put("type", "model");
                model.put("id", id);
                model.put("display_name", id);
                model.put("created_at", "2025-01-01T00:00:00Z");
            }
            body.put("has_more", false);
            List<String> models = state.config().models();
            body.put("first_id", models.isEmpty() ? null : models.get(0));
            body.put("last_id", models.isEmpty() ? null : models.get(models.size() - 1));
            return SimulatorHttp.sendJson(response, 200, json.writeValueAsString(body));
        }));
    }

    // ---- checks ----

    private record Refusal(int status, String type, String message) {
    }

    /** Authentication first, then the version header, as api.anthropic.com does. */
    private static Refusal checkHeaders(HttpServerRequest request) {
        String apiKey = request.requestHeaders().get("x-api-key");
        String authorization = request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION);
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        if ((apiKey == null || apiKey.isBlank()) && !bearer) {
            return new Refusal(401, "authentication_error", "x-api-key header is required");
        }
        String version = request.requestHeaders().get(VERSION_HEADER);
        if (version == null || version.isBlank()) {
            return new Refusal(400, "invalid_request_error", "anthropic-version: header is required");
        }
        return null;
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** What the real API says about a body it refuses, or null when the body is acceptable. */
    private static String invalid(JsonNode body, boolean needsMaxTokens) {
        if (body == null || !body.isObject()) {
            return "There was an error parsing the body of your request: it must be a JSON object";
        }
        if (!body.path("model").isString()) {
            return "model: Field required";
        }
        if (needsMaxTokens && !body.path("max_tokens").isIntegralNumber()) {
            return "max_tokens: Field required";
        }
        if (!body.path("messages").isArray()) {
            return "messages: Field required";
        }
        return thinkingInvalid(body);
    }

    /**
     * Anthropic's rule for thinking with tools: the last assistant turn, when it used a tool, must start with its
     * thinking block (which the API verifies by signature; here: a non-empty one).
     */
    private static String thinkingInvalid(JsonNode body) {
        if (!"enabled".equals(body.path("thinking").path("type").asString(""))) {
            return null;
        }
        JsonNode messages = body.path("messages");
        for (int i = messages.size() - 1; i >= 0; i--) {
            JsonNode m = messages.get(i);
            if (!"assistant".equals(m.path("role").asString("")) || !m.path("content").isArray()) {
                continue;
            }
            JsonNode content = m.path("content");
            boolean usesTools = false;
            for (JsonNode block : content) {
                usesTools |= "tool_use".equals(block.path("type").asString(""));
            }
            String first = content.isEmpty() ? "" : content.get(0).path("type").asString("");
            boolean signed = first.equals("redacted_thinking")
                    || first.equals("thinking") && !content.get(0).path("signature").asString("").isEmpty();
            if (usesTools && !signed) {
                return "messages." + i + ".content.0.type: Expected `thinking` or `redacted_thinking`, but found `"
                        + first + "`. When `thinking` is enabled, a final `assistant` message must start with a "
                        + "thinking block (preceeding the lastmost set of `tool_use` and `tool_result` blocks).";
            }
            return null;
        }
        return null;
    }

    static String errorType(int status) {
        if (status == 400) {
            return "invalid_request_error";
        } else if (status == 401) {
            return "authentication_error";
        } else if (status == 403) {
            return "permission_error";
        } else if (status == 404) {
            return "not_found_error";
        } else if (status == 413) {
            return "request_too_large";
        } else if (status == 429) {
            return "rate_limit_error";
        } else if (status == 529) {
            return "overloaded_error";
        }
        return status >= 500 ? "api_error" : "invalid_request_error";
    }

    private Mono<Void> error(HttpServerResponse response, int status, String type, String message) {
        ObjectNode body = json.createObjectNode();
        body.put("type", "error");
        ObjectNode error = body.putObject("error");
        error.put("type", type);
        error.put("message", message);
        response.header("request-id", requestId());
        return SimulatorHttp.sendJson(response, status, json.writeValueAsString(body));
    }

    // ---- wire JSON ----

    private ObjectNode messageJson(ReplyPlan plan, boolean complete) {
        ObjectNode message = json.createObjectNode();
        message.put("id", "msg_" + plan.id().substring(0, 24));
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", plan.model());
        ArrayNode content = message.putArray("content");
        if (complete) {
            if (plan.thinking()) {
                ObjectNode thinking = content.addObject();
                thinking.put("type", "thinking");
                thinking.put("thinking", ReplyPlan.THINKING_TEXT);
                thinking.put("signature", ReplyPlan.THINKING_SIGNATURE);
            }
            content.add(answerBlock(plan, true));
            message.put("stop_reason", stopReason(plan));
        } else {
            message.putNull("stop_reason");
        }
        message.putNull("stop_sequence");
        message.set("usage", usageJson(plan, complete ? plan.completionTokens() : 1));
        return message;
    }

    /** The answer's content block: whole, or as a stream's content_block_start announces it (empty). */
    private ObjectNode answerBlock(ReplyPlan plan, boolean whole) {
        ObjectNode block = json.createObjectNode();
        if (plan.answer() instanceof ReplyPlan.ToolCall toolCall) {
            block.put("type", "tool_use");
            block.put("id", "toolu_" + toolCall.id());
            block.put("name", toolCall.name());
            if (whole) {
                block.set("input", toolCall.input());
            } else {
                block.putObject("input");
            }
        } else {
            block.put("type", "text");
            block.put("text", whole ? ((ReplyPlan.Text) plan.answer()).text() : "");
        }
        return block;
    }

    private ObjectNode usageJson(ReplyPlan plan, long outputTokens) {
        ObjectNode usage = json.createObjectNode();
        usage.put("input_tokens", plan.uncachedPromptTokens());
        usage.put("cache_creation_input_tokens", plan.cacheWriteTokens());
        usage.put("cache_read_input_tokens", plan.cachedTokens());
        usage.put("output_tokens", outputTokens);
        return usage;
    }

    private static String stopReason(ReplyPlan plan) {
        return plan.isToolCall() ? "tool_use" : "end_turn";
    }

    // ---- streaming ----

    private StreamScript streamScript(ReplyPlan plan) {
        StreamScript script = new StreamScript();
        ObjectNode start = json.createObjectNode().put("type", "message_start");
        start.set("message", messageJson(plan, false));
        script.frame(event(start));
        script.frame(event(json.createObjectNode().put("type", "ping")));
        int index = 0;
        if (plan.thinking()) {
            ObjectNode thinking = json.createObjectNode().put("type", "thinking").put("thinking", "").put("signature", "");
            script.frame(event(blockStart(index, thinking)));
            script.frame(event(blockDelta(index, json.createObjectNode()
                    .put("type", "thinking_delta").put("thinking", ReplyPlan.THINKING_TEXT))));
            script.frame(event(blockDelta(index, json.createObjectNode()
                    .put("type", "signature_delta").put("signature", ReplyPlan.THINKING_SIGNATURE))));
            script.frame(event(blockStop(index)));
            index++;
        }
        script.frame(event(blockStart(index, answerBlock(plan, false))));
        for (String piece : plan.answer().pieces()) {
            ObjectNode delta = plan.isToolCall()
                    ? json.createObjectNode().put("type", "input_json_delta").put("partial_json", piece)
                    : json.createObjectNode().put("type", "text_delta").put("text", piece);
            script.content(event(blockDelta(index, delta)));
        }
        script.frame(event(blockStop(index)));
        ObjectNode messageDelta = json.createObjectNode().put("type", "message_delta");
        messageDelta.putObject("delta").put("stop_reason", stopReason(plan)).putNull("stop_sequence");
        // Today's API repeats the input figures here beside the final output_tokens.
        messageDelta.set("usage", usageJson(plan, plan.completionTokens()));
        script.tail(event(messageDelta));
        script.tail(event(json.createObjectNode().put("type", "message_stop")));
        return script;
    }

    private ObjectNode blockStart(int index, ObjectNode block) {
        ObjectNode start = json.createObjectNode().put("type", "content_block_start").put("index", index);
        start.set("content_block", block);
        return start;
    }

    private ObjectNode blockDelta(int index, ObjectNode delta) {
        ObjectNode event = json.createObjectNode().put("type", "content_block_delta").put("index", index);
        event.set("delta", delta);
        return event;
    }

    private ObjectNode blockStop(int index) {
        return json.createObjectNode().put("type", "content_block_stop").put("index", index);
    }

    private String event(ObjectNode data) {
        return "event: " + data.path("type").asString() + "\ndata: " + json.writeValueAsString(data) + "\n\n";
    }

    private static String requestId() {
        return "req_sim" + UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }
}
