package dev.tollgate.relay.api.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.api.ChatStreamWriter;
import dev.tollgate.relay.api.SseFrames;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.Part;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * A translated stream → {@code chat.completion.chunk} frames, as OpenAI streams them: the role first, then content,
 * {@code reasoning_content} and tool-call pieces, a chunk with the finish reason, the usage chunk when the client
 * asked for it ({@code stream_options.include_usage}), then {@code [DONE]}. One instance per response.
 */
public final class OpenAiStreamWriter implements ChatStreamWriter {

    static final String DONE = "[DONE]";

    private final String model;
    private final boolean includeUsage;
    private final long created;
    private String id;
    /** Block index → the OpenAI tool-call index (0, 1, … in the order the calls began). */
    private final Map<Integer, Integer> toolIndices = new HashMap<>();
    /** Each open thinking block's text so far, for the signed block sent when its signature arrives. */
    private final Map<Integer, StringBuilder> thinkingText = new HashMap<>();
    private TokenUsage usage;

    /**
     * @param model        the model name to show the client (the one it asked for)
     * @param includeUsage the client asked for a usage chunk at the end
     */
    public OpenAiStreamWriter(String model, boolean includeUsage) {
        this(model, includeUsage, Instant.now().getEpochSecond());
    }

    OpenAiStreamWriter(String model, boolean includeUsage, long created) {
        this.model = model;
        this.includeUsage = includeUsage;
        this.created = created;
    }

    @Override
    public List<byte[]> frames(ChatEvent event) {
        if (event instanceof ChatEvent.Started started) {
            id = started.id() != null && !started.id().isEmpty() ? started.id() : OpenAiResponseWriter.newId();
            ObjectNode delta = Json.mapper().createObjectNode();
            delta.put("role", "assistant");
            delta.put("content", "");
            return frame(choiceChunk(delta, null));
        }
        if (event instanceof ChatEvent.TextDelta text) {
            ObjectNode delta = Json.mapper().createObjectNode();
            delta.put("content", text.text());
            return frame(choiceChunk(delta, null));
        }
        if (event instanceof ChatEvent.ThinkingDelta thinking) {
            thinkingText.computeIfAbsent(thinking.index(), i -> new StringBuilder()).append(thinking.text());
            ObjectNode delta = Json.mapper().createObjectNode();
            delta.put("reasoning_content", thinking.text());
            return frame(choiceChunk(delta, null));
        }
        if (event instanceof ChatEvent.SignatureDelta signed && !signed.signature().isEmpty()) {
            // The whole signed block once its signature arrives: a client keeps the thinking_blocks it sees and
            // sends them back with the assistant turn (LiteLLM's shape).
            StringBuilder text = thinkingText.remove(signed.index());
            return thinkingBlock(OpenAiResponseWriter.thinkingBlock(
                    new Part.Thinking(text == null ? "" : text.toString(), signed.signature())));
        }
        if (event instanceof ChatEvent.BlockStarted block && block.part() instanceof Part.RedactedThinking r) {
            return thinkingBlock(OpenAiResponseWriter.redactedBlock(r));
        }
        if (event instanceof ChatEvent.BlockStarted block && block.part() instanceof Part.ToolUse use) {
            return toolCallStarted(block.index(), use);
        }
        if (event instanceof ChatEvent.ToolInputDelta input) {
            return toolInput(input);
        }
        if (event instanceof ChatEvent.Finished finished) {
            String reason = OpenAiResponseWriter.finishReason(finished.reason());
            return frame(choiceChunk(Json.mapper().createObjectNode(), reason));
        }
        if (event instanceof ChatEvent.UsageReported reported) {
            usage = reported.usage();
            return List.of();
        }
        if (event instanceof ChatEvent.Ended) {
            return ended();
        }
        // Other block starts and stops, signatures: OpenAI's stream has nothing for them.
        return List.of();
    }

    /** OpenAI just ends the connection when it breaks off mid-stream. */
    @Override
    public List<byte[]> cutShort(String message) {
        return List.of();
    }

    private List<byte[]> thinkingBlock(ObjectNode block) {
        ObjectNode delta = Json.mapper().createObjectNode();
        delta.putArray("thinking_blocks").add(block);
        return frame(choiceChunk(delta, null));
    }

    private List<byte[]> toolCallStarted(int blockIndex, Part.ToolUse use) {
        int index = toolIndices.size();
        toolIndices.put(blockIndex, index);
        ObjectNode delta = Json.mapper().createObjectNode();
        ObjectNode call = delta.putArray("tool_calls").addObject();
        call.put("index", index);
        call.put("id", use.clientId());
        call.put("type", "function");
        ObjectNode function = call.putObject("function");
        function.put("name", use.name());
        function.put("arguments", use.argumentsJson());
        return frame(choiceChunk(delta, null));
    }

    private List<byte[]> toolInput(ChatEvent.ToolInputDelta input) {
        Integer index = toolIndices.get(input.index());
        if (index == null) {
            return List.of();
        }
        ObjectNode delta = Json.mapper().createObjectNode();
        ObjectNode call = delta.putArray("tool_calls").addObject();
        call.put("index", index);
        call.putObject("function").put("arguments", input.partialJson());
        return frame(choiceChunk(delta, null));
    }

    /** The usage chunk needs a usage: with none reported, the client gets {@code [DONE]} alone. */
    private List<byte[]> ended() {
        byte[] done = SseFrames.data(DONE);
        if (!includeUsage || usage == null) {
            return List.of(done);
        }
        ObjectNode chunk = chunk();
        chunk.putArray("choices");
        chunk.set("usage", OpenAiResponseWriter.usage(usage));
        return List.of(SseFrames.data(Json.mapper().writeValueAsBytes(chunk)), done);
    }

    private ObjectNode choiceChunk(ObjectNode delta, String finishReason) {
        ObjectNode chunk = chunk();
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("delta", delta);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        return chunk;
    }

    private ObjectNode chunk() {
        ObjectNode chunk = Json.mapper().createObjectNode();
        if (id == null) {
            id = OpenAiResponseWriter.newId();
        }
        chunk.put("id", id);
        chunk.put("object", "chat.completion.chunk");
        chunk.put("created", created);
        chunk.put("model", model);
        return chunk;
    }

    private static List<byte[]> frame(ObjectNode chunk) {
        return List.of(SseFrames.data(Json.mapper().writeValueAsBytes(chunk)));
    }
}
