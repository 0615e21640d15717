package dev.tollgate.relay.chat;

import dev.tollgate.contracts.money.TokenUsage;

/**
 * One event of a streamed answer in no dialect. A provider's stream translator emits, in order: {@link Started};
 * for each content block (indices 0, 1, … in order, one open at a time) {@link BlockStarted}, its deltas,
 * {@link BlockStopped}; then {@link Finished}; {@link UsageReported} whenever the upstream reports usage (each
 * carries the cumulative total so far, so the last one wins); {@link Ended} only when the upstream ended the
 * stream normally. Inbound stream writers render these in the caller's dialect, buffering what that dialect
 * sends later (Anthropic puts the stop reason and usage together in {@code message_delta}).
 */
public sealed interface ChatEvent {

    record Started(String id, String model) implements ChatEvent {
    }

    /** A block begins: Text(""), ToolUse(id, name, ""), Thinking("", null) or RedactedThinking(data). */
    record BlockStarted(int index, Part part) implements ChatEvent {
    }

    record TextDelta(int index, String text) implements ChatEvent {
    }

    /** A piece of a tool call's arguments JSON text. */
    record ToolInputDelta(int index, String partialJson) implements ChatEvent {
    }

    record ThinkingDelta(int index, String text) implements ChatEvent {
    }

    record SignatureDelta(int index, String signature) implements ChatEvent {
    }

    record BlockStopped(int index) implements ChatEvent {
    }

    record Finished(StopReason reason, String stopSequence) implements ChatEvent {
    }

    /** The upstream's usage report so far (cumulative; the last one is the total). */
    record UsageReported(TokenUsage usage) implements ChatEvent {
    }

    /** The upstream ended the stream normally. */
    record Ended() implements ChatEvent {
    }

    /** The generated text an event carries, for counting when no usage arrives; never null. */
    static String textOf(ChatEvent event) {
        if (event instanceof TextDelta d) {
            return d.text();
        }
        if (event instanceof ToolInputDelta d) {
            return d.partialJson();
        }
        if (event instanceof ThinkingDelta d) {
            return d.text();
        }
        if (event instanceof BlockStarted s && s.part() instanceof Part.ToolUse t) {
            return t.name();
        }
        return "";
    }
}
