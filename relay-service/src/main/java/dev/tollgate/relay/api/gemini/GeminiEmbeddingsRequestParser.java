package dev.tollgate.relay.api.gemini;

import dev.tollgate.relay.chat.EmbeddingRequest;
import dev.tollgate.relay.metering.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A checked {@code embedContent} / {@code batchEmbedContents} tree → the internal {@link EmbeddingRequest}: one
 * input per request, its parts' texts joined by a newline (Gemini embeds a content's parts as one text), with its
 * {@code taskType} and {@code title}. Pure.
 */
public final class GeminiEmbeddingsRequestParser {

    private GeminiEmbeddingsRequestParser() {
    }

    public static EmbeddingRequest toEmbeddings(ObjectNode tree) {
        List<EmbeddingRequest.Input> inputs = new ArrayList<>();
        Integer dimensions = null;
        for (JsonNode request : requests(tree)) {
            inputs.add(new EmbeddingRequest.Input(text(request), string(GeminiFields.get(request, "taskType")),
                    string(GeminiFields.get(request, "title"))));
            JsonNode width = GeminiFields.get(request, "outputDimensionality");
            if (GeminiFields.present(width)) {
                dimensions = width.intValue();
            }
        }
        return new EmbeddingRequest(inputs, dimensions);
    }

    /** The input's tokens (texts and titles) counted locally: admission's estimate, and the bill when unreported. */
    public static long count(ObjectNode tree) {
        long tokens = 0;
        for (JsonNode request : requests(tree)) {
            tokens += TokenCounter.count(text(request));
            String title = string(GeminiFields.get(request, "title"));
            tokens += title == null ? 0 : TokenCounter.count(title);
        }
        return tokens;
    }

    /** A batch's requests, or the single request itself. */
    private static List<JsonNode> requests(ObjectNode tree) {
        JsonNode requests = GeminiFields.get(tree, "requests");
        List<JsonNode> list = new ArrayList<>();
        if (requests.isArray()) {
            requests.forEach(list::add);
        } else {
            list.add(tree);
        }
        return list;
    }

    private static String text(JsonNode request) {
        StringBuilder text = new StringBuilder();
        for (JsonNode part : GeminiFields.get(GeminiFields.get(request, "content"), "parts")) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(part.path("text").asString(""));
        }
        return text.toString();
    }

    private static String string(JsonNode value) {
        return value.isString() ? value.asString() : null;
    }
}
