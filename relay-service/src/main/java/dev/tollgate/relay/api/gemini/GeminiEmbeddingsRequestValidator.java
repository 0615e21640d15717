package dev.tollgate.relay.api.gemini;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import java.util.Objects;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Client bytes of an {@code embedContent} or {@code batchEmbedContents} call → {@link InboundRequest} (never a
 * stream, no output to reserve), or a 400 in Google's words ({@code * EmbedContentRequest.path: problem}). The
 * model comes from the URL; a batch's requests may name it too ({@code models/…}), and then must name the same.
 * Each content must carry text (embedding models take text only). Pure.
 */
public final class GeminiEmbeddingsRequestValidator {

    /** Google's limit on the requests of one batch. */
    static final int MAX_BATCH = 100;
    /** Above every embedding model's width; a larger value is a mistake. */
    static final long MAX_DIMENSIONS = 65_536;

    static final Set<String> TASK_TYPES = Set.of("TASK_TYPE_UNSPECIFIED", "RETRIEVAL_QUERY", "RETRIEVAL_DOCUMENT",
            "SEMANTIC_SIMILARITY", "CLASSIFICATION", "CLUSTERING", "QUESTION_ANSWERING", "FACT_VERIFICATION",
            "CODE_RETRIEVAL_QUERY");

    private static final String SINGLE = "EmbedContentRequest";
    private static final String BATCH = "BatchEmbedContentsRequest";

    private GeminiEmbeddingsRequestValidator() {
    }

    /**
     * @param model the model named in the URL
     * @param batch the method was {@code batchEmbedContents}
     * @throws Rejection INVALID_REQUEST
     */
    public static InboundRequest validate(byte[] body, String model, boolean batch) {
        ObjectNode tree = parse(body);
        if (batch) {
            JsonNode requests = GeminiFields.get(tree, "requests");
            if (!requests.isArray() || requests.isEmpty()) {
                throw invalid(BATCH, "requests", "requests is not specified");
            }
            if (requests.size() > MAX_BATCH) {
                throw invalid(BATCH, "requests", "at most " + MAX_BATCH + " requests can be in one batch");
            }
            Integer dimensions = null;
            for (int i = 0; i < requests.size(); i++) {
                String path = "requests[" + i + "]";
                JsonNode request = requests.get(i);
                if (!request.isObject()) {
                    throw invalid(BATCH, path, "must be an EmbedContentRequest object");
                }
                Integer own = request(request, BATCH, path + ".", model);
                if (i > 0 && !Objects.equals(own, dimensions)) {
                    throw invalid(BATCH, path + ".outputDimensionality",
                            "every request of a batch must ask the same outputDimensionality");
                }
                dimensions = own;
            }
        } else {
            request(tree, SINGLE, "", model);
        }
        return new InboundRequest(tree, body, model, false, false, 0L, 1);
    }

    /** One {@code EmbedContentRequest}; answers its {@code outputDimensionality} (or null). */
    private static Integer request(JsonNode request, String type, String prefix, String model) {
        JsonNode named = GeminiFields.get(request, "model");
        if (GeminiFields.present(named)) {
            String name = named.isString() ? named.asString() : "";
            String bare = name.startsWith("models/") ? name.substring("models/".length()) : name;
            if (!bare.equals(model)) {
                throw invalid(type, prefix + "model", "the model of each request must be the model in the URL");
            }
        }
        JsonNode content = GeminiFields.get(request, "content");
        if (!content.isObject()) {
            throw invalid(type, prefix + "content", "content is not specified");
        }
        JsonNode parts = GeminiFields.get(content, "parts");
        if (!parts.isArray() || parts.isEmpty()) {
            throw invalid(type, prefix + "content.parts", "contents must not be empty");
        }
        for (int i = 0; i < parts.size(); i++) {
            JsonNode text = parts.get(i).path("text");
            if (!text.isString()) {
                throw invalid(type, prefix + "content.parts[" + i + "].text",
                        "embedding takes text parts only");
            }
        }
        JsonNode taskType = GeminiFields.get(request, "taskType");
        if (GeminiFields.present(taskType) && !(taskType.isString() && TASK_TYPES.contains(taskType.asString()))) {
            throw Rejection.invalid("Invalid value at '" + prefix + "task_type' (type.googleapis.com/"
                    + "google.ai.generativelanguage.v1beta.TaskType), " + taskType, prefix + "taskType");
        }
        JsonNode title = GeminiFields.get(request, "title");
        if (GeminiFields.present(title) && !title.isString()) {
            throw invalid(type, prefix + "title", "title must be a string");
        }
        JsonNode dimensions = GeminiFields.get(request, "outputDimensionality");
        if (!GeminiFields.present(dimensions)) {
            return null;
        }
        if (!dimensions.isIntegralNumber() || dimensions.longValue() < 1 || dimensions.longValue() > MAX_DIMENSIONS) {
            throw invalid(type, prefix + "output_dimensionality",
                    "outputDimensionality must be a positive integer of at most " + MAX_DIMENSIONS);
        }
        return dimensions.intValue();
    }

    private static ObjectNode parse(byte[] body) {
        JsonNode node;
        try {
            node = body.length == 0 ? null : Json.mapper().readTree(body);
        } catch (JacksonException e) {
            throw Rejection.invalid("Invalid JSON payload received. The body is not valid JSON.", null);
        }
        if (!(node instanceof ObjectNode tree)) {
            throw Rejection.invalid("Invalid JSON payload received. Expected an object.", null);
        }
        return tree;
    }

    private static Rejection invalid(String type, String path, String problem) {
        return Rejection.invalid("* " + type + "." + path + ": " + problem, path);
    }
}
