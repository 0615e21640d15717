package dev.tollgate.relay.api.gemini;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import java.math.BigInteger;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Client bytes of a {@code generateContent} / {@code streamGenerateContent} call → {@link InboundRequest}, or a 400
 * in Google's words: {@code Invalid value at 'path' (TYPE), value} for a wrong type, {@code * GenerateContentRequest.
 * path: problem} for a wrong value. The model and the stream flag come from the URL. Checks only what the relay acts
 * on or what would reach an upstream malformed; unknown fields pass (new API fields must keep working in
 * pass-through). Pure.
 */
public final class GeminiRequestValidator {

    /** Far above any model's output limit; a larger value is a mistake, not a plan. */
    static final long MAX_OUTPUT_TOKENS = 10_000_000;
    static final int MAX_CANDIDATES = 8;

    private static final Set<String> ROLES = Set.of("user", "model");
    private static final Set<String> MODES = Set.of("AUTO", "ANY", "NONE", "VALIDATED", "MODE_UNSPECIFIED");
    private static final String[] PART_KINDS = {"text", "inlineData", "fileData", "functionCall", "functionResponse",
        "executableCode", "codeExecutionResult"};

    private GeminiRequestValidator() {
    }

    /** @throws Rejection INVALID_REQUEST */
    public static InboundRequest validate(byte[] body, String model, boolean stream) {
        JsonNode node;
        try {
            node = body.length == 0 ? null : Json.mapper().readTree(body);
        } catch (JacksonException e) {
            throw Rejection.invalid("Invalid JSON payload received. The body is not valid JSON.", null);
        }
        if (!(node instanceof ObjectNode tree)) {
            throw Rejection.invalid("Invalid JSON payload received. Expected an object.", null);
        }
        contents(tree);
        systemInstruction(tree);
        tools(tree);
        toolConfig(tree);
        JsonNode config = GeminiFields.get(tree, "generationConfig");
        Long maxTokens = null;
        int candidates = 1;
        if (GeminiFields.present(config)) {
            String path = GeminiFields.name(tree, "generationConfig");
            if (!config.isObject()) {
                throw typeError(path, "TYPE_MESSAGE", config);
            }
            number(config, path, "temperature", 0, 2);
            number(config, path, "topP", 0, 1);
            integer(config, path, "topK", 0, Integer.MAX_VALUE);
            maxTokens = integer(config, path, "maxOutputTokens", 1, MAX_OUTPUT_TOKENS);
            Long count = integer(config, path, "candidateCount", 1, MAX_CANDIDATES);
            candidates = count == null ? 1 : count.intValue();
            strings(config, path, "stopSequences");
            JsonNode thinking = GeminiFields.get(config, "thinkingConfig");
            if (GeminiFields.present(thinking)) {
                String at = path + "." + GeminiFields.name(config, "thinkingConfig");
                if (!thinking.isObject()) {
                    throw typeError(at, "TYPE_MESSAGE", thinking);
                }
                integer(thinking, at, "thinkingBudget", -1, Integer.MAX_VALUE);
                JsonNode include = GeminiFields.get(thinking, "includeThoughts");
                if (GeminiFields.present(include) && !include.isBoolean()) {
                    throw typeError(at + "." + GeminiFields.name(thinking, "includeThoughts"), "TYPE_BOOL", include);
                }
            }
        }
        JsonNode safety = GeminiFields.get(tree, "safetySettings");
        if (GeminiFields.present(safety) && !safety.isArray()) {
            throw typeError(GeminiFields.name(tree, "safetySettings"), "TYPE_MESSAGE", safety);
        }
        // Gemini's streams carry usageMetadata on their chunks: always reported.
        return new InboundRequest(tree, body, model, stream, true, maxTokens, candidates);
    }

    private static void contents(ObjectNode tree) {
        JsonNode contents = GeminiFields.get(tree, "contents");
        if (!GeminiFields.present(contents) || contents.isArray() && contents.isEmpty()) {
            throw invalid("contents", "contents is not specified");
        }
        if (!contents.isArray()) {
            throw typeError("contents", "TYPE_MESSAGE", contents);
        }
        for (int i = 0; i < contents.size(); i++) {
            content(contents.get(i), "contents[" + i + "]", true);
        }
    }

