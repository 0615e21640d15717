package dev.tollgate.relay.provider.anthropic;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Message;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.Reasoning;
import dev.tollgate.relay.chat.ResponseFormat;
import dev.tollgate.relay.chat.Tool;
import dev.tollgate.relay.chat.ToolChoice;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.provider.UpstreamCall;
import dev.tollgate.relay.provider.anthropic.wire.InputMessage;
import dev.tollgate.relay.provider.anthropic.wire.MessagesRequest;
import dev.tollgate.relay.provider.anthropic.wire.Metadata;
import dev.tollgate.relay.provider.anthropic.wire.RequestBlock;
import dev.tollgate.relay.provider.anthropic.wire.ThinkingParam;
import dev.tollgate.relay.provider.anthropic.wire.ToolChoiceParam;
import dev.tollgate.relay.provider.anthropic.wire.ToolDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The body sent to an Anthropic Messages upstream: the client's own (pass-through) or written from the internal
 * model (translated). Pure.
 */
public final class AnthropicRequestMapper {

    private AnthropicRequestMapper() {
    }

    /**
     * Pass-through: the client's Anthropic body with only {@code model} renamed by the channel's mapping and
     * {@code stream} set to how the relay calls; everything else (cache_control, thinking, metadata, fields this
     * relay does not know) goes up as sent. The client's bytes are reused when nothing needs to change.
     */
    public static byte[] createRequest(UpstreamCall call, boolean stream) {
        String upstreamModel = call.upstreamModel();
        ObjectNode request = call.request();
        boolean streamAsked = request.path("stream").asBoolean(false);
        boolean modelUnchanged = upstreamModel.equals(request.path("model").asString(null));
        if (modelUnchanged && streamAsked == stream && call.rawBody() != null) {
            return call.rawBody();
        }
        ObjectNode body = request.deepCopy();
        body.put("model", upstreamModel);
        if (stream) {
            body.put("stream", true);
        } else if (body.has("stream")) {
            body.put("stream", false);
        }
        return Json.mapper().writeValueAsBytes(body);
    }

    /**
     * Translated: the internal request as a Messages request.
     *
     * @param defaultMaxTokens the output limit when the caller gave none (Anthropic requires one)
     * @throws Untranslatable when the request asks for what Anthropic cannot express ({@code n} above 1, a JSON
     *                        response format, {@code seed}, non-zero penalties, tool arguments that are not an object)
     */
    public static byte[] createRequest(ChatRequest chat, String upstreamModel, boolean stream, long defaultMaxTokens) {
        return Json.mapper().writeValueAsBytes(toMessagesRequest(chat, upstreamModel, stream, defaultMaxTokens));
    }

    static MessagesRequest toMessagesRequest(ChatRequest chat, String upstreamModel, boolean stream,
            long defaultMaxTokens) {
        refuseInexpressible(chat);
        List<InputMessage> messages = messages(chat.messages());
        ThinkingParam thinking = continuesToolUseWithoutThinking(messages) ? null : thinking(chat.reasoning());
        long maxTokens = chat.maxTokens() != null ? chat.maxTokens() : defaultMaxTokens;
        if (thinking != null && maxTokens <= thinking.budgetTokens()) {
            // Anthropic counts thinking inside max_tokens and requires max_tokens > budget_tokens.
            maxTokens = thinking.budgetTokens() + maxTokens;
        }
        List<ToolDefinition> tools = tools(chat.tools());
        return new MessagesRequest(
                upstreamModel,
                maxTokens,
                system(chat.system()),
                messages,
                tools,
                toolChoice(chat.toolChoice(), tools != null),
                temperature(chat.temperature()),
                chat.topP(),
                chat.topK(),
                chat.stop().isEmpty() ? null : chat.stop(),
                chat.user() == null ? null : new Metadata(chat.user()),
                thinking,
                stream ? Boolean.TRUE : null);
    }

