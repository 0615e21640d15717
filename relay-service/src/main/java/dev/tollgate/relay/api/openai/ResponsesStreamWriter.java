package dev.tollgate.relay.api.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.api.ChatStreamWriter;
import dev.tollgate.relay.api.SseFrames;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A translated stream → the Responses API's named events, each with its {@code sequence_number}:
 * {@code response.created}, {@code response.in_progress}; per text block {@code output_item.added},
 * {@code content_part.added}, {@code output_text.delta}…, {@code output_text.done}, {@code content_part.done},
 * {@code output_item.done}; per tool call {@code output_item.added}, {@code function_call_arguments.delta}…,
 * {@code function_call_arguments.done}, {@code output_item.done}; per reasoning block the
 * {@code reasoning_summary_part}/{@code reasoning_summary_text} events; then {@code response.completed} (or
 * {@code response.incomplete}) with the whole output and the usage. No {@code [DONE]}: the last event ends it.
 * One instance per response.
 */
public final class ResponsesStreamWriter implements ChatStreamWriter {

    private final JsonNode request;
    private final String model;
    private final String hex;
    private final long createdAt;
    private final ArrayNode output = Json.mapper().createArrayNode();
    /** Block index → the open output item it fills. */
    private final Map<Integer, OpenItem> open = new HashMap<>();
    private long sequence;
    private boolean created;
    private boolean ended;
    private StopReason reason;
    private TokenUsage usage;

    /** An output item being streamed: where it is, and what has arrived of it. */
    private static final class OpenItem {
        final String id;
        final int outputIndex;
        final Part kind;
        final StringBuilder text = new StringBuilder();

        OpenItem(String id, int outputIndex, Part kind) {
            this.id = id;
            this.outputIndex = outputIndex;
            this.kind = kind;
        }
    }

    /**
     * @param request the client's request, whose settings the response object echoes
     * @param model   the model name to show the client (the one it asked for)
     */
    public ResponsesStreamWriter(JsonNode request, String model) {
        this(request, model, ResponsesResponseWriter.newHex(), Instant.now().getEpochSecond());
    }

    ResponsesStreamWriter(JsonNode request, String model, String hex, long createdAt) {
        this.request = request;
        this.model = model;
        this.hex = hex;
        this.createdAt = createdAt;
    }

    @Override
    public List<byte[]> frames(ChatEvent event) {
        List<byte[]> frames = new ArrayList<>();
        if (ended) {
            return frames;
        }
        if (!created) {
            created = true;
            ObjectNode envelope = envelope("in_progress");
            frames.add(event("response.created", "response", envelope));
            frames.add(event("response.in_progress", "response", envelope));
        }
        if (event instanceof ChatEvent.BlockStarted started) {
            blockStarted(started.index(), started.part(), frames);
        } else if (event instanceof ChatEvent.TextDelta delta) {
            textDelta(delta.index(), delta.text(), frames);
        } else if (event instanceof ChatEvent.ThinkingDelta delta) {
            thinkingDelta(delta.index(), delta.text(), frames);
        } else if (event instanceof ChatEvent.ToolInputDelta delta) {
            toolInputDelta(delta.index(), delta.partialJson(), frames);
        } else if (event instanceof ChatEvent.BlockStopped stopped) {
            blockStopped(stopped.index(), frames);
        } else if (event instanceof ChatEvent.Finished finished) {
            reason = finished.reason();
        } else if (event instanceof ChatEvent.UsageReported reported) {
            usage = reported.usage();
        } else if (event instanceof ChatEvent.Ended) {
            ended(frames);
        }
        return frames;
    }

    /** What OpenAI sends when a response fails mid-stream: {@code response.failed} with the error in it. */
    @Override
    public List<byte[]> cutShort(String message) {
        List<byte[]> frames = new ArrayList<>();
        if (ended) {
            return frames;
        }
        ended = true;
        ObjectNode body = envelope("failed");
        body.set("output", output.deepCopy());
        ObjectNode error = body.putObject("error");
        error.put("code", "server_error");
        error.put("message", message);
        if (usage != null) {
            body.set("usage", ResponsesResponseWriter.usage(usage));
        }
        frames.add(event("response.failed", "response", body));
        return frames;
    }

