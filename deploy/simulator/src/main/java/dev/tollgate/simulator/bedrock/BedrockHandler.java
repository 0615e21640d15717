package dev.tollgate.simulator.bedrock;

import dev.tollgate.simulator.SimulatorHttp;
import dev.tollgate.simulator.SimulatorState;
import dev.tollgate.simulator.scenario.ChatExchange;
import dev.tollgate.simulator.scenario.ReplyPlan;
import dev.tollgate.simulator.scenario.StreamScript;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import software.amazon.awssdk.eventstream.HeaderValue;
import software.amazon.awssdk.eventstream.Message;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Bedrock Runtime's Converse API: {@code POST /model/{modelId}/converse} (JSON) and
 * {@code /model/{modelId}/converse-stream} (AWS binary event stream). Endpoint {@code http://127.0.0.1:PORT};
 * requests must carry a SigV4 Authorization header (any signature is accepted).
 */
public final class BedrockHandler {

    static final String EVENT_STREAM = "application/vnd.amazon.eventstream";
    static final String ERROR_TYPE_HEADER = "x-amzn-ErrorType";

    private final SimulatorState state;
    private final ObjectMapper json;

    public BedrockHandler(SimulatorState state, ObjectMapper json) {
        this.state = state;
        this.json = json;
    }

    public void register(HttpServerRoutes routes) {
        routes.post("/model/{modelId}/converse", (req, res) -> converse(req, res, false))
                .post("/model/{modelId}/converse-stream", (req, res) -> converse(req, res, true));
    }

    private Publisher<Void> converse(HttpServerRequest request, HttpServerResponse response, boolean stream) {
        return ChatExchange.serve(state, request, response, exchange -> reply(exchange, stream));
    }

    private Mono<Void> reply(ChatExchange exchange, boolean stream) {
        HttpServerResponse response = exchange.response();
        SimulatorState.Call call = exchange.call();
        String authorization = exchange.header(HttpHeaderNames.AUTHORIZATION.toString());
        if (authorization == null || !authorization.startsWith("AWS4-HMAC-SHA256")) {
            call.rejected();
            return error(response, 403, "AccessDeniedException",
                    "Missing Authentication Token: requests must be signed with AWS Signature Version 4");
        }
        Integer failStatus = exchange.injectedFailure();
        if (failStatus != null) {
            call.failed();
            return error(response, failStatus, errorType(failStatus), "simulated failure");
        }
        JsonNode body;
        try {
            body = json.readTree(exchange.body());
        } catch (JacksonException e) {
            body = null;
        }
        if (body == null || !body.isObject()) {
            call.rejected();
            return error(response, 400, "ValidationException", "The request body must be a JSON object");
        }
        if (!body.path("messages").isArray() || body.path("messages").isEmpty()) {
            call.rejected();
            return error(response, 400, "ValidationException",
                    "1 validation error detected: Value null at 'messages' failed to satisfy constraint: "
                            + "Member must not be null");
        }
        String modelId = decode(exchange.request().param("modelId"));
        ReplyPlan plan = ReplyPlan.of(BedrockRequestParser.parse(modelId, body), exchange.config());
        long latencyMs = exchange.config().latencyMs();
        response.header("x-amzn-RequestId", UUID.randomUUID().toString());
        if (stream) {
            response.status(HttpResponseStatus.OK).header(HttpHeaderNames.CONTENT_TYPE, EVENT_STREAM);
            return streamScript(plan, latencyMs).play(response, exchange.config(), call);
        }
        String answer = json.writeValueAsString(converseJson(plan, latencyMs));
        call.completed();
        return SimulatorHttp.sendJson(response, 200, answer);
    }

    /** Model ids with {@code :} (and ARNs with {@code /}) arrive %-encoded in the path. */
    static String decode(String modelId) {
        return modelId == null ? "" : URLDecoder.decode(modelId.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static String errorType(int status) {
        if (status == 400) {
            return "ValidationException";
        } else if (status == 403) {
            return "AccessDeniedException";
        } else if (status == 404) {
            return "ResourceNotFoundException";
        } else if (status == 408) {
            return "ModelTimeoutException";
        } else if (status == 424) {
            return "ModelErrorException";
        } else if (status == 429) {
            return "ThrottlingException";
        } else if (status == 503) {
            return "ServiceUnavailableException";
        }
        return status >= 500 ? "InternalServerException" : "ValidationException";
    }

    private Mono<Void> error(HttpServerResponse response, int status, String type, String message) {
        response.header(ERROR_TYPE_HEADER, type).header("x-amzn-RequestId", UUID.randomUUID().toString());
        ObjectNode body = json.createObjectNode().put("message", message);
        return SimulatorHttp.sendJson(response, status, json.writeValueAsString(body));
    }

    // ---- wire JSON ----

    private ObjectNode converseJson(ReplyPlan plan, long latencyMs) {
        ObjectNode body = json.createObjectNode();
        ObjectNode message = body.putObject("output").putObject("message");
        message.put("role", "assistant");
        ArrayNode content = message.putArray("content");
        if (plan.thinking()) {
            content.addObject().putObject("reasoningContent").putObject("reasoningText")
                    .put("text", ReplyPlan.THINKING_TEXT)
                    .put("signature", ReplyPlan.THINKING_SIGNATURE);
        }
        if (plan.answer() instanceof ReplyPlan.ToolCall toolCall) {
            ObjectNode toolUse = content.addObject().putObject("toolUse");
            toolUse.put("toolUseId", toolUseId(toolCall));
            toolUse.put("name", toolCall.name());
            toolUse.set("input", toolCall.input());
        } else {
            content.addObject().put("text", ((ReplyPlan.Text) plan.answer()).text());
        }
        body.put("stopReason", stopReason(plan));
        body.set("usage", usageJson(plan));
        body.putObject("metrics").put("latencyMs", latencyMs);
        return body;
    }

    /** Bedrock's inputTokens exclude cache reads and writes; totalTokens counts everything. */
    private ObjectNode usageJson(ReplyPlan plan) {
        ObjectNode usage = json.createObjectNode();
        usage.put("inputTokens", plan.uncachedPromptTokens());
        usage.put("outputTokens", plan.completionTokens());
        usage.put("totalTokens", plan.uncachedPromptTokens() + plan.cachedTokens() + plan.cacheWriteTokens()
                + plan.completionTokens());
        usage.put("cacheReadInputTokens", plan.cachedTokens());
        usage.put("cacheWriteInputTokens", plan.cacheWriteTokens());
        return usage;
    }

    private static String stopReason(ReplyPlan plan) {
        return plan.isToolCall() ? "tool_use" : "end_turn";
    }

    private static String toolUseId(ReplyPlan.ToolCall toolCall) {
        return "tooluse_" + toolCall.id();
    }

    // ---- event stream ----

    private StreamScript streamScript(ReplyPlan plan, long latencyMs) {
        StreamScript script = new StreamScript();
        script.frame(frame("messageStart", json.createObjectNode().put("role", "assistant")));
        int index = 0;
        if (plan.thinking()) {
            ObjectNode text = blockDelta(index);
            text.putObject("delta").putObject("reasoningContent").put("text", ReplyPlan.THINKING_TEXT);
            script.frame(frame("contentBlockDelta", text));
            ObjectNode signature = blockDelta(index);
            signature.putObject("delta").putObject("reasoningContent")
                    .put("signature", ReplyPlan.THINKING_SIGNATURE);
            script.frame(frame("contentBlockDelta", signature));
            script.frame(frame("contentBlockStop", json.createObjectNode().put("contentBlockIndex", index)));
            index++;
        }
        if (plan.answer() instanceof ReplyPlan.ToolCall toolCall) {
            // Bedrock announces only tool blocks; text blocks start with their first delta.
            ObjectNode start = json.createObjectNode().put("contentBlockIndex", index);
            start.putObject("start").putObject("toolUse")
                    .put("toolUseId", toolUseId(toolCall))
                    .put("name", toolCall.name());
            script.frame(frame("contentBlockStart", start));
        }
        for (String piece : plan.answer().pieces()) {
            ObjectNode delta = blockDelta(index);
            if (plan.isToolCall()) {
                delta.putObject("delta").putObject("toolUse").put("input", piece);
            } else {
                delta.putObject("delta").put("text", piece);
            }
            script.content(frame("contentBlockDelta", delta));
        }
        script.frame(frame("contentBlockStop", json.createObjectNode().put("contentBlockIndex", index)));
        script.tail(frame("messageStop", json.createObjectNode().put("stopReason", stopReason(plan))));
        ObjectNode metadata = json.createObjectNode();
        metadata.set("usage", usageJson(plan));
        metadata.putObject("metrics").put("latencyMs", latencyMs);
        script.tail(frame("metadata", metadata));
        return script;
    }

    private ObjectNode blockDelta(int index) {
        return json.createObjectNode().put("contentBlockIndex", index);
    }

    /** One binary event-stream message, encoded by the same library the AWS SDK decodes with. */
    private byte[] frame(String eventType, ObjectNode payload) {
        Map<String, HeaderValue> headers = new LinkedHashMap<>();
        headers.put(":event-type", HeaderValue.fromString(eventType));
        headers.put(":content-type", HeaderValue.fromString("application/json"));
        headers.put(":message-type", HeaderValue.fromString("event"));
        ByteBuffer encoded = new Message(headers, json.writeValueAsBytes(payload)).toByteBuffer();
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        return bytes;
    }
}
