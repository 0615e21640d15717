package dev.tollgate.simulator.openai;

import dev.tollgate.simulator.SimulatorConfig;
import dev.tollgate.simulator.SimulatorHttp;
import dev.tollgate.simulator.SimulatorState;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.SignalType;
import reactor.netty.Connection;
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
 */
public final class OpenAiHandler {

    /** Per-request fault injection: {@code x-sim-fail: 503} fails that one request with 503. */
    public static final String FAIL_HEADER = "x-sim-fail";

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
    }

    private Publisher<Void> chatCompletions(HttpServerRequest request, HttpServerResponse response) {
        return request.receive()
                .aggregate()
                .asString(StandardCharsets.UTF_8)
                .defaultIfEmpty("")
                .flatMap(body -> answer(request, response, body));
    }

    private Mono<Void> answer(HttpServerRequest request, HttpServerResponse response, String body) {
        SimulatorConfig config = state.config();
        SimulatorState.Call call = state.begin(body, request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION));
        // Backstop for a client that vanishes while nothing is being written (e.g. during latencyMs);
        // removed at the end so keep-alive connections do not collect one listener per request.
        ChannelFutureListener onClose = future -> call.cancelled();
        request.withConnection(connection -> connection.channel().closeFuture().addListener(onClose));
        Integer failStatus = state.injectedFailure(request.requestHeaders().get(FAIL_HEADER), config);
        Mono<Void> reply = Mono.defer(() -> reply(response, body, config, failStatus, call));
        if (config.latencyMs() > 0) {
            reply = Mono.delay(Duration.ofMillis(config.latencyMs())).then(reply);
        }
        return reply.doFinally(signal -> {
            endCall(call, signal);
            request.withConnection(connection -> connection.channel().closeFuture().removeListener(onClose));
        });
    }

    private static void endCall(SimulatorState.Call call, SignalType signal) {
        if (signal != SignalType.ON_COMPLETE) {
            // The write failed or the server cancelled our publisher: the peer went away before the end.
            call.cancelled();
        }
    }

    private Mono<Void> reply(HttpServerResponse response, String body, SimulatorConfig config,
                             Integer failStatus, SimulatorState.Call call) {
        // Outcomes are counted as the last bytes are handed to the connection, not after they are written,
        // so a client that has read a whole answer always finds it in the stats.
        if (failStatus != null) {
            call.failed();
            return SimulatorHttp.sendJson(response, failStatus,
                    errorJson("simulated failure", "server_error", null, "simulated"));
        }
        JsonNode chat;
        try {
            chat = json.readTree(body);
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
        Completion completion = Completion.of(chat, config);
        if (chat.path("stream").booleanValue(false)) {
            return stream(response, chat, config, completion, call);
        }
        String answer = json.writeValueAsString(completionJson(completion));
        call.completed();
        return SimulatorHttp.sendJson(response, 200, answer);
    }

    private Mono<Void> badRequest(HttpServerResponse response, SimulatorState.Call call, String message, String param) {
        call.rejected();
        return SimulatorHttp.sendJson(response, 400, errorJson(message, "invalid_request_error", param, null));
    }

    // ---- streaming ----

    private static final Duration CUT_PAUSE = Duration.ofMillis(100);

    private Mono<Void> stream(HttpServerResponse response, JsonNode chat, SimulatorConfig config,
                              Completion completion, SimulatorState.Call call) {
        boolean includeUsage = chat.path("stream_options").path("include_usage").booleanValue(false);
        Integer cut = config.cutAfterChunks();
        int contentChunks = cut == null ? config.chunks() : Math.min(cut, config.chunks());
        Flux<String> events = Flux.concat(
                Mono.fromSupplier(() -> event(roleChunk(completion, includeUsage))),
                contentEvents(completion, includeUsage, contentChunks, config.chunkDelayMs()));
        if (cut == null) {
            events = events.concatWith(Flux.defer(() -> endEvents(completion, includeUsage, call)));
        } else {
            events = events.concatWith(Mono.fromRunnable(call::failed));
        }
        Mono<Void> sent = response.status(HttpResponseStatus.OK)
                .header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .header(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                // Flush every event as it is produced: the point of a stream is that the client sees it early.
                .send(events.map(OpenAiHandler::utf8), buffer -> true)
                .then();
        if (cut == null) {
            return sent;
        }
        // Drop the connection without the terminating chunk or [DONE], like an upstream dying mid-answer.
        // The short pause lets the peer take in what was sent: some clients discard buffered data on a reset.
        return sent.then(Mono.delay(CUT_PAUSE))
                .then(Mono.create(sink -> response.withConnection(connection -> closeAfterFlush(connection, sink))));
    }

    /** A bare close would discard chunks still queued in Netty; an empty flush first lets them reach the peer. */
    private static void closeAfterFlush(Connection connection, MonoSink<Void> sink) {
        Channel channel = connection.channel();
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER)
                .addListener(flushed -> channel.close().addListener(closed -> sink.success()));
    }

    private Flux<String> contentEvents(Completion completion, boolean includeUsage, int count, long delayMs) {
        Flux<Integer> indexes = Flux.range(0, count);
        if (delayMs > 0) {
            indexes = indexes.concatMap(i -> Mono.delay(Duration.ofMillis(delayMs)).thenReturn(i));
        }
        return indexes.map(i -> event(contentChunk(completion, includeUsage, i)));
    }

    private Flux<String> endEvents(Completion completion, boolean includeUsage, SimulatorState.Call call) {
        Flux<String> events = Flux.just(event(stopChunk(completion, includeUsage)));
        if (includeUsage) {
            events = events.concatWith(Mono.fromSupplier(() -> event(usageChunk(completion))));
        }
        return events.concatWith(Mono.fromSupplier(() -> {
            call.completed();
            return "data: [DONE]\n\n";
        }));
    }

    private String event(ObjectNode chunk) {
        return "data: " + json.writeValueAsString(chunk) + "\n\n";
    }

    private static ByteBuf utf8(String text) {
        return Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8));
    }

    // ---- wire JSON ----

    private ObjectNode roleChunk(Completion completion, boolean includeUsage) {
        ObjectNode chunk = chunkShell(completion);
        ObjectNode delta = choice(chunk).putObject("delta");
        delta.put("role", "assistant");
        delta.put("content", "");
        delta.putNull("refusal");
        return finishChunk(chunk, null, includeUsage);
    }

    private ObjectNode contentChunk(Completion completion, boolean includeUsage, int index) {
        ObjectNode chunk = chunkShell(completion);
        choice(chunk).putObject("delta").put("content", Completion.word(index));
        return finishChunk(chunk, null, includeUsage);
    }

    private ObjectNode stopChunk(Completion completion, boolean includeUsage) {
        ObjectNode chunk = chunkShell(completion);
        choice(chunk).putObject("delta");
        return finishChunk(chunk, "stop", includeUsage);
    }

    private ObjectNode usageChunk(Completion completion) {
        ObjectNode chunk = chunkShell(completion);
        chunk.putArray("choices");
        chunk.set("usage", usageJson(completion));
        return chunk;
    }

    private ObjectNode chunkShell(Completion completion) {
        ObjectNode chunk = json.createObjectNode();
        chunk.put("id", completion.id());
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", completion.created());
        chunk.put("model", completion.model());
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

    private ObjectNode completionJson(Completion completion) {
        ObjectNode body = json.createObjectNode();
        body.put("id", completion.id());
        body.put("object", "chat.completion");
        body.put("created", completion.created());
        body.put("model", completion.model());
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", completion.text());
        message.putNull("refusal");
        message.putArray("annotations");
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        body.set("usage", usageJson(completion));
        body.put("service_tier", "default");
        body.put("system_fingerprint", FINGERPRINT);
        return body;
    }

    private ObjectNode usageJson(Completion completion) {
        ObjectNode usage = json.createObjectNode();
        usage.put("prompt_tokens", completion.promptTokens());
        usage.put("completion_tokens", completion.completionTokens());
        usage.put("total_tokens", completion.promptTokens() + completion.completionTokens());
        ObjectNode promptDetails = usage.putObject("prompt_tokens_details");
        promptDetails.put("cached_tokens", completion.cachedTokens());
        promptDetails.put("audio_tokens", 0);
        ObjectNode completionDetails = usage.putObject("completion_tokens_details");
        completionDetails.put("reasoning_tokens", completion.reasoningTokens());
        completionDetails.put("audio_tokens", 0);
        completionDetails.put("accepted_prediction_tokens", 0);
        completionDetails.put("rejected_prediction_tokens", 0);
        return usage;
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

    /** What one answer says, fixed up front so the stream and its usage chunk agree. */
    record Completion(String id, long created, String model, int chunks, long promptTokens,
                      long completionTokens, long cachedTokens, long reasoningTokens) {

        static Completion of(JsonNode chat, SimulatorConfig config) {
            long prompt = config.promptTokens() != null ? config.promptTokens() : estimatePromptTokens(chat);
            long completion = config.completionTokens() != null ? config.completionTokens() : config.chunks();
            String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
            return new Completion(id, Instant.now().getEpochSecond(), chat.path("model").asString(),
                    config.chunks(), prompt, completion, config.cachedTokens(), config.reasoningTokens());
        }

        static String word(int index) {
            return "tok" + index + " ";
        }

        /** The whole text, equal to the stream's content deltas joined. */
        String text() {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < chunks; i++) {
                text.append(word(i));
            }
            return text.toString();
        }

        /** About one token per 4 characters of message text (string or text parts), at least 1. */
        static long estimatePromptTokens(JsonNode chat) {
            long chars = 0;
            for (JsonNode message : chat.path("messages")) {
                JsonNode content = message.path("content");
                if (content.isString()) {
                    chars += content.asString().length();
                } else if (content.isArray()) {
                    for (JsonNode part : content) {
                        if (part.path("text").isString()) {
                            chars += part.path("text").asString().length();
                        }
                    }
                }
            }
            return Math.max(1, (chars + 3) / 4);
        }
    }
}