    private static void systemInstruction(ObjectNode tree) {
        JsonNode system = GeminiFields.get(tree, "systemInstruction");
        if (GeminiFields.present(system)) {
            content(system, GeminiFields.name(tree, "systemInstruction"), false);
        }
    }

    private static void content(JsonNode content, String path, boolean turn) {
        if (!content.isObject()) {
            throw typeError(path, "TYPE_MESSAGE", content);
        }
        JsonNode role = content.get("role");
        if (turn && GeminiFields.present(role) && (!role.isString() || !ROLES.contains(role.stringValue()))) {
            throw Rejection.invalid("Please use a valid role: user, model.", path + ".role");
        }
        JsonNode parts = content.get("parts");
        if (!GeminiFields.present(parts) || parts.isArray() && parts.isEmpty()) {
            throw invalid(path + ".parts", "contents.parts must not be empty.");
        }
        if (!parts.isArray()) {
            throw typeError(path + ".parts", "TYPE_MESSAGE", parts);
        }
        for (int j = 0; j < parts.size(); j++) {
            part(parts.get(j), path + ".parts[" + j + "]");
        }
    }

    private static void part(JsonNode part, String path) {
        if (!part.isObject()) {
            throw typeError(path, "TYPE_MESSAGE", part);
        }
        boolean known = false;
        for (String kind : PART_KINDS) {
            known |= GeminiFields.present(GeminiFields.get(part, kind));
        }
        if (!known && !GeminiFields.present(GeminiFields.get(part, "thoughtSignature"))) {
            throw invalid(path, "a part must hold text, inlineData, fileData, functionCall or functionResponse");
        }
        JsonNode text = part.get("text");
        if (GeminiFields.present(text) && !text.isString()) {
            throw typeError(path + ".text", "TYPE_STRING", text);
        }
        JsonNode inline = GeminiFields.get(part, "inlineData");
        if (GeminiFields.present(inline)) {
            String at = path + "." + GeminiFields.name(part, "inlineData");
            requiredString(inline, at, "mimeType");
            requiredString(inline, at, "data");
        }
        JsonNode file = GeminiFields.get(part, "fileData");
        if (GeminiFields.present(file)) {
            requiredString(file, path + "." + GeminiFields.name(part, "fileData"), "fileUri");
        }
        JsonNode call = GeminiFields.get(part, "functionCall");
        if (GeminiFields.present(call)) {
            String at = path + "." + GeminiFields.name(part, "functionCall");
            requiredString(call, at, "name");
            object(call, at, "args");
        }
        JsonNode response = GeminiFields.get(part, "functionResponse");
        if (GeminiFields.present(response)) {
            String at = path + "." + GeminiFields.name(part, "functionResponse");
            requiredString(response, at, "name");
            object(response, at, "response");
        }
    }

