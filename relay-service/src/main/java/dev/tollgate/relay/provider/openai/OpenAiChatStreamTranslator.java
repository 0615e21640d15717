package dev.tollgate.relay.provider.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import dev.tollgate.relay.provider.openai.wire.ChatChunk;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import tools.jackson.core.JacksonException;

/**
 * An OpenAI chat completions stream → internal {@link ChatEvent}s, in the order {@link ChatEvent} requires. One
 * instance per stream (it remembers the open block); not thread-safe, fed in order.
 *
 * <p>OpenAI interleaves nothing: reasoning, text and each tool call arrive one after another, so one block is open
 * at a time and a change of kind (or of tool-call index) closes it. A delta for a tool call whose block is already
 * closed (possible in principle, never seen from OpenAI) cannot be expressed in that order and is dropped rather
 * than appended to the wrong call.
 */
public final class OpenAiChatStreamTranslator {

    private enum Kind { NONE, THINKING, TEXT, TOOL }

    private boolean started;
    private boolean finished;
    private boolean ended;
    private boolean refused;
    private boolean calledTools;
    private Kind open = Kind.NONE;
    private int openIndex = -1;
    private int nextIndex;
    /** The open tool call's OpenAI index (or -1 when the server sends none) and id. */
    private int toolIndex = -1;
    private String toolId;
    private final Set<Integer> closedToolIndices = new HashSet<>();

    /** The events one SSE data payload (a chunk, or {@code [DONE]}) makes; unreadable data makes none. */
    public List<ChatEvent> next(String data) {
        List<ChatEvent> events = new ArrayList<>();
        if (data == null || ended) {
            return events;
        }
        String trimmed = data.trim();
        if (OpenAiStreamTranslator.DONE.equals(trimmed)) {
            finish(events, null);
            events.add(new ChatEvent.Ended());
            ended = true;
            return events;
        }
        ChatChunk chunk;
        try {
            chunk = Json.mapper().readValue(trimmed, ChatChunk.class);
        } catch (JacksonException e) {
            return events;
        }
        TokenUsage usage = chunk == null ? null : OpenAiUsageExtractor.fromChunk(chunk);
        if (chunk == null || saysNothing(chunk, usage)) {
            return events;
        }
        start(events, chunk.id(), chunk.model());
        ChatChunk.Choice choice = firstChoice(chunk);
        if (choice != null && !finished) {
            if (choice.delta() != null) {
                delta(events, choice.delta());
            }
            if (choice.finishReason() != null) {
                finish(events, choice.finishReason());
            }
        }
        if (usage != null) {
            events.add(new ChatEvent.UsageReported(usage));
        }
        return events;
    }

    /** No choices and no usage: Azure's opening chunk of prompt filter results (with an empty id and model). */
    private static boolean saysNothing(ChatChunk chunk, TokenUsage usage) {
        return usage == null && (chunk.choices() == null || chunk.choices().isEmpty());
    }

    /** Choice 0 only: a translated answer has one choice. */
    private static ChatChunk.Choice firstChoice(ChatChunk chunk) {
        if (chunk.choices() == null) {
            return null;
        }
        for (ChatChunk.Choice choice : chunk.choices()) {
            if (choice != null && (choice.index() == null || choice.index() == 0)) {
                return choice;
            }
        }
        return null;
    }

    private void start(List<ChatEvent> events, String id, String model) {
        if (!started) {
            events.add(new ChatEvent.Started(blankToNull(id), blankToNull(model)));
            started = true;
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private void delta(List<ChatEvent> events, ChatChunk.Delta delta) {
        String reasoning = delta.reasoningContent() != null ? delta.reasoningContent() : delta.reasoning();
        if (reasoning != null && !reasoning.isEmpty()) {
            openBlock(events, Kind.THINKING, new Part.Thinking("", null));
            events.add(new ChatEvent.ThinkingDelta(openIndex, reasoning));
        }
        if (delta.content() != null && !delta.content().isEmpty()) {
            openBlock(events, Kind.TEXT, Part.Text.of(""));
            events.add(new ChatEvent.TextDelta(openIndex, delta.content()));
        }
        if (delta.refusal() != null && !delta.refusal().isEmpty()) {
            refused = true;
            openBlock(events, Kind.TEXT, Part.Text.of(""));
            events.add(new ChatEvent.TextDelta(openIndex, delta.refusal()));
        }
        if (delta.toolCalls() != null) {
            for (ChatChunk.ToolCall call : delta.toolCalls()) {
                if (call != null) {
                    toolCall(events, call);
                }
            }
        }
    }

    private void toolCall(List<ChatEvent> events, ChatChunk.ToolCall call) {
        int index = call.index() == null ? -1 : call.index();
        // Some compatible servers repeat an empty id on every piece.
        String id = call.id() == null || call.id().isEmpty() ? null : call.id();
        String name = call.function() == null ? null : call.function().name();
        String arguments = call.function() == null ? null : call.function().arguments();
        // A new id starts a new call even at the same index: some servers number every call 0.
        boolean sameCall = open == Kind.TOOL && (index < 0 || index == toolIndex) && (id == null || id.equals(toolId));
        if (!sameCall) {
            if (id == null && name == null && closedToolIndices.contains(index)) {
                return; // a late piece of a closed call: see the class comment
            }
            String callId = id != null ? id : "call_" + UUID.randomUUID().toString().replace("-", "");
            openBlock(events, Kind.TOOL, new Part.ToolUse(callId, name == null ? "" : name, "", null));
            toolIndex = index;
            toolId = callId;
            calledTools = true;
        }
        if (arguments != null && !arguments.isEmpty()) {
            events.add(new ChatEvent.ToolInputDelta(openIndex, arguments));
        }
    }

    /** Opens a block of {@code kind} unless one is open already (a tool call always gets its own). */
    private void openBlock(List<ChatEvent> events, Kind kind, Part part) {
        if (open == kind && kind != Kind.TOOL) {
            return;
        }
        closeBlock(events);
        open = kind;
        openIndex = nextIndex++;
        events.add(new ChatEvent.BlockStarted(openIndex, part));
    }

    private void closeBlock(List<ChatEvent> events) {
        if (open == Kind.NONE) {
            return;
        }
        if (open == Kind.TOOL && toolIndex >= 0) {
            closedToolIndices.add(toolIndex);
        }
        events.add(new ChatEvent.BlockStopped(openIndex));
        open = Kind.NONE;
    }

    /** Closes the open block and reports the stop; {@code finishReason} null = the upstream never sent one. */
    private void finish(List<ChatEvent> events, String finishReason) {
        if (finished) {
            return;
        }
        start(events, null, null);
        closeBlock(events);
        StopReason reason;
        if (refused) {
            reason = StopReason.REFUSAL;
        } else if (finishReason == null) {
            reason = calledTools ? StopReason.TOOL_USE : StopReason.END_TURN;
        } else {
            reason = OpenAiResponseMapper.stopReason(finishReason);
        }
        events.add(new ChatEvent.Finished(reason, null));
        finished = true;
    }
}
