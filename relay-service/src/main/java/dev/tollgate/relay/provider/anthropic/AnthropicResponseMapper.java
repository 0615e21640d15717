package dev.tollgate.relay.provider.anthropic;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.provider.anthropic.wire.ContentBlock;
import dev.tollgate.relay.provider.anthropic.wire.MessagesResponse;
import dev.tollgate.relay.provider.anthropic.wire.Usage;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;

/** A Messages answer → the internal answer, its usage, or its generated text. Pure. */
public final class AnthropicResponseMapper {

    private AnthropicResponseMapper() {
    }

    /**
     * A whole translated answer.
     *
     * @throws JacksonException when the body is not a Messages answer
     */
    public static ChatResponse toChatResponse(byte[] body) {
        MessagesResponse message = Json.mapper().readValue(body, MessagesResponse.class);
        return new ChatResponse(message.id(), message.model(), parts(message.content()),
                toStopReason(message.stopReason()), message.stopSequence(), toTokenUsage(message.usage()));
    }

    /** The usage of a whole {@code message} body, or null when it has none or is not JSON (pass-through metering). */
    public static TokenUsage usageOf(byte[] body) {
        MessagesResponse message = read(body);
        return message == null ? null : toTokenUsage(message.usage());
    }

    /** What a whole answer generated (text, thinking, tool names and inputs), for counting when usage is missing. */
    public static String generatedText(byte[] body) {
        MessagesResponse message = read(body);
        return message == null ? "" : new ChatResponse(message.id(), message.model(), parts(message.content()),
                StopReason.END_TURN, null, null).generatedText();
    }

    /** A successful pass-through answer: the body unchanged, its usage, or its text when it reported none. */
    public static UpstreamResult.Answered toAnswered(int status, String contentType, byte[] body) {
        TokenUsage usage = usageOf(body);
        return new UpstreamResult.Answered(status, contentType, body, usage, usage == null ? generatedText(body) : "");
    }

    static TokenUsage toTokenUsage(Usage usage) {
        if (usage == null || usage.inputTokens() == null && usage.outputTokens() == null) {
            return null;
        }
        return tokenUsage(orZero(usage.inputTokens()), orZero(usage.cacheReadInputTokens()),
                orZero(usage.cacheCreationInputTokens()), orZero(usage.outputTokens()));
    }

    /** Anthropic's classes are already disjoint: input_tokens excludes cache reads and writes. */
    static TokenUsage tokenUsage(long input, long cacheRead, long cacheWrite, long output) {
        return new TokenUsage(Math.max(input, 0), Math.max(cacheRead, 0), Math.max(cacheWrite, 0),
                Math.max(output, 0), 0, 0, 0, 0);
    }

    static StopReason toStopReason(String stopReason) {
        if (stopReason == null) {
            return StopReason.END_TURN;
        }
        return switch (stopReason) {
            case "max_tokens", "model_context_window_exceeded" -> StopReason.MAX_TOKENS;
            case "stop_sequence" -> StopReason.STOP_SEQUENCE;
            case "tool_use" -> StopReason.TOOL_USE;
            case "refusal" -> StopReason.REFUSAL;
            case "pause_turn" -> StopReason.PAUSE_TURN;
            default -> StopReason.END_TURN;
        };
    }

    private static List<Part> parts(List<ContentBlock> content) {
        List<Part> parts = new ArrayList<>();
        if (content == null) {
            return parts;
        }
        for (ContentBlock block : content) {
            Part part = block == null ? null : toPart(block);
            if (part != null) {
                parts.add(part);
            }
        }
        return parts;
    }

    /**
     * One answer block, or null for a kind the internal model has no part for (server tool blocks, which a
     * translated request never asks for).
     */
    static Part toPart(ContentBlock block) {
        String type = block.type() == null ? "" : block.type();
        return switch (type) {
            case "text" -> Part.Text.of(block.text());
            case "tool_use" -> new Part.ToolUse(block.id(), block.name(),
                    block.input() == null ? "{}" : Json.mapper().writeValueAsString(block.input()), null);
            case "thinking" -> new Part.Thinking(block.thinking(), block.signature());
            case "redacted_thinking" -> new Part.RedactedThinking(block.data());
            default -> null;
        };
    }

    private static MessagesResponse read(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return Json.mapper().readValue(body, MessagesResponse.class);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
