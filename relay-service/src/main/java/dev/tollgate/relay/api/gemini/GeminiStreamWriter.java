package dev.tollgate.relay.api.gemini;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.api.ChatStreamWriter;
import dev.tollgate.relay.api.SseFrames;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import dev.tollgate.relay.metering.TokenCounter;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renders a translated stream as Gemini's {@code alt=sse} stream: one {@code data:} frame per chunk, each a whole
 * {@code GenerateContentResponse} carrying the parts since the last one. Text and thoughts go out as they come; a
 * function call goes out whole when its block ends (Gemini never streams one in pieces); the last chunk carries
 * the finish reason and the usage. One instance per response; not thread-safe.
 */
public final class GeminiStreamWriter implements ChatStreamWriter {

    private final String model;
    private final long estimatedInputTokens;
    private final StringBuilder generated = new StringBuilder();

    private String id;
    /** The function call being received: its block index, id, name and arguments so far; null when none. */
    private Integer callIndex;
    private String callId;
    private String callName;
    private String callSignature;
    private final StringBuilder callArguments = new StringBuilder();
    private StopReason stopReason;
    private TokenUsage usage;
    private boolean ended;

    /**
     * @param model                the model to show the client (the one it asked for)
     * @param estimatedInputTokens the local input estimate, used only when the upstream reports no usage
     */
    public GeminiStreamWriter(String model, long estimatedInputTokens) {
        this.model = model;
        this.estimatedInputTokens = Math.max(estimatedInputTokens, 0);
    }

    @Override
    public List<byte[]> frames(ChatEvent event) {
        List<byte[]> out = new ArrayList<>();
        if (ended) {
            return out;
        }
        generated.append(ChatEvent.textOf(event));
        if (event instanceof ChatEvent.Started started) {
            id = GeminiResponseWriter.responseId(started.id());
        } else if (event instanceof ChatEvent.BlockStarted block) {
            started(block, out);
        } else if (event instanceof ChatEvent.TextDelta delta) {
            text(delta.text(), false, null, out);
        } else if (event instanceof ChatEvent.ThinkingDelta delta) {
            text(delta.text(), true, null, out);
        } else if (event instanceof ChatEvent.SignatureDelta delta) {
            text("", true, delta.signature(), out);
        } else if (event instanceof ChatEvent.ToolInputDelta delta) {
            if (callIndex != null && callIndex == delta.index()) {
                callArguments.append(delta.partialJson());
            }
        } else if (event instanceof ChatEvent.BlockStopped stopped) {
            if (callIndex != null && callIndex == stopped.index()) {
                flushCall(out);
            }
        } else if (event instanceof ChatEvent.Finished finished) {
            flushCall(out);
            stopReason = finished.reason();
        } else if (event instanceof ChatEvent.UsageReported reported) {
            usage = reported.usage();
        } else if (event instanceof ChatEvent.Ended) {
            flushCall(out);
            end(out);
        }
        return out;
    }

    /** Google's servers end a failed stream with an error object in the stream; the SDKs raise it. */
    @Override
    public List<byte[]> cutShort(String message) {
        if (ended) {
            return List.of();
        }
        ended = true;
        ObjectNode body = Json.mapper().createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", 500);
        error.put("message", message);
        error.put("status", "INTERNAL");
        return List.of(SseFrames.data(Json.mapper().writeValueAsBytes(body)));
    }

    private void started(ChatEvent.BlockStarted block, List<byte[]> out) {
        flushCall(out);
        if (block.part() instanceof Part.ToolUse use) {
            callIndex = block.index();
            callId = use.id();
            callSignature = use.signature();
            callName = use.name();
            callArguments.setLength(0);
            callArguments.append(use.argumentsJson());
        } else if (block.part() instanceof Part.Text text && !text.text().isEmpty()) {
            generated.append(text.text());
            text(text.text(), false, null, out);
        } else if (block.part() instanceof Part.Thinking thinking
                && (!thinking.text().isEmpty() || thinking.signature() != null)) {
            generated.append(thinking.text());
            text(thinking.text(), true, thinking.signature(), out);
        }
    }

    private void text(String text, boolean thought, String signature, List<byte[]> out) {
        ObjectNode part = Json.mapper().createObjectNode();
        part.put("text", text == null ? "" : text);
        if (thought) {
            part.put("thought", true);
        }
        if (signature != null && !signature.isEmpty()) {
            part.put("thoughtSignature", signature);
        }
        out.add(chunk(part, null, null));
    }

    private void flushCall(List<byte[]> out) {
        if (callIndex == null) {
            return;
        }
        ObjectNode part = Json.mapper().createObjectNode();
        part.set("functionCall", GeminiResponseWriter.functionCall(callId, callName, callArguments.toString()));
        if (callSignature != null) {
            part.put("thoughtSignature", callSignature);
        }
        out.add(chunk(part, null, null));
        callIndex = null;
    }

    private void end(List<byte[]> out) {
        TokenUsage total = usage != null ? usage
                : TokenUsage.ofTokens(estimatedInputTokens, TokenCounter.count(generated));
        // Gemini's last chunk carries an empty text beside the finish reason.
        out.add(chunk(Json.mapper().createObjectNode().put("text", ""),
                GeminiResponseWriter.finishReason(stopReason), GeminiResponseWriter.usage(total)));
        ended = true;
    }

    private byte[] chunk(ObjectNode part, String finishReason, ObjectNode usageMetadata) {
        ObjectNode chunk = Json.mapper().createObjectNode();
        ObjectNode candidate = chunk.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content");
        content.putArray("parts").add(part);
        content.put("role", "model");
        if (finishReason != null) {
            candidate.put("finishReason", finishReason);
        }
        candidate.put("index", 0);
        if (usageMetadata != null) {
            chunk.set("usageMetadata", usageMetadata);
        }
        chunk.put("modelVersion", model);
        if (id == null) {
            id = GeminiResponseWriter.responseId(null);
        }
        chunk.put("responseId", id);
        return SseFrames.data(Json.mapper().writeValueAsBytes(chunk));
    }
}
