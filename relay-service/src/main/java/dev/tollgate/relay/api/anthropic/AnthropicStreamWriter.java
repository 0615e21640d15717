package dev.tollgate.relay.api.anthropic;

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
 * Renders a translated stream as Anthropic's event sequence: {@code message_start}, {@code ping}, per block
 * {@code content_block_start} / {@code content_block_delta}… / {@code content_block_stop}, then {@code message_delta}
 * (stop reason and usage together, so both are held until the upstream ends) and {@code message_stop}.
 * Tolerates a loose upstream: a delta for a block not started starts it, a block left open is stopped, and block
 * indices are renumbered 0, 1, … in the order sent. One instance per response; not thread-safe (events arrive in
 * order on one subscriber).
 */
public final class AnthropicStreamWriter implements ChatStreamWriter {

    private enum Kind {
        TEXT,
        TOOL_USE,
        THINKING,
        REDACTED_THINKING
    }

    private final String model;
    private final long estimatedInputTokens;
    /** The generated text, counted only when the upstream reports no usage. */
    private final StringBuilder generated = new StringBuilder();

    private boolean started;
    private boolean ended;
    private Integer openIndex;
    private Kind openKind;
    private int clientIndex = -1;
    private StopReason stopReason;
    private String stopSequence;
    private TokenUsage usage;

    /**
     * @param model                the model to show the client (the one it asked for)
     * @param estimatedInputTokens the local input estimate, shown in {@code message_start} before the upstream's count
     */
    public AnthropicStreamWriter(String model, long estimatedInputTokens) {
        this.model = model;
        this.estimatedInputTokens = Math.max(estimatedInputTokens, 0);
    }

    @Override
    public List<byte[]> frames(ChatEvent event) {
        List<byte[]> out = new ArrayList<>();
        if (ended) {
            return out;
        }
        if (event instanceof ChatEvent.Started s) {
            if (!started) {
                start(out, s.id(), s.model());
            }
            return out;
        }
        if (!started) {
            start(out, null, null);
        }
        generated.append(ChatEvent.textOf(event));
        if (event instanceof ChatEvent.BlockStarted b) {
            open(out, b.index(), b.part());
        } else if (event instanceof ChatEvent.TextDelta d) {
            ensure(out, d.index(), Kind.TEXT, Part.Text.of(""));
            delta(out, "text_delta", "text", d.text());
        } else if (event instanceof ChatEvent.ToolInputDelta d) {
            ensure(out, d.index(), Kind.TOOL_USE, new Part.ToolUse(null, "", "", null));
            delta(out, "input_json_delta", "partial_json", d.partialJson());
        } else if (event instanceof ChatEvent.ThinkingDelta d) {
            ensure(out, d.index(), Kind.THINKING, new Part.Thinking("", null));
            delta(out, "thinking_delta", "thinking", d.text());
        } else if (event instanceof ChatEvent.SignatureDelta d) {
            ensure(out, d.index(), Kind.THINKING, new Part.Thinking("", null));
            delta(out, "signature_delta", "signature", d.signature());
        } else if (event instanceof ChatEvent.BlockStopped b) {
            if (openIndex != null && openIndex == b.index()) {
                close(out);
            }
        } else if (event instanceof ChatEvent.Finished f) {
            close(out);
            stopReason = f.reason();
            stopSequence = f.stopSequence();
        } else if (event instanceof ChatEvent.UsageReported u) {
            usage = u.usage();
        } else if (event instanceof ChatEvent.Ended) {
            close(out);
            end(out);
        }
        return out;
    }

    @Override
    public List<byte[]> cutShort(String message) {
        List<byte[]> out = new ArrayList<>();
        if (ended) {
            return out;
        }
        close(out);
        ObjectNode data = data("error");
        ObjectNode error = data.putObject("error");
        error.put("type", "api_error");
        error.put("message", message);
        out.add(frame("error", data));
        ended = true;
        return out;
    }

