package dev.tollgate.relay.api.gemini;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.metering.TokenCounter;
import tools.jackson.databind.JsonNode;

/**
 * Counts a Gemini request's input tokens locally, for admission and {@code countTokens}: the system instruction,
 * every part's text, function calls and responses, a fixed amount per image or file, and the function
 * declarations. Errs high where it cannot be exact; never throws on odd shapes.
 */
public final class GeminiPromptCounter {

    // Role markers around each turn; Google does not publish them, a few tokens is the usual size.
    private static final long PER_CONTENT = 4;
    /** Gemini counts an image up to 384×384 px as 258 tokens, and larger ones in 768×768 tiles of 258 each. */
    static final long IMAGE_TOKENS = 1_032;
    /** A file of unknown length (a PDF, audio, video): about a page or a few seconds' worth. */
    static final long FILE_TOKENS = 3_000;
    private static final long PER_TOOL = 8;

    private GeminiPromptCounter() {
    }

    public static long count(JsonNode request) {
        if (request == null || !request.isObject()) {
            return 0;
        }
        long tokens = parts(GeminiFields.get(request, "systemInstruction").path("parts"));
        for (JsonNode content : GeminiFields.get(request, "contents")) {
            tokens += PER_CONTENT + parts(content.path("parts"));
        }
        for (JsonNode tool : GeminiFields.get(request, "tools")) {
            for (JsonNode declaration : GeminiFields.get(tool, "functionDeclarations")) {
                tokens += PER_TOOL + asJson(declaration);
            }
        }
        return tokens;
    }

    private static long parts(JsonNode parts) {
        long tokens = 0;
        for (JsonNode part : parts) {
            tokens += part(part);
        }
        return tokens;
    }

    private static long part(JsonNode part) {
        if (part.path("text").isString()) {
            return TokenCounter.count(part.path("text").stringValue());
        }
        JsonNode inline = GeminiFields.get(part, "inlineData");
        if (GeminiFields.present(inline)) {
            return GeminiFields.get(inline, "mimeType").asString("").startsWith("image/") ? IMAGE_TOKENS : FILE_TOKENS;
        }
        JsonNode file = GeminiFields.get(part, "fileData");
        if (GeminiFields.present(file)) {
            return GeminiFields.get(file, "mimeType").asString("").startsWith("image/") ? IMAGE_TOKENS : FILE_TOKENS;
        }
        JsonNode call = GeminiFields.get(part, "functionCall");
        if (GeminiFields.present(call)) {
            return TokenCounter.count(call.path("name").asString("")) + asJson(call.get("args"));
        }
        JsonNode response = GeminiFields.get(part, "functionResponse");
        if (GeminiFields.present(response)) {
            return TokenCounter.count(response.path("name").asString("")) + asJson(response.get("response"));
        }
        return 0;
    }

    /** Structured input and schemas as their JSON text: more than the upstream's own rendering, never less by much. */
    private static long asJson(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull() || node.isContainer() && node.isEmpty()) {
            return 0;
        }
        return TokenCounter.count(Json.mapper().writeValueAsString(node));
    }
}
