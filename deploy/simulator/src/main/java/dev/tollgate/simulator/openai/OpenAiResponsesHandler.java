package dev.tollgate.simulator.openai;

import dev.tollgate.simulator.SimulatorConfig;
import dev.tollgate.simulator.SimulatorHttp;
import dev.tollgate.simulator.SimulatorState;
import dev.tollgate.simulator.scenario.ChatExchange;
import dev.tollgate.simulator.scenario.ReplyPlan;
import dev.tollgate.simulator.scenario.StreamScript;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
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
 * OpenAI's Responses API served natively: {@code POST /v1/responses} (plain, and streamed as OpenAI's named events
 * with {@code sequence_number}, the usage in {@code response.completed}), and the stored responses behind it —
 * {@code GET|DELETE /v1/responses/{id}}, {@code POST /v1/responses/{id}/cancel},
 * {@code GET /v1/responses/{id}/input_items}. Responses are remembered in memory (unless {@code store: false}), so
 * {@code previous_response_id} works and an unknown one is refused the way OpenAI does. {@code background: true}
 * answers {@code queued} and the stored response is already complete when polled. Azure's
 * {@code /openai/v1/responses} and {@code /openai/responses?api-version=…} answer alike.
 */
public final class OpenAiResponsesHandler {

    private final SimulatorState state;
    private final ObjectMapper json;
    /** Stored responses by id, and the input items each was given (its previous response's first). */
    private final Map<String, Stored> stored = new ConcurrentHashMap<>();

    private record Stored(ObjectNode response, ArrayNode inputItems, boolean background) {
    }

    public OpenAiResponsesHandler(SimulatorState state, ObjectMapper json) {
        this.state = state;
        this.json = json;
    }

    public void register(HttpServerRoutes routes) {
        for (String root : new String[] {"/v1/responses", "/openai/v1/responses", "/openai/responses"}) {
            routes.post(root, this::create)
                    .get(root + "/{id}/input_items", this::inputItems)
                    .post(root + "/{id}/cancel", this::cancel)
                    .get(root + "/{id}", this::retrieve)
                    .delete(root + "/{id}", this::delete);
        }
    }

    /** How many responses are remembered (for tests). */
    public int storedCount() {
        return stored.size();
    }

    private Publisher<Void> create(HttpServerRequest request, HttpServerResponse response) {
        return ChatExchange.serve(state, request, response, this::create);
    }