    private void start(List<byte[]> out, String id, String upstreamModel) {
        started = true;
        ObjectNode data = data("message_start");
        ObjectNode message = data.putObject("message");
        message.put("id", AnthropicResponseWriter.messageId(id));
        message.put("type", "message");
        message.put("role", "assistant");
        message.put("model", model != null ? model : upstreamModel);
        message.putArray("content");
        message.putNull("stop_reason");
        message.putNull("stop_sequence");
        // Nothing is generated yet; the final count comes in message_delta, which clients take as the total.
        AnthropicResponseWriter.usage(message.putObject("usage"), TokenUsage.ofTokens(estimatedInputTokens, 0));
        out.add(frame("message_start", data));
        out.add(frame("ping", data("ping")));
    }

    /** Starts a block (stopping the open one); a non-empty start part is sent as its first deltas. */
    private void open(List<byte[]> out, int index, Part part) {
        close(out);
        ObjectNode block = Json.mapper().createObjectNode();
        Kind kind;
        if (part instanceof Part.ToolUse toolUse) {
            kind = Kind.TOOL_USE;
            block.put("type", "tool_use");
            block.put("id", AnthropicResponseWriter.toolUseId(toolUse.clientId()));
            block.put("name", toolUse.name());
            block.putObject("input");
        } else if (part instanceof Part.Thinking) {
            kind = Kind.THINKING;
            block.put("type", "thinking");
            block.put("thinking", "");
            block.put("signature", "");
        } else if (part instanceof Part.RedactedThinking redacted) {
            kind = Kind.REDACTED_THINKING;
            block.put("type", "redacted_thinking");
            block.put("data", redacted.data());
        } else {
            // Text, and anything an answer cannot hold, opens a text block.
            kind = Kind.TEXT;
            block.put("type", "text");
            block.put("text", "");
        }
        openIndex = index;
        openKind = kind;
        clientIndex++;
        ObjectNode data = data("content_block_start");
        data.put("index", clientIndex);
        data.set("content_block", block);
        out.add(frame("content_block_start", data));
        if (part instanceof Part.Text text && !text.text().isEmpty()) {
            delta(out, "text_delta", "text", text.text());
        } else if (part instanceof Part.ToolUse toolUse && !toolUse.argumentsJson().isEmpty()) {
            delta(out, "input_json_delta", "partial_json", toolUse.argumentsJson());
        } else if (part instanceof Part.Thinking thinking) {
            if (!thinking.text().isEmpty()) {
                delta(out, "thinking_delta", "thinking", thinking.text());
            }
            if (thinking.signature() != null && !thinking.signature().isEmpty()) {
                delta(out, "signature_delta", "signature", thinking.signature());
            }
        }
    }

    /** Makes sure the delta's block is the open one, starting it when the upstream skipped the start. */
    private void ensure(List<byte[]> out, int index, Kind kind, Part emptyPart) {
        if (openIndex == null || openIndex != index || openKind != kind) {
            open(out, index, emptyPart);
        }
    }

    private void delta(List<byte[]> out, String type, String field, String value) {
        ObjectNode data = data("content_block_delta");
        data.put("index", clientIndex);
        ObjectNode delta = data.putObject("delta");
        delta.put("type", type);
        delta.put(field, value == null ? "" : value);
        out.add(frame("content_block_delta", data));
    }

    private void close(List<byte[]> out) {
        if (openIndex == null) {
            return;
        }
        ObjectNode data = data("content_block_stop");
        data.put("index", clientIndex);
        out.add(frame("content_block_stop", data));
        openIndex = null;
        openKind = null;
    }

    private void end(List<byte[]> out) {
        ObjectNode data = data("message_delta");
        ObjectNode delta = data.putObject("delta");
        // No Finished before a normal end: the upstream simply stopped, which is a natural end.
        delta.put("stop_reason", AnthropicResponseWriter.stopReason(stopReason));
        delta.put("stop_sequence", stopSequence);
        TokenUsage total = usage != null ? usage
                : TokenUsage.ofTokens(estimatedInputTokens, TokenCounter.count(generated));
        AnthropicResponseWriter.usage(data.putObject("usage"), total);
        out.add(frame("message_delta", data));
        out.add(frame("message_stop", data("message_stop")));
        ended = true;
    }

    private static ObjectNode data(String type) {
        ObjectNode data = Json.mapper().createObjectNode();
        data.put("type", type);
        return data;
    }

    private static byte[] frame(String event, ObjectNode data) {
        return SseFrames.event(event, Json.mapper().writeValueAsBytes(data));
    }
}
