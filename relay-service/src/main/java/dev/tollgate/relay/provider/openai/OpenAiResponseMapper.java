package dev.tollgate.relay.provider.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import dev.tollgate.relay.provider.openai.wire.ChatChunk;
import dev.tollgate.relay.provider.openai.wire.ChatCompletion;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** An OpenAI {@code chat.completion} body → the internal {@link ChatResponse} (its first choice). Pure. */
public final class OpenAiResponseMapper {

    private OpenAiResponseMapper() {
    }

    /** @throws IllegalArgumentException when the body is not a JSON object */
    public static ChatResponse toChatResponse(byte[] body) {
        ChatCompletion completion;
        try {
            completion = Json.mapper().readValue(body, ChatCompletion.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("upstream answer is not a chat.completion", e);
        }
        if (completion == null) {
            throw new IllegalArgumentException("upstream answer is empty");
        }
        ChatCompletion.Choice choice = completion.choices() == null || completion.choices().isEmpty()
                ? null : completion.choices().get(0);
        ChatCompletion.Message message = choice == null ? null : choice.message();
        List<Part> content = new ArrayList<>();
        boolean refused = message != null && addContent(content, message);
        StopReason reason = refused ? StopReason.REFUSAL : stopReason(choice == null ? null : choice.finishReason());
        return new ChatResponse(completion.id(), completion.model(), content, reason, null,
                OpenAiUsageExtractor.fromUsage(completion.usage()));
    }

    /** Adds the message's parts, reasoning first; true when the model refused. */
    private static boolean addContent(List<Part> content, ChatCompletion.Message message) {
        String reasoning = message.reasoningContent() != null ? message.reasoningContent() : message.reasoning();
        if (reasoning != null && !reasoning.isEmpty()) {
            content.add(new Part.Thinking(reasoning, null));
        }
        boolean refused = addText(content, message.content());
        if (message.refusal() != null && !message.refusal().isEmpty()) {
            content.add(Part.Text.of(message.refusal()));
            refused = true;
        }
        if (message.toolCalls() != null) {
            for (ChatChunk.ToolCall call : message.toolCalls()) {
                if (call != null && call.function() != null) {
                    content.add(new Part.ToolUse(call.id(), call.function().name(), call.function().arguments(), null));
                }
            }
        }
        ChatChunk.Function legacy = message.functionCall();
        if (legacy != null) {
            // The pre-tools form has no call id: the function's name stands in (as the parser does for role function).
            content.add(new Part.ToolUse(legacy.name(), legacy.name(), legacy.arguments(), null));
        }
        return refused;
    }

    /** A string, or text and refusal parts; true when a refusal part was among them. */
    private static boolean addText(List<Part> content, JsonNode node) {
        if (node == null || node.isNull()) {
            return false;
        }
        if (node.isString()) {
            if (!node.asString().isEmpty()) {
                content.add(Part.Text.of(node.asString()));
            }
            return false;
        }
        boolean refused = false;
        for (JsonNode part : node) {
            if (part.path("text").isString()) {
                content.add(Part.Text.of(part.path("text").asString()));
            } else if (part.path("refusal").isString()) {
                content.add(Part.Text.of(part.path("refusal").asString()));
                refused = true;
            }
        }
        return refused;
    }

    static StopReason stopReason(String finishReason) {
        if (finishReason == null) {
            return StopReason.END_TURN;
        }
        switch (finishReason) {
            case "length":
                return StopReason.MAX_TOKENS;
            case "tool_calls":
            case "function_call":
                return StopReason.TOOL_USE;
            case "content_filter":
                return StopReason.CONTENT_FILTERED;
            default:
                return StopReason.END_TURN;
        }
    }
}