    private Mono<Void> create(ChatExchange exchange) {
        JsonNode body;
        try {
            body = json.readTree(exchange.body());
        } catch (JacksonException e) {
            body = null;
        }
        if (body == null || !body.isObject() || !body.path("model").isString() || !body.has("input")) {
            return error(exchange, 400, "The request must be a JSON object with a model and an input.", "input",
                    null);
        }
        Integer failStatus = exchange.injectedFailure();
        if (failStatus != null) {
            exchange.call().failed();
            return SimulatorHttp.sendJson(exchange.response(), failStatus,
                    OpenAiErrors.json(json, "simulated failure", "server_error", null, "simulated"));
        }
        ArrayNode inputItems = json.createArrayNode();
        String previousId = body.path("previous_response_id").asString(null);
        if (previousId != null) {
            Stored previous = stored.get(previousId);
            if (previous == null) {
                return error(exchange, 400, "Previous response with id '" + previousId + "' not found.",
                        "previous_response_id", "previous_response_not_found");
            }
            inputItems.addAll(previous.inputItems());
            inputItems.addAll((ArrayNode) previous.response().path("output"));
        }
        JsonNode input = body.get("input");
        if (input.isString()) {
            ObjectNode item = inputItems.addObject();
            item.put("id", "msg_" + hex());
            item.put("type", "message");
            item.put("role", "user");
            item.putArray("content").addObject().put("type", "input_text").put("text", input.asString());
        } else if (input.isArray()) {
            input.forEach(item -> inputItems.add(item.deepCopy()));
        }
        SimulatorConfig config = exchange.config();
        String hex = hex();
        String id = "resp_" + hex;
        long created = Instant.now().getEpochSecond();
        int chunks = config.chunks();
        long prompt = config.promptTokens() != null ? config.promptTokens()
                : Math.max(1, (inputItems.toString().length() + 3) / 4);
        long output = config.completionTokens() != null ? config.completionTokens() : chunks;
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < chunks; i++) {
            text.append(ReplyPlan.word(i));
        }
        boolean store = body.path("store").booleanValue(true);
        boolean background = body.path("background").booleanValue(false);
        String messageId = "msg_" + hex;
        ObjectNode done = envelope(body, id, created, "completed", store, background);
        ((ArrayNode) done.get("output")).add(message(messageId, "completed", text.toString()));
        done.set("usage", usage(prompt, output, config));
        if (store || background) {
            stored.put(id, new Stored(done, inputItems, background));
        }
        if (body.path("stream").booleanValue(false)) {
            return stream(exchange, body, done, messageId, chunks);
        }
        exchange.call().completed();
        if (background) {
            ObjectNode queued = envelope(body, id, created, "queued", store, true);
            return SimulatorHttp.sendJson(exchange.response(), 200, json.writeValueAsString(queued));
        }
        return SimulatorHttp.sendJson(exchange.response(), 200, json.writeValueAsString(done));
    }

    /** OpenAI's event sequence for one text message, each event named and numbered. */
    private Mono<Void> stream(ChatExchange exchange, JsonNode body, ObjectNode done, String messageId, int chunks) {
        exchange.response().status(HttpResponseStatus.OK)
                .header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .header(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        String id = done.path("id").asString();
        long created = done.path("created_at").asLong();
        boolean store = done.path("store").booleanValue();
        boolean background = done.path("background").booleanValue();
        int[] sequence = {0};
        StreamScript script = new StreamScript();
        ObjectNode started = envelope(body, id, created, "in_progress", store, background);
        script.frame(event(sequence, "response.created", json.createObjectNode().set("response", started)));
        script.frame(event(sequence, "response.in_progress", json.createObjectNode().set("response", started)));
        script.frame(event(sequence, "response.output_item.added", json.createObjectNode()
                .put("output_index", 0).set("item", message(messageId, "in_progress", null))));
        script.frame(event(sequence, "response.content_part.added", json.createObjectNode()
                .put("item_id", messageId).put("output_index", 0).put("content_index", 0)
                .set("part", outputText(""))));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < chunks; i++) {
            text.append(ReplyPlan.word(i));
            script.content(event(sequence, "response.output_text.delta", json.createObjectNode()
                    .put("item_id", messageId).put("output_index", 0).put("content_index", 0)
                    .put("delta", ReplyPlan.word(i)).set("logprobs", json.createArrayNode())));
        }
        script.tail(event(sequence, "response.output_text.done", json.createObjectNode()
                .put("item_id", messageId).put("output_index", 0).put("content_index", 0)
                .put("text", text.toString()).set("logprobs", json.createArrayNode())));
        script.tail(event(sequence, "response.content_part.done", json.createObjectNode()
                .put("item_id", messageId).put("output_index", 0).put("content_index", 0)
                .set("part", outputText(text.toString()))));
        script.tail(event(sequence, "response.output_item.done", json.createObjectNode()
                .put("output_index", 0).set("item", message(messageId, "completed", text.toString()))));
        script.tail(event(sequence, "response.completed", json.createObjectNode().set("response", done)));
        return script.play(exchange.response(), exchange.config(), exchange.call());
    }

    private Publisher<Void> retrieve(HttpServerRequest request, HttpServerResponse response) {
        return ChatExchange.receive(state, request).flatMap(body -> {
            Stored found = stored.get(request.param("id"));
            return found == null ? notFound(response, request.param("id"))
                    : SimulatorHttp.sendJson(response, 200, json.writeValueAsString(found.response()));
        });
    }

    private Publisher<Void> delete(HttpServerRequest request, HttpServerResponse response) {
        return ChatExchange.receive(state, request).flatMap(body -> {
            String id = request.param("id");
            if (stored.remove(id) == null) {
                return notFound(response, id);
            }
            ObjectNode deleted = json.createObjectNode().put("id", id).put("object", "response").put("deleted", true);
            return SimulatorHttp.sendJson(response, 200, json.writeValueAsString(deleted));
        });
    }

    /** Only a background response can be cancelled; here it has always finished, so it is only marked so. */
    private Publisher<Void> cancel(HttpServerRequest request, HttpServerResponse response) {
        return ChatExchange.receive(state, request).flatMap(body -> {
            String id = request.param("id");
            Stored found = stored.get(id);
            if (found == null) {
                return notFound(response, id);
            }
            if (!found.background()) {
                return SimulatorHttp.sendJson(response, 400, OpenAiErrors.json(json,
                        "Only responses created with background=true can be cancelled.", "invalid_request_error",
                        null, null));
            }
            found.response().put("status", "cancelled");
            return SimulatorHttp.sendJson(response, 200, json.writeValueAsString(found.response()));
        });
    }

    private Publisher<Void> inputItems(HttpServerRequest request, HttpServerResponse response) {
        return ChatExchange.receive(state, request).flatMap(body -> {
            Stored found = stored.get(request.param("id"));
            if (found == null) {
                return notFound(response, request.param("id"));
            }
            ObjectNode list = json.createObjectNode();
            list.put("object", "list");
            ArrayNode data = list.putArray("data");
            for (int i = found.inputItems().size() - 1; i >= 0; i--) {
                data.add(found.inputItems().get(i)); // newest first, as OpenAI lists them by default
            }
            list.set("first_id", data.isEmpty() ? null : data.get(0).path("id"));
            list.set("last_id", data.isEmpty() ? null : data.get(data.size() - 1).path("id"));
            list.put("has_more", false);
            return SimulatorHttp.sendJson(response, 200, json.writeValueAsString(list));
        });
    }

    private ObjectNode envelope(JsonNode request, String id, long created, String status, boolean store,
            boolean background) {
        ObjectNode body = json.createObjectNode();
        body.put("id", id);
        body.put("object", "response");
        body.put("created_at", created);
        body.put("status", status);
        body.put("background", background);
        body.putNull("error");
        body.putNull("incomplete_details");
        body.set("instructions", request.path("instructions").isString() ? request.get("instructions") : null);
        body.set("max_output_tokens", request.get("max_output_tokens"));
        body.put("model", request.path("model").asString());
        body.putArray("output");
        body.put("parallel_tool_calls", true);
        body.set("previous_response_id", request.path("previous_response_id").isString()
                ? request.get("previous_response_id") : null);
        body.putObject("reasoning").putNull("effort").putNull("summary");
        body.put("store", store);
        body.put("temperature", request.path("temperature").asDouble(1.0));
        body.putObject("text").putObject("format").put("type", "text");
        body.put("tool_choice", "auto");
        body.set("tools", request.path("tools").isArray() ? request.get("tools") : json.createArrayNode());
        body.put("top_p", 1.0);
        body.put("truncation", "disabled");
        body.putNull("usage");
        body.putNull("user");
        body.set("metadata", request.path("metadata").isObject() ? request.get("metadata") : json.createObjectNode());
        if (request.path("conversation").isString()) {
            body.putObject("conversation").put("id", request.path("conversation").asString());
        }
        return body;
    }

    private ObjectNode message(String id, String status, String text) {
        ObjectNode item = json.createObjectNode();
        item.put("id", id);
        item.put("type", "message");
        item.put("status", status);
        item.put("role", "assistant");
        ArrayNode content = item.putArray("content");
        if (text != null) {
            content.add(outputText(text));
        }
        return item;
    }

    private ObjectNode outputText(String text) {
        ObjectNode part = json.createObjectNode();
        part.put("type", "output_text");
        part.put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    /** OpenAI's Responses usage: input includes the cached part, output includes the reasoning. */
    private ObjectNode usage(long input, long output, SimulatorConfig config) {
        ObjectNode usage = json.createObjectNode();
        usage.put("input_tokens", input);
        usage.putObject("input_tokens_details").put("cached_tokens", config.cachedTokens()).put("cache_write_tokens", 0);
        usage.put("output_tokens", output);
        usage.putObject("output_tokens_details").put("reasoning_tokens", config.reasoningTokens());
        usage.put("total_tokens", input + output);
        return usage;
    }

    private String event(int[] sequence, String type, ObjectNode data) {
        ObjectNode event = json.createObjectNode();
        event.put("type", type);
        event.put("sequence_number", sequence[0]++);
        event.setAll(data);
        return "event: " + type + "\ndata: " + json.writeValueAsString(event) + "\n\n";
    }

    private Mono<Void> notFound(HttpServerResponse response, String id) {
        return SimulatorHttp.sendJson(response, 404, OpenAiErrors.json(json, "Response with id '" + id + "' not found.",
                "invalid_request_error", null, null));
    }

    private Mono<Void> error(ChatExchange exchange, int status, String message, String param, String code) {
        exchange.call().rejected();
        return SimulatorHttp.sendJson(exchange.response(), status,
                OpenAiErrors.json(json, message, "invalid_request_error", param, code));
    }

    private static String hex() {
        return UUID.randomUUID().toString().replace("-", "");
    }
}
