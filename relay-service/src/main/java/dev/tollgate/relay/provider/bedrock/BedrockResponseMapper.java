package dev.tollgate.relay.provider.bedrock;

import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/** A Bedrock {@code Converse} answer → the internal {@link ChatResponse}. Pure. */
final class BedrockResponseMapper {

    private BedrockResponseMapper() {
    }

    /**
     * @param modelId the upstream model id the request went to (Converse does not echo it)
     */
    static ChatResponse toChatResponse(ConverseResponse response, String modelId) {
        List<Part> content = new ArrayList<>();
        if (response.output() != null && response.output().message() != null) {
            for (ContentBlock block : response.output().message().content()) {
                Part part = toPart(block);
                if (part != null) {
                    content.add(part);
                }
            }
        }
        return new ChatResponse(responseId(requestId(response)), modelId, content,
                toStopReason(response.stopReasonAsString()), stopSequence(response.additionalModelResponseFields()),
                toUsage(response.usage()));
    }

    /** Converse answers carry no id of their own: AWS's request id names the answer, else a random one. */
    static String responseId(String requestId) {
        return "msg_bdrk_" + (requestId == null || requestId.isEmpty() ? UUID.randomUUID() : requestId);
    }

    private static String requestId(ConverseResponse response) {
        return response.responseMetadata() == null ? null : response.responseMetadata().requestId();
    }

    private static Part toPart(ContentBlock block) {
        if (block.text() != null) {
            return Part.Text.of(block.text());
        }
        if (block.toolUse() != null) {
            ToolUseBlock toolUse = block.toolUse();
            String arguments = toolUse.input() == null ? "{}" : BedrockDocuments.toJsonText(toolUse.input());
            return new Part.ToolUse(toolUse.toolUseId(), toolUse.name(), arguments, null);
        }
        if (block.reasoningContent() != null) {
            ReasoningContentBlock reasoning = block.reasoningContent();
            if (reasoning.redactedContent() != null) {
                return new Part.RedactedThinking(redactedData(reasoning.redactedContent()));
            }
            if (reasoning.reasoningText() != null) {
                return new Part.Thinking(reasoning.reasoningText().text(), reasoning.reasoningText().signature());
            }
        }
        // Citations, guard content and the like have no place in the internal model.
        return null;
    }

    /** Redacted reasoning as base64 text: the blob's own form on Bedrock's JSON wire, and back again unchanged. */
    static String redactedData(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArrayUnsafe());
    }

    static StopReason toStopReason(String stopReason) {
        if (stopReason == null) {
            return StopReason.END_TURN;
        }
        return switch (stopReason) {
            case "tool_use" -> StopReason.TOOL_USE;
            case "max_tokens", "model_context_window_exceeded" -> StopReason.MAX_TOKENS;
            case "stop_sequence" -> StopReason.STOP_SEQUENCE;
            case "guardrail_intervened", "content_filtered" -> StopReason.CONTENT_FILTERED;
            default -> StopReason.END_TURN;
        };
    }

    /** The stop sequence Claude matched, when the request asked for {@code /stop_sequence} back. */
    static String stopSequence(Document additionalFields) {
        if (additionalFields == null || !additionalFields.isMap()) {
            return null;
        }
        Document sequence = additionalFields.asMap().get("stop_sequence");
        return sequence != null && sequence.isString() ? sequence.asString() : null;
    }

    /** Bedrock's inputTokens exclude cache reads and writes, as our input class does. */
    static TokenUsage toUsage(software.amazon.awssdk.services.bedrockruntime.model.TokenUsage usage) {
        if (usage == null || usage.inputTokens() == null && usage.outputTokens() == null) {
            return null;
        }
        return new TokenUsage(orZero(usage.inputTokens()), orZero(usage.cacheReadInputTokens()),
                orZero(usage.cacheWriteInputTokens()), orZero(usage.outputTokens()), 0, 0, 0, 0);
    }

    private static long orZero(Integer value) {
        return value == null ? 0 : Math.max(value, 0);
    }
}
