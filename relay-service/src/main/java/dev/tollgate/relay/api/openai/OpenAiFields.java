package dev.tollgate.relay.api.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.chat.Message;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.Reasoning;
import dev.tollgate.relay.chat.ResponseFormat;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** What the chat completions and the Responses parsers read alike: fields, images, formats, turns. Pure. */
final class OpenAiFields {

    private static final String DATA_URL_PREFIX = "data:";
    private static final String BASE64_MARKER = ";base64,";

    private OpenAiFields() {
    }

    /**
     * Tool results travel as user turns; a user message right after them joins that turn, so the conversation
     * keeps alternating.
     */
    static void addUser(List<Message> messages, List<Part> parts) {
        if (!messages.isEmpty()) {
            Message last = messages.get(messages.size() - 1);
            if (last.role() == Message.Role.USER && last.parts().stream().anyMatch(Part.ToolResult.class::isInstance)) {
                List<Part> merged = new ArrayList<>(last.parts());
                merged.addAll(parts);
                messages.set(messages.size() - 1, new Message(Message.Role.USER, merged));
                return;
            }
        }
        messages.add(new Message(Message.Role.USER, parts));
    }

    /** An image by URL: a base64 data URL or an http(s) one; {@code param} names the field in errors. */
    static Part.Image image(String url, String param) {
        if (url.startsWith(DATA_URL_PREFIX)) {
            int marker = url.indexOf(BASE64_MARKER);
            if (marker < 0) {
                throw Rejection.invalid("Invalid image data URL: expected data:<media type>;base64,<data>.", param);
            }
            String mediaType = url.substring(DATA_URL_PREFIX.length(), marker);
            return new Part.Image(mediaType, url.substring(marker + BASE64_MARKER.length()), null, null);
        }
        if (url.startsWith("http://") || url.startsWith("https://")) {
            return new Part.Image(null, null, url, null);
        }
        throw Rejection.invalid("Invalid image URL: expected an http(s) URL or a base64 data URL.", param);
    }

    /**
     * A structured-output format: {@code type} in {@code format}, the schema's name, schema and strict in
     * {@code schemaHolder} (chat wraps them in {@code json_schema}, Responses keeps them flat); {@code param} names
     * the type field in errors.
     */
    static ResponseFormat responseFormat(JsonNode format, JsonNode schemaHolder, String param) {
        String type = format.path("type").asString("");
        switch (type) {
            case "text":
                return new ResponseFormat(ResponseFormat.Kind.TEXT, null, null, null);
            case "json_object":
                return new ResponseFormat(ResponseFormat.Kind.JSON_OBJECT, null, null, null);
            case "json_schema":
                JsonNode strict = schemaHolder.get("strict");
                return new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, text(schemaHolder.get("name")),
                        schemaHolder.get("schema"), strict != null && strict.isBoolean() ? strict.booleanValue() : null);
            default:
                throw Rejection.invalid("Invalid value: '" + type + "'. Supported values are: 'text', "
                        + "'json_object', and 'json_schema'.", param);
        }
    }

    /** {@code none} asks for no reasoning at all: the same as not asking. */
    static Reasoning reasoning(JsonNode effort) {
        String value = text(effort);
        return value == null || "none".equals(value) ? null : new Reasoning(value, null);
    }

    /** {@code user}, or {@code safety_identifier}, its successor. */
    static String user(ObjectNode tree) {
        String user = text(tree.get("user"));
        return user != null ? user : text(tree.get("safety_identifier"));
    }

    /** Arguments are JSON text; some clients send them as an object, which means the same. */
    static String arguments(JsonNode arguments) {
        if (arguments == null || arguments.isNull()) {
            return "";
        }
        return arguments.isString() ? arguments.asString() : Json.mapper().writeValueAsString(arguments);
    }

    static Double number(JsonNode value) {
        return value != null && value.isNumber() ? value.doubleValue() : null;
    }

    static String text(JsonNode value) {
        return value != null && value.isString() ? value.asString() : null;
    }

    static boolean present(JsonNode value) {
        return value != null && !value.isNull() && !value.isMissingNode();
    }
}