    private void blockStarted(int index, Part part, List<byte[]> frames) {
        int outputIndex = output.size();
        ObjectNode item;
        if (part instanceof Part.Text) {
            OpenItem opened = openItem(index, "msg_", outputIndex, part);
            item = ResponsesResponseWriter.message(opened.id, "in_progress", null);
            output.add(item);
            frames.add(outputItem("response.output_item.added", outputIndex, item));
            ObjectNode added = itemEvent("response.content_part.added", opened);
            added.put("content_index", 0);
            added.set("part", ResponsesResponseWriter.outputText(""));
            frames.add(frame(added));
        } else if (part instanceof Part.ToolUse use) {
            OpenItem opened = openItem(index, "fc_", outputIndex, use);
            opened.text.append(use.argumentsJson());
            item = ResponsesResponseWriter.functionCall(opened.id, use.clientId(), use.name(), "", "in_progress");
            output.add(item);
            frames.add(outputItem("response.output_item.added", outputIndex, item));
        } else if (part instanceof Part.Thinking) {
            OpenItem opened = openItem(index, "rs_", outputIndex, part);
            item = ResponsesResponseWriter.reasoning(opened.id, null);
            output.add(item);
            frames.add(outputItem("response.output_item.added", outputIndex, item));
            ObjectNode added = itemEvent("response.reasoning_summary_part.added", opened);
            added.put("summary_index", 0);
            added.set("part", ResponsesResponseWriter.summaryText(""));
            frames.add(frame(added));
        }
        // Encrypted reasoning has no place here: no other model can take it back.
    }

    private OpenItem openItem(int index, String prefix, int outputIndex, Part kind) {
        OpenItem item = new OpenItem(ResponsesResponseWriter.itemId(prefix, hex, outputIndex), outputIndex, kind);
        open.put(index, item);
        return item;
    }

    private void textDelta(int index, String text, List<byte[]> frames) {
        OpenItem item = open.get(index);
        if (item == null) {
            // A translator that sent text without opening its block: open one, so no text is lost.
            blockStarted(index, Part.Text.of(""), frames);
            item = open.get(index);
        }
        if (!(item.kind instanceof Part.Text)) {
            return;
        }
        item.text.append(text);
        ObjectNode delta = itemEvent("response.output_text.delta", item);
        delta.put("content_index", 0);
        delta.put("delta", text);
        delta.putArray("logprobs");
        frames.add(frame(delta));
    }

    private void thinkingDelta(int index, String text, List<byte[]> frames) {
        OpenItem item = open.get(index);
        if (item == null || !(item.kind instanceof Part.Thinking)) {
            return;
        }
        item.text.append(text);
        ObjectNode delta = itemEvent("response.reasoning_summary_text.delta", item);
        delta.put("summary_index", 0);
        delta.put("delta", text);
        frames.add(frame(delta));
    }

    private void toolInputDelta(int index, String partialJson, List<byte[]> frames) {
        OpenItem item = open.get(index);
        if (item == null || !(item.kind instanceof Part.ToolUse)) {
            return;
        }
        item.text.append(partialJson);
        ObjectNode delta = itemEvent("response.function_call_arguments.delta", item);
        delta.put("delta", partialJson);
        frames.add(frame(delta));
    }

