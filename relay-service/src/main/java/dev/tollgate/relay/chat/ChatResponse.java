package dev.tollgate.relay.chat;

import dev.tollgate.contracts.money.TokenUsage;
import java.util.List;

/**
 * A whole answer in no dialect (one choice).
 *
 * @param content      Text, ToolUse, Thinking and RedactedThinking parts, in the order generated
 * @param stopSequence the stop sequence that matched, or null
 * @param usage        what the upstream reported, or null when it reported nothing (the relay then counts)
 */
public record ChatResponse(String id, String model, List<Part> content, StopReason stopReason, String stopSequence,
        TokenUsage usage) {

    public ChatResponse {
        content = List.copyOf(content);
    }

    /** The generated text (content, reasoning, tool names and arguments), for counting when usage is missing. */
    public String generatedText() {
        StringBuilder text = new StringBuilder();
        for (Part part : content) {
            if (part instanceof Part.Text t) {
                text.append(t.text());
            } else if (part instanceof Part.Thinking t) {
                text.append(t.text());
            } else if (part instanceof Part.ToolUse t) {
                text.append(t.name()).append(t.argumentsJson());
            }
        }
        return text.toString();
    }
}