    private static void tools(ObjectNode tree) {
        JsonNode tools = GeminiFields.get(tree, "tools");
        if (!GeminiFields.present(tools)) {
            return;
        }
        if (!tools.isArray()) {
            throw typeError("tools", "TYPE_MESSAGE", tools);
        }
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            String at = "tools[" + i + "]";
            if (!tool.isObject()) {
                throw typeError(at, "TYPE_MESSAGE", tool);
            }
            JsonNode declarations = GeminiFields.get(tool, "functionDeclarations");
            if (!GeminiFields.present(declarations)) {
                continue;
            }
            String list = at + "." + GeminiFields.name(tool, "functionDeclarations");
            if (!declarations.isArray()) {
                throw typeError(list, "TYPE_MESSAGE", declarations);
            }
            for (int j = 0; j < declarations.size(); j++) {
                JsonNode declaration = declarations.get(j);
                String path = list + "[" + j + "]";
                if (!declaration.isObject()) {
                    throw typeError(path, "TYPE_MESSAGE", declaration);
                }
                requiredString(declaration, path, "name");
                object(declaration, path, "parameters");
                object(declaration, path, "parametersJsonSchema");
            }
        }
    }

    private static void toolConfig(ObjectNode tree) {
        JsonNode config = GeminiFields.get(GeminiFields.get(tree, "toolConfig"), "functionCallingConfig");
        if (!GeminiFields.present(config)) {
            return;
        }
        String path = GeminiFields.name(tree, "toolConfig") + "." + GeminiFields.name(GeminiFields.get(tree,
                "toolConfig"), "functionCallingConfig");
        JsonNode mode = config.get("mode");
        if (GeminiFields.present(mode) && (!mode.isString() || !MODES.contains(mode.stringValue()))) {
            throw typeError(path + ".mode", "TYPE_ENUM", mode);
        }
        strings(config, path, "allowedFunctionNames");
    }

    private static void requiredString(JsonNode parent, String path, String field) {
        JsonNode value = GeminiFields.get(parent, field);
        String at = path + "." + GeminiFields.name(parent, field);
        if (!GeminiFields.present(value)) {
            throw invalid(at, field + " is not specified");
        }
        if (!value.isString()) {
            throw typeError(at, "TYPE_STRING", value);
        }
    }

    private static void object(JsonNode parent, String path, String field) {
        JsonNode value = GeminiFields.get(parent, field);
        if (GeminiFields.present(value) && !value.isObject()) {
            throw typeError(path + "." + GeminiFields.name(parent, field), "TYPE_MESSAGE", value);
        }
    }

    private static void strings(JsonNode parent, String path, String field) {
        JsonNode value = GeminiFields.get(parent, field);
        if (!GeminiFields.present(value)) {
            return;
        }
        String at = path + "." + GeminiFields.name(parent, field);
        if (!value.isArray()) {
            throw typeError(at, "TYPE_STRING", value);
        }
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isString()) {
                throw typeError(at + "[" + i + "]", "TYPE_STRING", value.get(i));
            }
        }
    }

    private static void number(JsonNode parent, String path, String field, double min, double max) {
        JsonNode value = GeminiFields.get(parent, field);
        if (!GeminiFields.present(value)) {
            return;
        }
        String at = path + "." + GeminiFields.name(parent, field);
        if (!value.isNumber()) {
            throw typeError(at, "TYPE_FLOAT", value);
        }
        double n = value.doubleValue();
        if (n < min || n > max) {
            throw invalid(at, field + " must be between " + format(min) + " and " + format(max) + ", got "
                    + value.asString());
        }
    }

    /** An integer in min..max (compared as written, no overflow), or null when absent. */
    private static Long integer(JsonNode parent, String path, String field, long min, long max) {
        JsonNode value = GeminiFields.get(parent, field);
        if (!GeminiFields.present(value)) {
            return null;
        }
        String at = path + "." + GeminiFields.name(parent, field);
        if (!value.isIntegralNumber()) {
            throw typeError(at, "TYPE_INT32", value);
        }
        BigInteger n = value.bigIntegerValue();
        if (n.compareTo(BigInteger.valueOf(min)) < 0 || n.compareTo(BigInteger.valueOf(max)) > 0) {
            throw invalid(at, field + " must be between " + min + " and " + max + ", got " + n);
        }
        return n.longValue();
    }

    private static String format(double n) {
        return n == Math.rint(n) ? Long.toString((long) n) : Double.toString(n);
    }

    /** Google's wording for a value of the wrong type. */
    private static Rejection typeError(String path, String type, JsonNode value) {
        String shown = value.isString() ? "\"" + value.stringValue() + "\"" : value.toString();
        if (shown.length() > 60) {
            shown = shown.substring(0, 60) + "…";
        }
        return Rejection.invalid("Invalid value at '" + path + "' (" + type + "), " + shown, path);
    }

    /** Google's wording for a field whose value is not allowed. */
    private static Rejection invalid(String path, String problem) {
        return Rejection.invalid("* GenerateContentRequest." + path + ": " + problem, path);
    }
}
