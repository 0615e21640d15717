package dev.tollgate.relay.api.anthropic;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Message;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.ResponseFormat;
import dev.tollgate.relay.chat.Reasoning;
import dev.tollgate.relay.chat.Tool;
import dev.tollgate.relay.chat.ToolCallIds;
import dev.tollgate.relay.chat.ToolChoice;
import dev.tollgate.relay.chat.Untranslatable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A validated Messages API request → {@link ChatRequest}, used only when the upstream speaks another dialect.
 * What has no place in the internal model (documents, server tools, MCP, containers, file references, adaptive
 * thinking) is refused with {@link Untranslatable} naming its path, never dropped. Pure; expects the tree
 * {@link AnthropicRequestValidator} accepted.
 */
public final class AnthropicRequestParser {

    private AnthropicRequestParser() {
    }

    /** @throws Untranslatable when the request uses something only Anthropic itself can serve */
    public static ChatRequest toChat(ObjectNode tree) {
        refuseServerSideFeatures(tree);
        return new ChatRequest(
                text(tree.get("model")),
                system(tree.get("system")),
                messages(tree.path("messages")),
                tools(tree.path("tools")),
                toolChoice(tree.get("tool_choice")),
                longOrNull(tree.get("max_tokens")),
                doubleOrNull(tree.get("temperature")),
                doubleOrNull(tree.get("top_p")),
                tree.path("top_k").isIntegralNumber() ? tree.path("top_k").intValue() : null,
                strings(tree.path("stop_sequences")),
                tree.path("stream").booleanValue(false),
                1,
                null,
                outputFormat(tree),
                reasoning(tree.get("thinking")),
                null,
                null,
                tree.path("metadata").path("user_id").stringValue(null));
    }

    /** Top-level features that run on Anthropic's servers: no other upstream can do them. */
    private static void refuseServerSideFeatures(ObjectNode tree) {
        JsonNode mcp = tree.get("mcp_servers");
        if (mcp != null && !mcp.isNull() && !(mcp.isArray() && mcp.isEmpty())) {
            throw new Untranslatable("mcp_servers",
                    "mcp_servers: MCP servers are only available when the model is served by Anthropic.");
        }
        JsonNode context = tree.get("context_management");
        if (context != null && !context.isNull()) {
            throw new Untranslatable("context_management",
                    "context_management: context editing is only available when the model is served by Anthropic.");
        }
        JsonNode container = tree.get("container");
        if (container != null && !container.isNull()) {
            throw new Untranslatable("container",
                    "container: code execution containers are only available when the model is served by Anthropic.");
        }
    }

    /**
     * Structured outputs ({@code output_format}, or {@code output_config.format}) as the internal response format,
     * so an OpenAI-type upstream gets its {@code response_format} json_schema.
     */
    private static ResponseFormat outputFormat(ObjectNode tree) {
        JsonNode format = tree.get("output_format");
        String param = "output_format";
        if (format == null || format.isNull()) {
            format = tree.path("output_config").get("format");
            param = "output_config.format";
        }
        if (format == null || format.isNull()) {
            return null;
        }
        if (!"json_schema".equals(format.path("type").stringValue(null)) || !format.path("schema").isObject()) {
            throw new Untranslatable(param, param + ": only {\"type\":\"json_schema\",\"schema\":{…}} can be"
                    + " translated for this model.");
        }
        return new ResponseFormat(ResponseFormat.Kind.JSON_SCHEMA, "output", format.get("schema"), Boolean.TRUE);
    }

    private static List<Part.Text> system(JsonNode system) {
        List<Part.Text> parts = new ArrayList<>();
        if (system == null || system.isNull()) {
            return parts;
        }
        if (system.isString()) {
            parts.add(Part.Text.of(system.stringValue()));
            return parts;
        }
        for (JsonNode block : system) {
            parts.add(new Part.Text(text(block.get("text")), cacheControl(block)));
        }
        return parts;
    }

