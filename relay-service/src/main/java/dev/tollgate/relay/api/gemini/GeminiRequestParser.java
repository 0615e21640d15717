package dev.tollgate.relay.api.gemini;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Message;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.Reasoning;
import dev.tollgate.relay.chat.ResponseFormat;
import dev.tollgate.relay.chat.Tool;
import dev.tollgate.relay.chat.ToolChoice;
import dev.tollgate.relay.chat.Untranslatable;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A validated Gemini request → {@link ChatRequest}, used only when the upstream speaks another dialect. The model
 * and the stream flag come from the URL. Gemini's function calls carry no ids (newer APIs may): a call without one
 * gets {@code call_<turn>_<part>}, the same every time the conversation is sent, and a function response without
 * one answers the earliest unanswered call of its name. What has no place in the internal model (server tools,
 * cached content, files, audio and video, non-text output) is refused with {@link Untranslatable} naming its path,
 * never dropped. Dropped on purpose: {@code safetySettings} (Google's filter thresholds; other providers filter by
 * their own rules). Schemas in Gemini's OpenAPI form ({@code parameters}, {@code responseSchema}, types in upper
 * case) become JSON Schema. Pure; expects the tree {@link GeminiRequestValidator} accepted.
 */
public final class GeminiRequestParser {

    private static final String ONLY_GEMINI = " is only available when the model is served by Gemini.";

    private GeminiRequestParser() {
    }

    /** @throws Untranslatable when the request uses something only Gemini itself can serve */
    public static ChatRequest toChat(ObjectNode tree, String model, boolean stream) {
        refuseServerSideFeatures(tree);
        JsonNode config = GeminiFields.get(tree, "generationConfig");
        refuseInexpressible(config);
        return new ChatRequest(
                model,
                system(GeminiFields.get(tree, "systemInstruction")),
                messages(GeminiFields.get(tree, "contents")),
                tools(GeminiFields.get(tree, "tools")),
                toolChoice(GeminiFields.get(GeminiFields.get(tree, "toolConfig"), "functionCallingConfig")),
                longOrNull(GeminiFields.get(config, "maxOutputTokens")),
                doubleOrNull(GeminiFields.get(config, "temperature")),
                doubleOrNull(GeminiFields.get(config, "topP")),
                topK(GeminiFields.get(config, "topK")),
                strings(GeminiFields.get(config, "stopSequences")),
                stream,
                1,
                longOrNull(GeminiFields.get(config, "seed")),
                responseFormat(config),
                reasoning(GeminiFields.get(config, "thinkingConfig")),
                doubleOrNull(GeminiFields.get(config, "frequencyPenalty")),
                doubleOrNull(GeminiFields.get(config, "presencePenalty")),
                null);
    }