    /**
     * With thinking on, Anthropic refuses a tool-use loop whose last assistant turn does not start with its signed
     * thinking ("Expected `thinking` or `redacted_thinking`, but found `tool_use`"). Clients that speak another
     * dialect usually drop that block; answering this turn without thinking, as Anthropic suggests, beats a 400.
     */
    static boolean continuesToolUseWithoutThinking(List<InputMessage> messages) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            InputMessage m = messages.get(i);
            if (m.role().equals("assistant")) {
                boolean usesTools = m.content().stream().anyMatch(b -> b instanceof RequestBlock.ToolUse);
                boolean startsWithThinking = !m.content().isEmpty()
                        && (m.content().get(0) instanceof RequestBlock.Thinking
                                || m.content().get(0) instanceof RequestBlock.RedactedThinking);
                return usesTools && !startsWithThinking;
            }
        }
        return false;
    }

    private static void refuseInexpressible(ChatRequest chat) {
        if (chat.choices() > 1) {
            throw new Untranslatable("n", "Anthropic generates one answer per request; n must be 1");
        }
        ResponseFormat format = chat.responseFormat();
        if (format != null && format.kind() != ResponseFormat.Kind.TEXT) {
            String kind = format.kind().name().toLowerCase(Locale.ROOT);
            throw new Untranslatable("response_format", "this model's provider does not support response_format " + kind);
        }
        if (chat.seed() != null) {
            throw new Untranslatable("seed", "this model's provider does not support seed");
        }
        if (chat.frequencyPenalty() != null && chat.frequencyPenalty() != 0) {
            throw new Untranslatable("frequency_penalty", "this model's provider does not support frequency_penalty");
        }
        if (chat.presencePenalty() != null && chat.presencePenalty() != 0) {
            throw new Untranslatable("presence_penalty", "this model's provider does not support presence_penalty");
        }
    }

    private static List<RequestBlock.Text> system(List<Part.Text> system) {
        // Anthropic refuses empty text blocks; an empty system prompt says nothing.
        List<RequestBlock.Text> blocks = system.stream()
                .filter(t -> !t.text().isEmpty() || t.cacheControl() != null)
                .map(AnthropicRequestMapper::text)
                .toList();
        return blocks.isEmpty() ? null : blocks;
    }

    private static Double temperature(Double temperature) {
        if (temperature != null && temperature > 1) {
            // OpenAI allows up to 2; rescaling would change meaning, so say so instead.
            throw new Untranslatable("temperature", "this model's provider accepts temperature from 0 to 1");
        }
        return temperature;
    }

    private static ThinkingParam thinking(Reasoning reasoning) {
        // OpenAI's reasoning_effort "none" asks for no reasoning at all.
        if (reasoning == null || "none".equals(reasoning.effort())) {
            return null;
        }
        return ThinkingParam.enabled(reasoning.budgetOrFromEffort());
    }

    /** The turns, with consecutive same-role turns merged (Anthropic requires user and assistant to alternate). */
    private static List<InputMessage> messages(List<Message> messages) {
        List<InputMessage> out = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            String role = message.role() == Message.Role.USER ? "user" : "assistant";
            List<RequestBlock> blocks = blocks(message.parts(), "messages[" + i + "]");
            InputMessage last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && last.role().equals(role)) {
                List<RequestBlock> merged = new ArrayList<>(last.content());
                merged.addAll(blocks);
                out.set(out.size() - 1, new InputMessage(role, merged));
            } else {
                out.add(new InputMessage(role, blocks));
            }
        }
        return out;
    }

    private static List<RequestBlock> blocks(List<Part> parts, String where) {
        List<RequestBlock> blocks = new ArrayList<>();
        for (int j = 0; j < parts.size(); j++) {
            Part part = parts.get(j);
            String param = where + ".content[" + j + "]";
            if (part instanceof Part.Text t) {
                // Anthropic refuses empty text blocks; OpenAI clients send "" beside tool calls, and it says nothing.
                if (!t.text().isEmpty() || t.cacheControl() != null) {
                    blocks.add(text(t));
                }
            } else if (part instanceof Part.Image image) {
                blocks.add(image(image));
            } else if (part instanceof Part.ToolUse use) {
                blocks.add(new RequestBlock.ToolUse(use.id(), use.name(), toolInput(use.argumentsJson(), param),
                        use.cacheControl()));
            } else if (part instanceof Part.ToolResult result) {
                blocks.add(toolResult(result, param));
            } else if (part instanceof Part.Thinking thinking) {
                // Unsigned reasoning (OpenAI-compatible reasoning_content) cannot be verified by Anthropic, which
                // refuses it; earlier turns' thinking is not part of the model's context anyway.
                if (thinking.signature() != null && !thinking.signature().isEmpty()) {
                    blocks.add(new RequestBlock.Thinking(thinking.text(), thinking.signature()));
                }
            } else if (part instanceof Part.RedactedThinking redacted) {
                blocks.add(new RequestBlock.RedactedThinking(redacted.data()));
            }
        }
        return blocks;
    }

    private static RequestBlock.Text text(Part.Text text) {
        return new RequestBlock.Text(text.text(), text.cacheControl());
    }

    private static RequestBlock.Image image(Part.Image image) {
        RequestBlock.ImageSource source = image.inline()
                ? RequestBlock.ImageSource.base64(image.mediaType(), image.data())
                : RequestBlock.ImageSource.url(image.url());
        return new RequestBlock.Image(source, image.cacheControl());
    }

    private static RequestBlock.ToolResult toolResult(Part.ToolResult result, String param) {
        List<RequestBlock> content = new ArrayList<>();
        for (int k = 0; k < result.content().size(); k++) {
            Part part = result.content().get(k);
            if (part instanceof Part.Text t) {
                content.add(text(t));
            } else if (part instanceof Part.Image image) {
                content.add(image(image));
            } else {
                throw new Untranslatable(param + ".content[" + k + "]", "a tool result holds only text and images");
            }
        }
        return new RequestBlock.ToolResult(result.toolUseId(), content, result.isError() ? Boolean.TRUE : null,
                result.cacheControl());
    }

    /** A tool call's arguments as the object Anthropic takes; a blank text is a call without arguments. */
    private static JsonNode toolInput(String argumentsJson, String param) {
        if (argumentsJson.isBlank()) {
            return Json.mapper().createObjectNode();
        }
        JsonNode input;
        try {
            input = Json.mapper().readTree(argumentsJson);
        } catch (JacksonException e) {
            throw new Untranslatable(param, "tool call arguments must be a JSON object");
        }
        if (input == null || !input.isObject()) {
            throw new Untranslatable(param, "tool call arguments must be a JSON object");
        }
        return input;
    }

    private static List<ToolDefinition> tools(List<Tool> tools) {
        if (tools.isEmpty()) {
            return null;
        }
        List<ToolDefinition> out = new ArrayList<>();
        for (Tool tool : tools) {
            // Anthropic requires an input schema; a function without parameters takes an empty object.
            JsonNode schema = tool.inputSchema() != null ? tool.inputSchema()
                    : Json.mapper().createObjectNode().put("type", "object");
            // Tool.strict (OpenAI's strict schema adherence) is a generation hint with no Messages equivalent here.
            out.add(new ToolDefinition(tool.name(), tool.description(), schema, tool.cacheControl()));
        }
        return out;
    }

    private static ToolChoiceParam toolChoice(ToolChoice choice, boolean hasTools) {
        if (choice == null) {
            return null;
        }
        Boolean disableParallel = choice.disableParallel() ? Boolean.TRUE : null;
        ToolChoice.Mode mode = choice.mode();
        if (!hasTools && (mode == ToolChoice.Mode.AUTO || mode == ToolChoice.Mode.NONE)) {
            // Without tools "auto" and "none" mean nothing, and Anthropic refuses a tool_choice without tools.
            return null;
        }
        if (mode == ToolChoice.Mode.NONE) {
            return new ToolChoiceParam("none", null, null);
        }
        if (mode == ToolChoice.Mode.ANY) {
            return new ToolChoiceParam("any", null, disableParallel);
        }
        if (mode == ToolChoice.Mode.TOOL) {
            return new ToolChoiceParam("tool", choice.name(), disableParallel);
        }
        return new ToolChoiceParam("auto", null, disableParallel);
    }
}
