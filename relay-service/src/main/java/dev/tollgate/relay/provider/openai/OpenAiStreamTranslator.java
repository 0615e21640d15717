package dev.tollgate.relay.provider.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.provider.StreamStep;
import dev.tollgate.relay.provider.openai.wire.ChatChunk;
import tools.jackson.core.JacksonException;

/**
 * OpenAI stream event → {@link StreamStep}, for an OpenAI client: the data passes through unchanged, except the
 * usage-only chunk the relay forced on, which is dropped when the client did not ask for it. Pure.
 */
public final class OpenAiStreamTranslator {

    public static final String DONE = "[DONE]";

    private OpenAiStreamTranslator() {
    }

    public static StreamStep toStreamStep(String data, boolean clientWantsUsage) {
        if (data == null) {
            return new StreamStep(null, null, "", false);
        }
        String trimmed = data.trim();
        if (DONE.equals(trimmed)) {
            return new StreamStep(DONE, null, "", true);
        }
        ChatChunk chunk;
        try {
            chunk = Json.mapper().readValue(trimmed, ChatChunk.class);
        } catch (JacksonException e) {
            // Not ours to judge: pass it on, count nothing.
            return new StreamStep(data, null, "", false);
        }
        // Cheap pre-check: most chunks carry no usage (or "usage":null); Groq's x_groq.usage matches it too.
        TokenUsage usage = data.contains("\"usage\"") ? OpenAiUsageExtractor.fromChunk(chunk) : null;
        boolean usageOnly = usage != null && (chunk.choices() == null || chunk.choices().isEmpty());
        String forward = usageOnly && !clientWantsUsage ? null : data;
        return new StreamStep(forward, usage, text(chunk), false);
    }

    /**
     * The generated text a chunk carries: content, reasoning ({@code reasoning_content}, or OpenRouter's
     * {@code reasoning}), refusal and tool-call arguments.
     */
    static String text(ChatChunk chunk) {
        if (chunk.choices() == null || chunk.choices().isEmpty()) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        for (ChatChunk.Choice choice : chunk.choices()) {
            if (choice != null) {
                append(text, choice.text());
            }
            ChatChunk.Delta delta = choice == null ? null : choice.delta();
            if (delta == null) {
                continue;
            }
            append(text, delta.content());
            append(text, delta.reasoningContent() != null ? delta.reasoningContent() : delta.reasoning());
            append(text, delta.refusal());
            if (delta.toolCalls() != null) {
                for (ChatChunk.ToolCall call : delta.toolCalls()) {
                    if (call != null && call.function() != null) {
                        append(text, call.function().name());
                        append(text, call.function().arguments());
                    }
                }
            }
        }
        return text.toString();
    }

    private static void append(StringBuilder text, String part) {
        if (part != null) {
            text.append(part);
        }
    }
}