    private static List<Message> messages(JsonNode messages) {
        List<Message> result = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            Message.Role role = "assistant".equals(text(message.get("role"))) ? Message.Role.ASSISTANT
                    : Message.Role.USER;
            result.add(new Message(role, content("messages." + i + ".content", message.path("content"))));
        }
        return result;
    }

    private static List<Part> content(String path, JsonNode content) {
        List<Part> parts = new ArrayList<>();
        if (content.isString()) {
            parts.add(Part.Text.of(content.stringValue()));
            return parts;
        }
        for (int j = 0; j < content.size(); j++) {
            parts.add(block(path + "." + j, content.get(j)));
        }
        return parts;
    }

    private static Part block(String path, JsonNode block) {
        String type = text(block.get("type"));
        switch (type) {
            case "text":
                return new Part.Text(text(block.get("text")), cacheControl(block));
            case "image":
                return image(path, block);
            case "tool_use":
                // An id this relay made carries the upstream's signature of the call (ToolCallIds).
                ToolCallIds.Decoded id = ToolCallIds.decode(text(block.get("id")));
                return new Part.ToolUse(id.id(), text(block.get("name")), arguments(block.get("input")),
                        cacheControl(block), id.signature());
            case "tool_result":
                return toolResult(path, block);
            case "thinking":
                return new Part.Thinking(text(block.get("thinking")), block.path("signature").stringValue(null));
            case "redacted_thinking":
                return new Part.RedactedThinking(text(block.get("data")));
            default:
                throw new Untranslatable(path, path + ": content blocks of type '" + type
                        + "' are only available when the model is served by Anthropic.");
        }
    }

    private static Part.Image image(String path, JsonNode block) {
        JsonNode source = block.path("source");
        String sourceType = text(source.get("type"));
        if ("base64".equals(sourceType)) {
            return new Part.Image(text(source.get("media_type")), text(source.get("data")), null, cacheControl(block));
        }
        if ("url".equals(sourceType)) {
            return new Part.Image(null, null, text(source.get("url")), cacheControl(block));
        }
        throw new Untranslatable(path + ".source", path + ".source: image sources of type '" + sourceType
                + "' are only available when the model is served by Anthropic.");
    }

    private static Part.ToolResult toolResult(String path, JsonNode block) {
        JsonNode content = block.path("content");
        List<Part> parts = new ArrayList<>();
        if (content.isString()) {
            parts.add(Part.Text.of(content.stringValue()));
        } else {
            for (int k = 0; k < content.size(); k++) {
                JsonNode inner = content.get(k);
                String innerPath = path + ".content." + k;
                String type = text(inner.get("type"));
                if ("text".equals(type)) {
                    parts.add(new Part.Text(text(inner.get("text")), cacheControl(inner)));
                } else if ("image".equals(type)) {
                    parts.add(image(innerPath, inner));
                } else {
                    throw new Untranslatable(innerPath, innerPath + ": tool results of type '" + type
                            + "' are only available when the model is served by Anthropic.");
                }
            }
        }
        return new Part.ToolResult(ToolCallIds.plainId(text(block.get("tool_use_id"))), parts, block.path("is_error").booleanValue(false),
                cacheControl(block));
    }

    private static List<Tool> tools(JsonNode tools) {
        List<Tool> result = new ArrayList<>();
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            JsonNode type = tool.get("type");
            if (type != null && !type.isNull() && !"custom".equals(type.stringValue(null))) {
                String path = "tools." + i;
                throw new Untranslatable(path, path + ": server tools such as '" + describe(type)
                        + "' are only available when the model is served by Anthropic.");
            }
            JsonNode strict = tool.get("strict");
            result.add(new Tool(text(tool.get("name")), tool.path("description").stringValue(null),
                    tool.get("input_schema"), strict != null && strict.isBoolean() ? strict.booleanValue() : null,
                    cacheControl(tool)));
        }
        return result;
    }

    private static ToolChoice toolChoice(JsonNode choice) {
        if (choice == null || !choice.isObject()) {
            return null;
        }
        ToolChoice.Mode mode = ToolChoice.Mode.valueOf(text(choice.get("type")).toUpperCase(Locale.ROOT));
        return new ToolChoice(mode, mode == ToolChoice.Mode.TOOL ? text(choice.get("name")) : null,
                choice.path("disable_parallel_tool_use").booleanValue(false));
    }

    private static Reasoning reasoning(JsonNode thinking) {
        if (thinking == null || !thinking.isObject()) {
            return null;
        }
        String type = text(thinking.get("type"));
        if ("enabled".equals(type)) {
            return new Reasoning(null, longOrNull(thinking.get("budget_tokens")));
        }
        if ("adaptive".equals(type)) {
            throw new Untranslatable("thinking",
                    "thinking: adaptive thinking is only available when the model is served by Anthropic; "
                            + "give a budget with {\"type\":\"enabled\",\"budget_tokens\":N} instead.");
        }
        return null;
    }

    /** A tool call's input as JSON text: an object, {@code {}} when absent. */
    private static String arguments(JsonNode input) {
        if (input == null || input.isNull() || input.isMissingNode()) {
            return "{}";
        }
        return Json.mapper().writeValueAsString(input);
    }

    private static JsonNode cacheControl(JsonNode block) {
        JsonNode cacheControl = block.get("cache_control");
        return cacheControl == null || cacheControl.isNull() ? null : cacheControl;
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

    private static String text(JsonNode value) {
        return value != null && value.isString() ? value.stringValue() : "";
    }

    private static String describe(JsonNode value) {
        return value.isString() ? value.stringValue() : value.toString();
    }
}
