package dev.tollgate.simulator.openai;

import dev.tollgate.simulator.SimulatorHttp;
import dev.tollgate.simulator.SimulatorState;
import dev.tollgate.simulator.scenario.ChatExchange;
import dev.tollgate.simulator.scenario.ReplyPlan;
import dev.tollgate.simulator.scenario.StreamScript;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.regex.Pattern;
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
 * The same endpoint answers like another server of the family when asked ({@link OpenAiFlavour}: the config's
 * {@code flavour}, or the {@value #FLAVOUR_HEADER} header of one request); Azure's paths answer through
 * {@link #answer(ChatExchange, OpenAiFlavour, String)}.
 */
public final class OpenAiHandler {

    /** Per-request fault injection: {@code x-sim-fail: 503} fails that one request with 503. */
    public static final String FAIL_HEADER = ChatExchange.FAIL_HEADER;
    /** Per-request flavour: {@code x-sim-flavour: deepseek} answers that one request like DeepSeek. */
    public static final String FLAVOUR_HEADER = "x-sim-flavour";

    // Fixed so listings are reproducible; OpenAI reports real creation dates here.
    private static final long MODEL_CREATED = 1_700_000_000L;
    private static final String FINGERPRINT = "fp_simulator";
    private static final Pattern MISTRAL_ID = Pattern.compile("[A-Za-z0-9]{9}");

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
                    OpenAiErrors.json(json, "simulated failure", "server_error", null, "simulated"));
        }
        String flavour = exchange.header(FLAVOUR_HEADER);
        return answer(exchange, OpenAiFlavour.of(flavour != null ? flavour : exchange.config().flavour()), null);
    }

    /**
     * Answers a chat request (faults already decided) in the given flavour.
     *
     * @param model the model to answer as when the body names none (an Azure deployment), else null
     */
    public Mono<Void> answer(ChatExchange exchange, OpenAiFlavour flavour, String model) {
        HttpServerResponse response = exchange.response();
        SimulatorState.Call call = exchange.call();
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
        if (model == null && !chat.path("model").isString()) {
            return badRequest(response, call, "you must provide a model parameter", "model");
        }
        if (!chat.path("messages").isArray()) {
            return badRequest(response, call, "Missing required parameter: 'messages'.", "messages");
        }
        if (flavour == OpenAiFlavour.MISTRAL) {
            String badId = longToolCallId(chat.path("messages"));
            if (badId != null) {
                call.rejected();
                return SimulatorHttp.sendJson(response, 400, mistralError("Tool call id was " + badId
                        + " but must be a-z, A-Z, 0-9, with a length of 9."));
            }
        }
        String answeredModel = chat.path("model").isString() ? chat.path("model").asString() : model;
        ReplyPlan plan = ReplyPlan.of(OpenAiRequestParser.parse(chat, answeredModel), exchange.config());
        Wire wire = new Wire(plan, flavour,
                flavour == OpenAiFlavour.AZURE && "completion".equals(exchange.config().contentFilter()));
        if (chat.path("stream").booleanValue(false)) {
            boolean includeUsage = chat.path("stream_options").path("include_usage").booleanValue(false);
            response.status(HttpResponseStatus.OK)
                    .header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                    .header(HttpHeaderNames.CACHE_CONTROL, "no-cache");
            return streamScript(wire, includeUsage).play(response, exchange.config(), call);
        }
        String answer = json.writeValueAsString(completionJson(wire));
        call.completed();
        return SimulatorHttp.sendJson(response, 200, answer);
    }

    /**
     * One answer's plan and the shape it goes out in.
     *
     * @param filtered Azure's content filter stops the completion ({@code finish_reason: content_filter})
     */
    private record Wire(ReplyPlan plan, OpenAiFlavour flavour, boolean filtered) {

        boolean is(OpenAiFlavour other) {
            return flavour == other;
        }

        /** Mistral streams a tool call whole in one delta; so does DeepSeek here, after its reasoning. */
        boolean wholeToolCall() {
            return flavour == OpenAiFlavour.MISTRAL || flavour == OpenAiFlavour.DEEPSEEK;
        }
    }

    /** The first tool-call id in the conversation that Mistral would refuse, or null. */
    private static String longToolCallId(JsonNode messages) {
        for (JsonNode message : messages) {
            for (JsonNode call : message.path("tool_calls")) {
                String id = call.path("id").asString("");
                if (!MISTRAL_ID.matcher(id).matches()) {
                    return id;
                }
            }
            if (message.path("tool_call_id").isString()
                    && !MISTRAL_ID.matcher(message.path("tool_call_id").asString()).matches()) {
                return message.path("tool_call_id").asString();
            }
        }
        return null;
    }

    private Mono<Void> badRequest(HttpServerResponse response, SimulatorState.Call call, String message, String param) {
        call.rejected();
        return OpenAiErrors.badRequest(json, response, message, param);
    }

    // ---- streaming ----

    private StreamScript streamScript(Wire wire, boolean includeUsage) {
        ReplyPlan plan = wire.plan();
        // OpenAI and Azure say "usage": null on every chunk and end with a usage chunk of their own; DeepSeek puts
        // usage on its finishing chunk when asked, Mistral always; Groq in x_groq (see stopChunk).
        boolean usageChunk = includeUsage && (wire.is(OpenAiFlavour.OPENAI) || wire.is(OpenAiFlavour.AZURE));
        boolean usageOnStop = includeUsage && wire.is(OpenAiFlavour.DEEPSEEK) || wire.is(OpenAiFlavour.MISTRAL);
        StreamScript script = new StreamScript();
        if (wire.is(OpenAiFlavour.AZURE)) {
            // Azure opens with the prompt's filter results: no choices, an empty id and model.
            script.frame(event(promptFilterChunk()));
        }
        script.frame(event(roleChunk(wire, usageChunk)));
        if (wire.is(OpenAiFlavour.DEEPSEEK)) {
            for (String piece : ReplyPlan.words(ReplyPlan.THINKING_TEXT)) {
                script.content(event(reasoningChunk(wire, usageChunk, piece)));
            }
        }
        List<String> pieces = wire.wholeToolCall() && plan.answer() instanceof ReplyPlan.ToolCall toolCall
                ? List.of(toolCall.arguments()) : plan.answer().pieces();
        for (String piece : pieces) {
            script.content(event(contentChunk(wire, usageChunk, piece)));
        }
        ObjectNode stop = stopChunk(wire, usageChunk);
        if (usageOnStop) {
            stop.set("usage", usageJson(wire));
        }
        script.tail(event(stop));
        if (usageChunk) {
            script.tail(event(usageChunk(wire)));
        }
        return script.tail("data: [DONE]\n\n");
    }

    private String event(ObjectNode chunk) {
        return "data: " + json.writeValueAsString(chunk) + "\n\n";
    }

    // ---- wire JSON ----

    private ObjectNode roleChunk(Wire wire, boolean includeUsage) {
        ReplyPlan plan = wire.plan();
        ObjectNode chunk = chunkShell(wire);
        ObjectNode delta = choice(chunk, wire).putObject("delta");
        delta.put("role", "assistant");
        if (plan.answer() instanceof ReplyPlan.ToolCall toolCall && !wire.wholeToolCall()) {
            // OpenAI names the call in the first chunk and streams only argument pieces after it.
            delta.putNull("content");
            ObjectNode call = delta.putArray("tool_calls").addObject();
            call.put("index", 0);
            call.put("id", callId(toolCall, wire));
            call.put("type", "function");
            ObjectNode function = call.putObject("function");
            function.put("name", toolCall.name());
            function.put("arguments", "");
        } else if (wire.is(OpenAiFlavour.DEEPSEEK)) {
            delta.putNull("content");
            delta.put("reasoning_content", "");
        } else {
            delta.put("content", "");
        }
        if (!wire.is(OpenAiFlavour.MISTRAL) && !wire.is(OpenAiFlavour.DEEPSEEK)) {
            delta.putNull("refusal");
        }
        if (wire.is(OpenAiFlavour.GROQ)) {
            chunk.putObject("x_groq").put("id", groqRequestId(plan));
        }
        return finishChunk(chunk, null, includeUsage);
    }

    private ObjectNode reasoningChunk(Wire wire, boolean includeUsage, String piece) {
        ObjectNode chunk = chunkShell(wire);
        ObjectNode delta = choice(chunk, wire).putObject("delta");
        delta.putNull("content");
        delta.put("reasoning_content", piece);
        return finishChunk(chunk, null, includeUsage);
    }

    private ObjectNode contentChunk(Wire wire, boolean includeUsage, String piece) {
        ObjectNode chunk = chunkShell(wire);
        ObjectNode delta = choice(chunk, wire).putObject("delta");
        if (wire.plan().answer() instanceof ReplyPlan.ToolCall toolCall) {
            ObjectNode call = delta.putArray("tool_calls").addObject();
            if (wire.wholeToolCall()) {
                call.put("id", callId(toolCall, wire));
                call.put("type", "function");
                call.putObject("function").put("name", toolCall.name()).put("arguments", piece);
                call.put("index", 0);
            } else {
                call.put("index", 0);
                call.putObject("function").put("arguments", piece);
            }
        } else {
            delta.put("content", piece);
            if (wire.is(OpenAiFlavour.DEEPSEEK)) {
                delta.putNull("reasoning_content");
            }
        }
        return finishChunk(chunk, null, includeUsage);
    }

    private ObjectNode stopChunk(Wire wire, boolean includeUsage) {
        ObjectNode chunk = chunkShell(wire);
        choice(chunk, wire).putObject("delta");
        finishChunk(chunk, finishReason(wire), includeUsage);
        if (wire.is(OpenAiFlavour.GROQ)) {
            ObjectNode xGroq = chunk.putObject("x_groq");
            xGroq.put("id", groqRequestId(wire.plan()));
            xGroq.set("usage", usageJson(wire));
        }
        return chunk;
    }

    private ObjectNode usageChunk(Wire wire) {
        ObjectNode chunk = chunkShell(wire);
        chunk.putArray("choices");
        chunk.set("usage", usageJson(wire));
        return chunk;
    }

    /** Azure's opening chunk: the prompt's filter results, no choices, and every other field empty. */
    private ObjectNode promptFilterChunk() {
        ObjectNode chunk = json.createObjectNode();
        chunk.putArray("choices");
        chunk.put("created", 0);
        chunk.put("id", "");
        chunk.put("model", "");
        chunk.put("object", "");
        chunk.set("prompt_filter_results", promptFilterResults());
        return chunk;
    }

    private ObjectNode chunkShell(Wire wire) {
        ReplyPlan plan = wire.plan();
        ObjectNode chunk = json.createObjectNode();
        chunk.put("id", completionId(plan));
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", plan.created());
        chunk.put("model", plan.model());
        if (wire.is(OpenAiFlavour.OPENAI) || wire.is(OpenAiFlavour.NO_STREAM_USAGE)) {
            chunk.put("service_tier", "default");
        }
        if (!wire.is(OpenAiFlavour.MISTRAL)) {
            chunk.put("system_fingerprint", FINGERPRINT);
        }
        return chunk;
    }

    private ObjectNode choice(ObjectNode chunk, Wire wire) {
        ObjectNode choice = chunk.putArray("choices").addObject();
        if (wire.is(OpenAiFlavour.AZURE)) {
            choice.set("content_filter_results", contentFilterResults(wire.filtered()));
        }
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

    private ObjectNode completionJson(Wire wire) {
        ReplyPlan plan = wire.plan();
        ObjectNode body = json.createObjectNode();
        body.put("id", completionId(plan));
        body.put("object", "chat.completion");
        body.put("created", plan.created());
        body.put("model", plan.model());
        if (wire.is(OpenAiFlavour.AZURE)) {
            body.set("prompt_filter_results", promptFilterResults());
        }
        ObjectNode choice = body.putArray("choices").addObject();
        if (wire.is(OpenAiFlavour.AZURE)) {
            choice.set("content_filter_results", contentFilterResults(wire.filtered()));
        }
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (wire.is(OpenAiFlavour.DEEPSEEK)) {
            message.put("reasoning_content", ReplyPlan.THINKING_TEXT);
        }
        if (wire.filtered()) {
            message.putNull("content"); // Azure withholds a filtered completion
        } else if (plan.answer() instanceof ReplyPlan.ToolCall toolCall) {
            message.putNull("content");
            ObjectNode call = message.putArray("tool_calls").addObject();
            call.put("id", callId(toolCall, wire));
            call.put("type", "function");
            ObjectNode function = call.putObject("function");
            function.put("name", toolCall.name());
            function.put("arguments", toolCall.arguments());
        } else {
            message.put("content", ((ReplyPlan.Text) plan.answer()).text());
        }
        if (!wire.is(OpenAiFlavour.MISTRAL) && !wire.is(OpenAiFlavour.DEEPSEEK)) {
            message.putNull("refusal");
            message.putArray("annotations");
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(wire));
        body.set("usage", usageJson(wire));
        if (wire.is(OpenAiFlavour.GROQ)) {
            body.putObject("x_groq").put("id", groqRequestId(plan));
        } else if (!wire.is(OpenAiFlavour.MISTRAL)) {
            body.put("service_tier", "default");
        }
        if (!wire.is(OpenAiFlavour.MISTRAL)) {
            body.put("system_fingerprint", FINGERPRINT);
        }
        return body;
    }

    /** Each server's own usage object for the same counts. */
    private ObjectNode usageJson(Wire wire) {
        ReplyPlan plan = wire.plan();
        ObjectNode usage = json.createObjectNode();
        if (wire.is(OpenAiFlavour.GROQ)) {
            usage.put("queue_time", 0.01);
            usage.put("prompt_tokens", plan.promptTokens());
            usage.put("prompt_time", 0.002);
            usage.put("completion_tokens", plan.completionTokens());
            usage.put("completion_time", 0.02);
            usage.put("total_tokens", plan.promptTokens() + plan.completionTokens());
            usage.put("total_time", 0.022);
            return usage;
        }
        usage.put("prompt_tokens", plan.promptTokens());
        usage.put("completion_tokens", plan.completionTokens());
        usage.put("total_tokens", plan.promptTokens() + plan.completionTokens());
        if (wire.is(OpenAiFlavour.MISTRAL)) {
            return usage;
        }
        if (wire.is(OpenAiFlavour.DEEPSEEK)) {
            // DeepSeek's own cache fields, which add up to prompt_tokens.
            usage.put("prompt_cache_hit_tokens", plan.cachedTokens());
            usage.put("prompt_cache_miss_tokens", plan.promptTokens() - plan.cachedTokens());
            usage.putObject("completion_tokens_details").put("reasoning_tokens", plan.reasoningTokens());
            return usage;
        }
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

    /** Azure's prompt annotation: every category checked, nothing filtered. */
    private ArrayNode promptFilterResults() {
        ArrayNode results = json.createArrayNode();
        ObjectNode result = results.addObject();
        result.put("prompt_index", 0);
        ObjectNode filters = contentFilterResults(false);
        filters.putObject("jailbreak").put("filtered", false).put("detected", false);
        result.set("content_filter_results", filters);
        return results;
    }

    /** Azure's four severity categories; {@code filtered} marks violence as the one that tripped. */
    private ObjectNode contentFilterResults(boolean filtered) {
        ObjectNode results = json.createObjectNode();
        for (String category : new String[] {"hate", "self_harm", "sexual", "violence"}) {
            boolean tripped = filtered && category.equals("violence");
            results.putObject(category).put("filtered", tripped).put("severity", tripped ? "medium" : "safe");
        }
        return results;
    }

    private static String finishReason(Wire wire) {
        if (wire.filtered()) {
            return "content_filter";
        }
        return wire.plan().isToolCall() ? "tool_calls" : "stop";
    }

    private static String completionId(ReplyPlan plan) {
        return "chatcmpl-" + plan.id();
    }

    /** {@code call_} and 24 hex digits; Mistral's are exactly 9 letters and digits. */
    private static String callId(ReplyPlan.ToolCall toolCall, Wire wire) {
        return wire.is(OpenAiFlavour.MISTRAL) ? toolCall.id().substring(0, 9) : "call_" + toolCall.id();
    }

    private static String groqRequestId(ReplyPlan plan) {
        return "req_" + plan.id().substring(0, 26);
    }

    private String mistralError(String message) {
        ObjectNode body = json.createObjectNode();
        body.put("object", "error");
        body.put("message", message);
        body.put("type", "invalid_request_error");
        body.putNull("param");
        body.putNull("code");
        return json.writeValueAsString(body);
    }
}