    private void blockStopped(int index, List<byte[]> frames) {
        OpenItem item = open.remove(index);
        if (item == null) {
            return;
        }
        String text = item.text.toString();
        ObjectNode done;
        if (item.kind instanceof Part.Text) {
            ObjectNode textDone = itemEvent("response.output_text.done", item);
            textDone.put("content_index", 0);
            textDone.put("text", text);
            textDone.putArray("logprobs");
            frames.add(frame(textDone));
            ObjectNode partDone = itemEvent("response.content_part.done", item);
            partDone.put("content_index", 0);
            partDone.set("part", ResponsesResponseWriter.outputText(text));
            frames.add(frame(partDone));
            done = ResponsesResponseWriter.message(item.id, "completed", text);
        } else if (item.kind instanceof Part.ToolUse use) {
            String arguments = text.isEmpty() ? "{}" : text;
            ObjectNode argumentsDone = itemEvent("response.function_call_arguments.done", item);
            argumentsDone.put("name", use.name());
            argumentsDone.put("arguments", arguments);
            frames.add(frame(argumentsDone));
            done = ResponsesResponseWriter.functionCall(item.id, use.clientId(), use.name(), arguments, "completed");
        } else {
            ObjectNode textDone = itemEvent("response.reasoning_summary_text.done", item);
            textDone.put("summary_index", 0);
            textDone.put("text", text);
            frames.add(frame(textDone));
            ObjectNode partDone = itemEvent("response.reasoning_summary_part.done", item);
            partDone.put("summary_index", 0);
            partDone.set("part", ResponsesResponseWriter.summaryText(text));
            frames.add(frame(partDone));
            done = ResponsesResponseWriter.reasoning(item.id, text);
        }
        output.set(item.outputIndex, done);
        frames.add(outputItem("response.output_item.done", item.outputIndex, done));
    }

    /** The upstream ended: blocks it left open are closed, then the whole response goes out with its usage. */
    private void ended(List<byte[]> frames) {
        List<Integer> stillOpen = new ArrayList<>(open.keySet());
        stillOpen.sort(Integer::compareTo);
        for (int index : stillOpen) {
            blockStopped(index, frames);
        }
        ended = true;
        ObjectNode body = envelope("completed");
        body.set("output", output.deepCopy());
        ResponsesResponseWriter.finish(body, reason, usage);
        String type = "incomplete".equals(body.path("status").asString()) ? "response.incomplete"
                : "response.completed";
        frames.add(event(type, "response", body));
    }

    private ObjectNode envelope(String status) {
        return ResponsesResponseWriter.envelope(request, "resp_" + hex, model, createdAt, status);
    }

    private ObjectNode itemEvent(String type, OpenItem item) {
        ObjectNode event = Json.mapper().createObjectNode();
        event.put("type", type);
        event.put("item_id", item.id);
        event.put("output_index", item.outputIndex);
        return event;
    }

    private byte[] outputItem(String type, int outputIndex, ObjectNode item) {
        ObjectNode event = Json.mapper().createObjectNode();
        event.put("type", type);
        event.put("output_index", outputIndex);
        event.set("item", item.deepCopy());
        return frame(event);
    }

    private byte[] event(String type, String field, ObjectNode value) {
        ObjectNode event = Json.mapper().createObjectNode();
        event.put("type", type);
        event.set(field, value);
        return frame(event);
    }

    /**
     * The {@code response.failed} that ends a native stream the upstream broke off: the response of the last event
     * that carried it ({@code lastResponseEvent}, as the client saw it), failed with {@code message}, numbered
     * {@code sequence} (the events sent before it).
     */
    static byte[] failedAfter(String lastResponseEvent, long sequence, String message) {
        JsonNode last;
        try {
            last = Json.mapper().readTree(lastResponseEvent).path("response");
        } catch (tools.jackson.core.JacksonException e) {
            last = Json.mapper().missingNode();
        }
        ObjectNode response = last.isObject() ? (ObjectNode) last.deepCopy() : Json.mapper().createObjectNode();
        response.put("status", "failed");
        ObjectNode error = response.putObject("error");
        error.put("code", "server_error");
        error.put("message", message);
        ObjectNode event = Json.mapper().createObjectNode();
        event.put("type", "response.failed");
        event.put("sequence_number", sequence);
        event.set("response", response);
        return SseFrames.event("response.failed", Json.mapper().writeValueAsString(event));
    }

    /** Numbers the event and names it by its type, as OpenAI's servers do. */
    private byte[] frame(ObjectNode event) {
        event.put("sequence_number", sequence++);
        return SseFrames.event(event.path("type").asString(), Json.mapper().writeValueAsString(event));
    }
}
