package dev.tollgate.simulator.openai;

import dev.tollgate.simulator.SimulatorHttp;
import dev.tollgate.simulator.SimulatorState;
import dev.tollgate.simulator.scenario.ChatExchange;
import dev.tollgate.simulator.scenario.ReplyPlan;
import dev.tollgate.simulator.scenario.StreamScript;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
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
 * OpenAI's endpoints beside chat: {@code POST /v1/embeddings} (deterministic unit vectors from each input's text,
 * {@code float} or {@code base64}, {@code dimensions}) and the legacy {@code POST /v1/completions} (plain, and
 * SSE with the usage chunk when asked), {@code POST /v1/moderations} and {@code POST /v1/images/generations},
 * {@code POST /v1/rerank} (Jina/vLLM shape) and {@code /v2/rerank} (Cohere's), recorded and fault-injected like
 * chat. Azure's deployment paths answer
 * through {@link #embeddings(ChatExchange, String)} and {@link #completions(ChatExchange, String)}.
 */
public final class OpenAiSurfaceHandler {

    /** Vector width when the request names no {@code dimensions} (text-embedding-3-small's). */
    static final int DEFAULT_DIMENSIONS = 1536;
    static final String MODERATION_MODEL = "omni-moderation-latest";

    private final SimulatorState state;
    private final ObjectMapper json;

    public OpenAiSurfaceHandler(SimulatorState state, ObjectMapper json) {
        this.state = state;
        this.json = json;
    }

    public void register(HttpServerRoutes routes) {
        routes.post("/v1/embeddings", this::embeddings)
                .post("/v1/completions", this::completions)
                .post("/v1/moderations", this::moderations)
                .post("/v1/images/generations", this::images)
                .post("/v1/rerank", (request, response) -> ChatExchange.serve(state, request, response,
                        exchange -> rerank(exchange, false)))
                .post("/v2/rerank", (request, response) -> ChatExchange.serve(state, request, response,
                        exchange -> rerank(exchange, true)));
    }

    private Publisher<Void> moderations(HttpServerRequest request, HttpServerResponse response) {
        return ChatExchange.serve(state, request, response, this::moderations);
    }

    private Publisher<Void> images(HttpServerRequest request, HttpServerResponse response) {
        return ChatExchange.serve(state, request, response, this::images);
    }

    /** One result per input item; text containing "violence" is flagged as such. */
    private Mono<Void> moderations(ChatExchange exchange) {
        JsonNode body = readChecked(exchange, MODERATION_MODEL, "input");
        if (body == null) {
            return badRequest(exchange, "The request must be a JSON object with an input.", "input");
        }
        Integer failStatus = exchange.injectedFailure();
        if (failStatus != null) {
            exchange.call().failed();
            return SimulatorHttp.sendJson(exchange.response(), failStatus,
                    OpenAiErrors.json(json, "simulated failure", "server_error", null, "simulated"));
        }
        ObjectNode answer = json.createObjectNode();
        answer.put("id", "modr-" + UUID.randomUUID().toString().replace("-", ""));
        answer.put("model", answeredModel(body, MODERATION_MODEL));
        ArrayNode results = answer.putArray("results");
        JsonNode input = body.get("input");
        List<JsonNode> items = input.isArray() && input.get(0).isObject() ? List.of(input) : items(input);
        for (JsonNode item : items) {
            boolean violent = item.toString().contains("violence");
            ObjectNode result = results.addObject();
            result.put("flagged", violent);
            ObjectNode categories = result.putObject("categories");
            ObjectNode scores = result.putObject("category_scores");
            for (String category : new String[] {"harassment", "hate", "self-harm", "sexual", "violence"}) {
                boolean hit = violent && category.equals("violence");
                categories.put(category, hit);
                scores.put(category, hit ? 0.91 : 0.0001);
            }
        }
        exchange.call().completed();
        return SimulatorHttp.sendJson(exchange.response(), 200, json.writeValueAsString(answer));
    }

    /**
     * {@code n} images as URLs or {@code b64_json} (a 1×1 PNG); GPT Image models answer in base64 and report
     * token usage, as OpenAI's do.
     */
    private Mono<Void> images(ChatExchange exchange) {
        JsonNode body = readChecked(exchange, "dall-e-2", "prompt");
        if (body == null) {
            return badRequest(exchange, "The request must be a JSON object with a prompt.", "prompt");
        }
        Integer failStatus = exchange.injectedFailure();
        if (failStatus != null) {
            exchange.call().failed();
            return SimulatorHttp.sendJson(exchange.response(), failStatus,
                    OpenAiErrors.json(json, "simulated failure", "server_error", null, "simulated"));
        }
        String model = answeredModel(body, "dall-e-2");
        boolean gptImage = model.startsWith("gpt-image");
        boolean base64 = gptImage || "b64_json".equals(body.path("response_format").asString(""));
        int n = body.path("n").isIntegralNumber() ? body.path("n").intValue() : 1;
        ObjectNode answer = OpenAiImages.answer(json, n, base64, "https://simulator.invalid/images/");
        if (gptImage) {
            long input = exchange.config().promptTokens() != null ? exchange.config().promptTokens()
                    : tokens(body.get("prompt"));
            long output = exchange.config().completionTokens() != null ? exchange.config().completionTokens()
                    : 272L * n;
            ObjectNode usage = answer.putObject("usage");
            usage.put("input_tokens", input);
            usage.put("output_tokens", output);
            usage.put("total_tokens", input + output);
            usage.putObject("input_tokens_details").put("text_tokens", input).put("image_tokens", 0);
        }
        exchange.call().completed();
        return SimulatorHttp.sendJson(exchange.response(), 200, json.writeValueAsString(answer));
    }

    /**
     * Rerank as Jina, vLLM and SiliconFlow answer {@code /v1/rerank} ({@code results} by falling relevance, each with
     * its {@code index}, {@code relevance_score} and — when asked — its {@code document}; {@code usage.total_tokens})
     * or, for {@code cohere}, as Cohere's {@code /v2/rerank} does ({@code meta.billed_units.search_units}: one per
     * 100 documents). The score is the share of the query's words a document holds.
     */
    private Mono<Void> rerank(ChatExchange exchange, boolean cohere) {
        JsonNode body;
        try {
            body = json.readTree(exchange.body());
        } catch (JacksonException e) {
            body = null;
        }
        if (body == null || !body.isObject() || !body.path("model").isString() || !body.path("query").isString()
                || !body.path("documents").isArray() || body.path("documents").isEmpty()) {
            return badRequest(exchange, "The request must be a JSON object with a model, a query and documents.",
                    "documents");
        }
        Integer failStatus = exchange.injectedFailure();
        if (failStatus != null) {
            exchange.call().failed();
            return SimulatorHttp.sendJson(exchange.response(), failStatus,
                    OpenAiErrors.json(json, "simulated failure", "server_error", null, "simulated"));
        }
        String query = body.path("query").asString();
        List<String> words = List.of(query.toLowerCase(Locale.ROOT).split("\\W+"));
        JsonNode documents = body.path("documents");
        List<double[]> scored = new ArrayList<>();
        long tokens = tokens(body.path("query"));
        for (int i = 0; i < documents.size(); i++) {
            JsonNode document = documents.get(i);
            String text = document.isString() ? document.asString() : document.path("text").asString("");
            String lower = text.toLowerCase(Locale.ROOT);
            long hits = words.stream().filter(word -> !word.isEmpty() && lower.contains(word)).count();
            scored.add(new double[] {i, words.isEmpty() ? 0 : (double) hits / words.size()});
            tokens += Math.max(1, (text.length() + 3) / 4);
        }
        scored.sort((a, b) -> Double.compare(b[1], a[1]));
        int topN = body.path("top_n").isIntegralNumber() ? Math.min(body.path("top_n").intValue(), scored.size())
                : scored.size();
        boolean returnDocuments = body.path("return_documents").booleanValue(!cohere);
        ObjectNode answer = json.createObjectNode();
        answer.put("id", UUID.randomUUID().toString());
        if (!cohere) {
            answer.put("model", body.path("model").asString());
        }
        ArrayNode results = answer.putArray("results");
        for (double[] one : scored.subList(0, topN)) {
            int index = (int) one[0];
            ObjectNode result = results.addObject();
            result.put("index", index);
            result.put("relevance_score", one[1]);
            if (returnDocuments) {
                JsonNode document = documents.get(index);
                result.putObject("document").put("text",
                        document.isString() ? document.asString() : document.path("text").asString(""));
            }
        }
        long reported = exchange.config().promptTokens() != null ? exchange.config().promptTokens() : tokens;
        if (cohere) {
            ObjectNode meta = answer.putObject("meta");
            meta.putObject("api_version").put("version", "2");
            meta.putObject("billed_units").put("search_units", (documents.size() + 99) / 100);
        } else {
            answer.putObject("usage").put("total_tokens", reported);
        }
        exchange.call().completed();
        return SimulatorHttp.sendJson(exchange.response(), 200, json.writeValueAsString(answer));
    }

    private Publisher<Void> embeddings(HttpServerRequest request, HttpServerResponse response) {
        return ChatExchange.serve(state, request, response, exchange -> embeddings(exchange, null));
    }

    private Publisher<Void> completions(HttpServerRequest request, HttpServerResponse response) {
        return ChatExchange.serve(state, request, response, exchange -> completions(exchange, null));
    }

    /** @param model the model to answer as when the body names none (an Azure deployment), else null */
    public Mono<Void> embeddings(ChatExchange exchange, String model) {
        JsonNode body = readChecked(exchange, model, "input");
        if (body == null) {
            return badRequest(exchange, "The request must be a JSON object with a model and an input.", "input");
        }
        Integer failStatus = exchange.injectedFailure();
        if (failStatus != null) {
            exchange.call().failed();
            return SimulatorHttp.sendJson(exchange.response(), failStatus,
                    OpenAiErrors.json(json, "simulated failure", "server_error", null, "simulated"));
        }
        int dimensions = body.path("dimensions").isIntegralNumber() ? body.path("dimensions").intValue()
                : DEFAULT_DIMENSIONS;
        boolean base64 = "base64".equals(body.path("encoding_format").asString(""));
        List<JsonNode> items = items(body.get("input"));
        ObjectNode answer = json.createObjectNode();
        answer.put("object", "list");
        ArrayNode data = answer.putArray("data");
        long promptTokens = 0;
        for (int i = 0; i < items.size(); i++) {
            float[] vector = vector(items.get(i).toString(), dimensions);
            ObjectNode embedding = data.addObject();
            embedding.put("object", "embedding");
            embedding.put("index", i);
            if (base64) {
                embedding.put("embedding", toBase64(vector));
            } else {
                ArrayNode values = embedding.putArray("embedding");
                for (float value : vector) {
                    values.add(value);
                }
            }
            promptTokens += tokens(items.get(i));
        }
        answer.put("model", answeredModel(body, model));
        long reported = exchange.config().promptTokens() != null ? exchange.config().promptTokens() : promptTokens;
        answer.putObject("usage").put("prompt_tokens", reported).put("total_tokens", reported);
        exchange.call().completed();
        return SimulatorHttp.sendJson(exchange.response(), 200, json.writeValueAsString(answer));
    }

    /** @param model the model to answer as when the body names none (an Azure deployment), else null */
    public Mono<Void> completions(ChatExchange exchange, String model) {
        JsonNode body = readChecked(exchange, model, "prompt");
        if (body == null) {
            return badRequest(exchange, "The request must be a JSON object with a model and a prompt.", "prompt");
        }
        Integer failStatus = exchange.injectedFailure();
        if (failStatus != null) {
            exchange.call().failed();
            return SimulatorHttp.sendJson(exchange.response(), failStatus,
                    OpenAiErrors.json(json, "simulated failure", "server_error", null, "simulated"));
        }
        String id = "cmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = Instant.now().getEpochSecond();
        String answeredModel = answeredModel(body, model);
        int chunks = exchange.config().chunks();
        long promptTokens = exchange.config().promptTokens() != null ? exchange.config().promptTokens()
                : items(body.get("prompt")).stream().mapToLong(OpenAiSurfaceHandler::tokens).sum();
        long completionTokens = exchange.config().completionTokens() != null ? exchange.config().completionTokens()
                : chunks;
        ObjectNode usage = json.createObjectNode()
                .put("prompt_tokens", promptTokens)
                .put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        if (body.path("stream").booleanValue(false)) {
            boolean includeUsage = body.path("stream_options").path("include_usage").booleanValue(false);
            exchange.response().status(HttpResponseStatus.OK)
                    .header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                    .header(HttpHeaderNames.CACHE_CONTROL, "no-cache");
            StreamScript script = new StreamScript();
            for (int i = 0; i < chunks; i++) {
                script.content(event(chunk(id, created, answeredModel, ReplyPlan.word(i), null)));
            }
            script.tail(event(chunk(id, created, answeredModel, "", "stop")));
            if (includeUsage) {
                ObjectNode last = shell(id, created, answeredModel);
                last.putArray("choices");
                last.set("usage", usage);
                script.tail(event(last));
            }
            return script.tail("data: [DONE]\n\n").play(exchange.response(), exchange.config(), exchange.call());
        }
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < chunks; i++) {
            text.append(ReplyPlan.word(i));
        }
        ObjectNode answer = chunk(id, created, answeredModel, text.toString(), "stop");
        answer.set("usage", usage);
        exchange.call().completed();
        return SimulatorHttp.sendJson(exchange.response(), 200, json.writeValueAsString(answer));
    }

    /** The body when it is an object with a model (or a deployment for it) and the field; else null. */
    private JsonNode readChecked(ChatExchange exchange, String model, String field) {
        JsonNode body;
        try {
            body = json.readTree(exchange.body());
        } catch (JacksonException e) {
            return null;
        }
        if (body == null || !body.isObject() || model == null && !body.path("model").isString()) {
            return null;
        }
        JsonNode value = body.get(field);
        return value == null || !(value.isString() || value.isArray() && !value.isEmpty()) ? null : body;
    }

    private static String answeredModel(JsonNode body, String model) {
        return body.path("model").isString() ? body.path("model").asString() : model;
    }

    /** A string or one array of token ids is one item; an array of strings or of token arrays is several. */
    private static List<JsonNode> items(JsonNode input) {
        List<JsonNode> items = new ArrayList<>();
        if (input.isString() || input.isArray() && input.size() > 0 && input.get(0).isIntegralNumber()) {
            items.add(input);
            return items;
        }
        input.forEach(items::add);
        return items;
    }

    /** About one token per 4 characters of text, like chat's estimate; token arrays as long as they are. */
    private static long tokens(JsonNode item) {
        if (item.isArray()) {
            return item.size();
        }
        return Math.max(1, (item.asString("").length() + 3) / 4);
    }

    /** A unit vector seeded by the text: the same input always embeds the same. */
    public static float[] vector(String text, int dimensions) {
        SplittableRandom random = new SplittableRandom(text.hashCode());
        float[] vector = new float[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            vector[i] = (float) (random.nextDouble() * 2 - 1);
            norm += vector[i] * vector[i];
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimensions; i++) {
            vector[i] *= scale;
        }
        return vector;
    }

    /** OpenAI's base64 form: the float32 values little-endian, base64-encoded. */
    static String toBase64(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float value : vector) {
            buffer.putFloat(value);
        }
        return Base64.getEncoder().encodeToString(buffer.array());
    }

    private ObjectNode shell(String id, long created, String model) {
        ObjectNode chunk = json.createObjectNode();
        chunk.put("id", id);
        chunk.put("object", "text_completion");
        chunk.put("created", created);
        chunk.put("model", model);
        chunk.put("system_fingerprint", "fp_simulator");
        return chunk;
    }

    private ObjectNode chunk(String id, long created, String model, String text, String finishReason) {
        ObjectNode chunk = shell(id, created, model);
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("text", text);
        choice.put("index", 0);
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return chunk;
    }

    private String event(ObjectNode chunk) {
        return "data: " + json.writeValueAsString(chunk) + "\n\n";
    }

    private Mono<Void> badRequest(ChatExchange exchange, String message, String param) {
        exchange.call().rejected();
        return OpenAiErrors.badRequest(json, exchange.response(), message, param);
    }
}
