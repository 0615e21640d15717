package dev.tollgate.simulator.gemini;

import dev.tollgate.simulator.scenario.SimRequest;
import dev.tollgate.simulator.scenario.ToolChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Gemini {@code generateContent} request (already checked to have contents) in the neutral form. Field names are
 * read in both spellings Google's JSON accepts ({@code systemInstruction} and {@code system_instruction}).
 */
final class GeminiRequestParser {

    private GeminiRequestParser() {
    }

    static SimRequest parse(String model, JsonNode body) {
        SimRequest.Builder request = SimRequest.builder(model);
        for (JsonNode part : field(field(body, "systemInstruction"), "parts")) {
            request.text(part.path("text").asString(null));
        }
        for (JsonNode content : field(body, "contents")) {
            parts(field(content, "parts"), request);
        }
        for (JsonNode tool : field(body, "tools")) {
            for (JsonNode function : field(tool, "functionDeclarations")) {
                JsonNode schema = field(function, "parametersJsonSchema");
                if (schema.isMissingNode()) {
                    schema = openApiToJsonSchema(field(function, "parameters"));
                }
                request.tool(function.path("name").asString(""), function.path("description").asString(null),
                        schema);
            }
        }
        request.toolChoice(toolChoice(field(field(body, "toolConfig"), "functionCallingConfig")));
        request.toolResult(lastTurnFunctionResponses(field(body, "contents")));
        request.thinking(field(field(field(body, "generationConfig"), "thinkingConfig"), "includeThoughts")
                .booleanValue(false));
        return request.build();
    }

    private static void parts(JsonNode parts, SimRequest.Builder request) {
        for (JsonNode part : parts) {
            if (part.path("text").isString()) {
                request.text(part.path("text").asString());
            } else if (!field(part, "inlineData").isMissingNode() || !field(part, "fileData").isMissingNode()) {
                request.image();
            } else if (!field(part, "functionCall").isMissingNode()) {
                JsonNode call = field(part, "functionCall");
                request.text(call.path("name").asString(null));
                request.json(call.path("args"));
            } else if (!field(part, "functionResponse").isMissingNode()) {
                request.json(field(part, "functionResponse").path("response"));
            }
        }
    }

    /** AUTO when unsaid; ANY with one allowed name demands that function. */
    private static ToolChoice toolChoice(JsonNode config) {
        String mode = config.path("mode").asString("AUTO").toUpperCase(Locale.ROOT);
        if (mode.equals("NONE")) {
            return ToolChoice.NONE;
        }
        if (mode.equals("ANY")) {
            JsonNode allowed = field(config, "allowedFunctionNames");
            return allowed.size() == 1 ? ToolChoice.named(allowed.get(0).asString()) : ToolChoice.REQUIRED;
        }
        return ToolChoice.AUTO;
    }

    /** The function responses of the last content when it is a user turn carrying them, joined; else null. */
    private static String lastTurnFunctionResponses(JsonNode contents) {
        if (contents.isEmpty()) {
            return null;
        }
        JsonNode last = contents.get(contents.size() - 1);
        if ("model".equals(last.path("role").asString("user"))) {
            return null;
        }
        List<String> results = new ArrayList<>();
        for (JsonNode part : field(last, "parts")) {
            JsonNode response = field(part, "functionResponse");
            if (!response.isMissingNode()) {
                results.add(text(response.path("response")));
            }
        }
        return results.isEmpty() ? null : String.join(" ", results);
    }

    /** The string values of a response object, joined (Gemini's convention is {@code {"output": …}}); else its JSON. */
    private static String text(JsonNode response) {
        List<String> strings = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : response.properties()) {
            if (field.getValue().isString()) {
                strings.add(field.getValue().asString());
            }
        }
        return strings.isEmpty() ? response.toString() : String.join(" ", strings);
    }

    /**
     * Gemini's OpenAPI-style schema ({@code "type": "OBJECT"}) as a JSON schema with lower-case types, so the
     * neutral answer can fill the required properties.
     */
    static JsonNode openApiToJsonSchema(JsonNode schema) {
        if (schema instanceof ObjectNode object) {
            ObjectNode copy = object.deepCopy();
            lowerTypes(copy);
            return copy;
        }
        return schema;
    }

    private static void lowerTypes(JsonNode node) {
        if (node instanceof ObjectNode object) {
            JsonNode type = object.get("type");
            if (type != null && type.isString()) {
                object.put("type", type.asString().toLowerCase(Locale.ROOT));
            }
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                lowerTypes(field.getValue());
            }
        } else if (node instanceof ArrayNode array) {
            for (JsonNode element : array) {
                lowerTypes(element);
            }
        }
    }

    /** A field by its camelCase name, or by its snake_case spelling (both are valid proto JSON). */
    static JsonNode field(JsonNode node, String camelName) {
        JsonNode value = node.path(camelName);
        return value.isMissingNode() ? node.path(snake(camelName)) : value;
    }

    private static String snake(String camel) {
        StringBuilder out = new StringBuilder(camel.length() + 4);
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