    private static void refuseServerSideFeatures(ObjectNode tree) {
        if (GeminiFields.present(GeminiFields.get(tree, "cachedContent"))) {
            throw new Untranslatable("cachedContent", "cachedContent: cached contents live on Google's servers; "
                    + "cachedContent" + ONLY_GEMINI);
        }
        JsonNode tools = GeminiFields.get(tree, "tools");
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            for (var field : tool.properties()) {
                String name = field.getKey();
                if (!name.equals("functionDeclarations") && !name.equals("function_declarations")
                        && GeminiFields.present(field.getValue())) {
                    String path = "tools[" + i + "]." + name;
                    throw new Untranslatable(path, path + ": the server tool '" + name + "'" + ONLY_GEMINI);
                }
            }
        }
    }

    private static void refuseInexpressible(JsonNode config) {
        JsonNode count = GeminiFields.get(config, "candidateCount");
        if (count.isIntegralNumber() && count.longValue() > 1) {
            throw new Untranslatable("generationConfig.candidateCount",
                    "generationConfig.candidateCount: more than one candidate" + ONLY_GEMINI);
        }
        for (JsonNode modality : GeminiFields.get(config, "responseModalities")) {
            String name = modality.asString("").toUpperCase(Locale.ROOT);
            if (!name.equals("TEXT")) {
                throw new Untranslatable("generationConfig.responseModalities",
                        "generationConfig.responseModalities: " + name + " output" + ONLY_GEMINI);
            }
        }
        if (GeminiFields.get(config, "responseLogprobs").booleanValue(false)) {
            throw new Untranslatable("generationConfig.responseLogprobs",
                    "generationConfig.responseLogprobs" + ONLY_GEMINI);
        }
        if (GeminiFields.present(GeminiFields.get(config, "speechConfig"))) {
            throw new Untranslatable("generationConfig.speechConfig", "generationConfig.speechConfig" + ONLY_GEMINI);
        }
    }

    private static List<Part.Text> system(JsonNode system) {
        List<Part.Text> parts = new ArrayList<>();
        for (JsonNode part : system.path("parts")) {
            if (part.path("text").isString()) {
                parts.add(Part.Text.of(part.path("text").stringValue()));
            }
        }
        return parts;
    }

    private static List<Message> messages(JsonNode contents) {
        Calls calls = new Calls();
        List<Message> messages = new ArrayList<>();
        for (int i = 0; i < contents.size(); i++) {
            JsonNode content = contents.get(i);
            boolean model = "model".equals(content.path("role").asString("user"));
            List<Part> parts = new ArrayList<>();
            JsonNode wireParts = content.path("parts");
            for (int j = 0; j < wireParts.size(); j++) {
                Part part = part(wireParts.get(j), "contents[" + i + "].parts[" + j + "]", i, j, calls);
                if (part != null) {
                    parts.add(part);
                }
            }
            messages.add(new Message(model ? Message.Role.ASSISTANT : Message.Role.USER, parts));
        }
        return messages;
    }

    /** The calls made so far, by name, that no response has answered yet (in order). */
    private static final class Calls {
        final Map<String, Deque<String>> open = new HashMap<>();

        void made(String name, String id) {
            open.computeIfAbsent(name, n -> new ArrayDeque<>()).addLast(id);
        }

        /** The id of the earliest open call of that name, or the name itself when none is open. */
        String answered(String name, String id) {
            Deque<String> ids = open.get(name);
            if (id != null && !id.isBlank()) {
                if (ids != null) {
                    ids.remove(id);
                }
                return id;
            }
            return ids == null || ids.isEmpty() ? name : ids.removeFirst();
        }
    }

    private static Part part(JsonNode part, String path, int turn, int index, Calls calls) {
        JsonNode text = part.get("text");
        if (text != null && text.isString()) {
            if (part.path("thought").booleanValue(false)) {
                return new Part.Thinking(text.stringValue(),
                        GeminiFields.get(part, "thoughtSignature").asString(null));
            }
            return Part.Text.of(text.stringValue());
        }
        JsonNode inline = GeminiFields.get(part, "inlineData");
        if (GeminiFields.present(inline)) {
            String mimeType = GeminiFields.get(inline, "mimeType").asString("");
            if (!mimeType.toLowerCase(Locale.ROOT).startsWith("image/")) {
                throw new Untranslatable(path, path + ": inline data of type '" + mimeType + "'" + ONLY_GEMINI
                        + " Other models take images only.");
            }
            return new Part.Image(mimeType, inline.path("data").asString(""), null, null);
        }
        JsonNode file = GeminiFields.get(part, "fileData");
        if (GeminiFields.present(file)) {
            return fileImage(file, path);
        }
        JsonNode call = GeminiFields.get(part, "functionCall");
        if (GeminiFields.present(call)) {
            String name = call.path("name").asString("");
            String id = call.path("id").asString(null);
            if (id == null || id.isBlank()) {
                id = "call_" + turn + "_" + index;
            }
            calls.made(name, id);
            return new Part.ToolUse(id, name, arguments(call.path("args")), null,
                    GeminiFields.get(part, "thoughtSignature").asString(null));
        }
        JsonNode response = GeminiFields.get(part, "functionResponse");
        if (GeminiFields.present(response)) {
            String name = response.path("name").asString("");
            return toolResult(calls.answered(name, response.path("id").asString(null)), response.path("response"));
        }
        if (GeminiFields.present(GeminiFields.get(part, "thoughtSignature"))) {
            return null; // a bare signature part: Gemini's own, meaningless to another model
        }
        String kind = part.propertyNames().iterator().hasNext() ? part.propertyNames().iterator().next() : "?";
        throw new Untranslatable(path, path + ": parts of kind '" + kind + "'" + ONLY_GEMINI);
    }

    /** A public image URL can be fetched by other providers; Google's file store and other kinds cannot. */
    private static Part.Image fileImage(JsonNode file, String path) {
        String mimeType = GeminiFields.get(file, "mimeType").asString("");
        String uri = GeminiFields.get(file, "fileUri").asString("");
        String host;
        try {
            host = URI.create(uri).getHost();
        } catch (IllegalArgumentException e) {
            host = null;
        }
        boolean web = uri.startsWith("https://") || uri.startsWith("http://");
        if (!mimeType.toLowerCase(Locale.ROOT).startsWith("image/") || !web || host == null
                || host.endsWith("googleapis.com") || host.endsWith("youtube.com")) {
            throw new Untranslatable(path, path + ": fileData (uploaded files, videos, documents)" + ONLY_GEMINI
                    + " Send images to other models as inlineData.");
        }
        return new Part.Image(mimeType, null, uri, null);
    }

    /** A response {@code {"output": text}} or {@code {"error": text}} as that text; anything else as its JSON. */
    private static Part.ToolResult toolResult(String id, JsonNode response) {
        boolean error = false;
        String text;
        if (response.isObject() && response.size() == 1 && response.properties().iterator().next().getValue()
                .isString()) {
            var only = response.properties().iterator().next();
            error = only.getKey().equals("error");
            text = only.getValue().stringValue();
        } else {
            text = response.isMissingNode() ? "" : Json.mapper().writeValueAsString(response);
        }
        return new Part.ToolResult(id, List.of(Part.Text.of(text)), error, null);
    }

    private static List<Tool> tools(JsonNode tools) {
        List<Tool> result = new ArrayList<>();
        for (JsonNode tool : tools) {
            for (JsonNode declaration : GeminiFields.get(tool, "functionDeclarations")) {
                JsonNode schema = GeminiFields.get(declaration, "parametersJsonSchema");
                if (!GeminiFields.present(schema)) {
                    schema = jsonSchema(declaration.get("parameters"));
                }
                result.add(new Tool(declaration.path("name").asString(""),
                        declaration.path("description").asString(null), schema, null, null));
            }
        }
        return result;
    }

    private static ToolChoice toolChoice(JsonNode config) {
        if (!GeminiFields.present(config)) {
            return null;
        }
        String mode = config.path("mode").asString("AUTO");
        List<String> allowed = strings(GeminiFields.get(config, "allowedFunctionNames"));
        return switch (mode) {
            case "NONE" -> new ToolChoice(ToolChoice.Mode.NONE, null, false);
            case "ANY" -> allowed.size() == 1 ? new ToolChoice(ToolChoice.Mode.TOOL, allowed.get(0), false)
                    : anyOf(allowed);
            default -> ToolChoice.auto();
        };
    }

    private static ToolChoice anyOf(List<String> allowed) {
        if (allowed.size() > 1) {
            throw new Untranslatable("toolConfig.functionCallingConfig.allowedFunctionNames",
                    "toolConfig.functionCallingConfig.allowedFunctionNames: a choice among several functions"
                            + ONLY_GEMINI + " Name one, or none.");
        }
        return new ToolChoice(ToolChoice.Mode.ANY, null, false);
    }

    /** JSON output: with {@code responseJsonSchema} or {@code responseSchema}, a schema; else any JSON object. */
    private static ResponseFormat responseFormat(JsonNode config) {
        String mimeType = GeminiFields.get(config, "responseMimeType").asString("text/plain");
        JsonNode jsonSchema = GeminiFields.get(config, "responseJsonSchema");
        JsonNode schema = GeminiFields.present(jsonSchema) ? jsonSchema
                : jsonSchema(GeminiFields.get(config, "responseSchema"));
        if (mimeType.equals("application/json")) {
            return schema == null ? new ResponseFormat(ResponseFormat.Kind.JSON_OBJECT, null, null, null)
                    : new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "response", schema, null);
        }
        if (!mimeType.equals("text/plain")) {
            throw new Untranslatable("generationConfig.responseMimeType", "generationConfig.responseMimeType: '"
                    + mimeType + "'" + ONLY_GEMINI);
        }
        return null;
    }

    /**
     * {@code thinkingBudget} N asks for up to N tokens of reasoning, -1 for Gemini's own choice (read as a medium
     * effort), 0 for none (which is what other models do unasked); {@code thinkingLevel} is an effort.
     */
    private static Reasoning reasoning(JsonNode thinking) {
        JsonNode level = GeminiFields.get(thinking, "thinkingLevel");
        if (level.isString()) {
            return new Reasoning(level.stringValue().toLowerCase(Locale.ROOT), null);
        }
        JsonNode budget = GeminiFields.get(thinking, "thinkingBudget");
        if (!budget.isIntegralNumber() || budget.longValue() == 0) {
            return null;
        }
        return budget.longValue() < 0 ? new Reasoning("medium", null) : new Reasoning(null, budget.longValue());
    }

    /**
     * Gemini's OpenAPI-style schema as JSON Schema: types in lower case, {@code nullable} as a {@code null} type,
     * and Gemini's ordering hint left out. Null when there is none.
     */
    static JsonNode jsonSchema(JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            return null;
        }
        ObjectNode copy = ((ObjectNode) schema).deepCopy();
        convert(copy);
        return copy;
    }

    private static void convert(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode type = object.get("type");
            if (type != null && type.isString()) {
                String lower = type.stringValue().toLowerCase(Locale.ROOT);
                if (object.path("nullable").booleanValue(false)) {
                    ArrayNode types = object.putArray("type");
                    types.add(lower);
                    types.add("null");
                } else {
                    object.put("type", lower);
                }
            }
            object.remove("nullable");
            object.remove("propertyOrdering");
            for (var field : object.properties()) {
                convert(field.getValue());
            }
        } else if (node instanceof ArrayNode array) {
            for (JsonNode element : array) {
                convert(element);
            }
        }
    }

    private static String arguments(JsonNode args) {
        return args == null || args.isMissingNode() || args.isNull() ? "{}" : Json.mapper().writeValueAsString(args);
    }

    private static Integer topK(JsonNode value) {
        return value.isIntegralNumber() && value.intValue() > 0 ? value.intValue() : null;
    }

    private static List<String> strings(JsonNode array) {
        List<String> result = new ArrayList<>();
        for (JsonNode value : array) {
            if (value.isString()) {
                result.add(value.stringValue());
            }
        }
        return result;
    }

    private static Long longOrNull(JsonNode value) {
        return value != null && value.isIntegralNumber() ? value.longValue() : null;
    }

    private static Double doubleOrNull(JsonNode value) {
        return value != null && value.isNumber() ? value.doubleValue() : null;
    }
}
