package dev.tollgate.relay.provider.anthropic;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.provider.StreamStep;
import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.provider.anthropic.wire.ContentBlock;
import dev.tollgate.relay.provider.anthropic.wire.MessagesResponse;
import dev.tollgate.relay.provider.anthropic.wire.StreamEvent;
import dev.tollgate.relay.provider.anthropic.wire.Usage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;

/**
 * Reads one Messages stream, event by event, keeping what spans events (the usage so far, which blocks are
 * open). One instance per upstream stream, used from one subscriber's signals (not shared, not thread-safe), and
 * either for pass-through ({@link #toStreamStep}) or for translation ({@link #toChatEvents}), not both.
 */
public final class AnthropicStreamTranslator {

    /** The usage so far, by class; null until the upstream reports it. */
    private Long input;
    private Long cacheRead;
    private Long cacheWrite;
    private Long output;
    /** Upstream block index → internal block index, for the blocks that are passed on (others are skipped). */
    private final Map<Integer, Integer> blockIndex = new HashMap<>();
    private int nextBlock;

    private AnthropicStreamTranslator() {
    }

    public static AnthropicStreamTranslator start() {
        return new AnthropicStreamTranslator();
    }

    /**
     * Pass-through: the event goes to the client unchanged (including {@code ping} and {@code error}), with the
     * usage so far, the text it generated, and {@code done} on {@code message_stop}.
     *
     * @param event the SSE event name, or null (then the data's {@code type} names it)
     */
    public StreamStep toStreamStep(String event, String data) {
        if (data == null) {
            return new StreamStep(event, null, null, "", false);
        }
        StreamEvent parsed = parse(data);
        if (parsed == null) {
            // Not ours to judge: pass it on, count nothing.
            return new StreamStep(event, data, null, "", false);
        }
        String name = event != null ? event : typeName(data);
        TokenUsage usage = null;
        if (parsed instanceof StreamEvent.MessageStart start && start.message() != null) {
            usage = absorb(start.message().usage());
        } else if (parsed instanceof StreamEvent.MessageDelta delta) {
            usage = absorb(delta.usage());
        }
        return new StreamStep(name, data, usage, textOf(parsed), parsed instanceof StreamEvent.MessageStop);
    }

    /**
     * Translation: the internal events for one upstream event, in {@link ChatEvent}'s order; none for
     * {@code ping} and for kinds the internal model has no event for.
     *
     * @throws UpstreamFailure.Unreachable on an {@code error} event: the upstream broke the stream off
     */
    public List<ChatEvent> toChatEvents(String event, String data) {
        StreamEvent parsed = data == null ? null : parse(data);
        if (parsed == null) {
            // An event we cannot read carries nothing we could render.
            return List.of();
        }
        if (parsed instanceof StreamEvent.MessageStart start) {
            return started(start.message());
        }
        if (parsed instanceof StreamEvent.ContentBlockStart start) {
            return blockStarted(start);
        }
        if (parsed instanceof StreamEvent.ContentBlockDelta delta) {
            return blockDelta(delta);
        }
        if (parsed instanceof StreamEvent.ContentBlockStop stop) {
            Integer index = blockIndex.get(stop.index());
            return index == null ? List.of() : List.of(new ChatEvent.BlockStopped(index));
        }
        if (parsed instanceof StreamEvent.MessageDelta delta) {
            return finished(delta);
        }
        if (parsed instanceof StreamEvent.MessageStop) {
            return List.of(new ChatEvent.Ended());
        }
        if (parsed instanceof StreamEvent.Error error) {
            throw new UpstreamFailure.Unreachable("upstream stream error: " + describe(error), null);
        }
        return List.of();
    }

    /** The usage reported so far, or null when none yet. */
    public TokenUsage usage() {
        if (input == null && output == null) {
            return null;
        }
        return AnthropicResponseMapper.tokenUsage(orZero(input), orZero(cacheRead), orZero(cacheWrite), orZero(output));
    }

    private List<ChatEvent> started(MessagesResponse message) {
        if (message == null) {
            return List.of(new ChatEvent.Started(null, null));
        }
        ChatEvent started = new ChatEvent.Started(message.id(), message.model());
        TokenUsage usage = absorb(message.usage());
        return usage == null ? List.of(started) : List.of(started, new ChatEvent.UsageReported(usage));
    }

    private List<ChatEvent> blockStarted(StreamEvent.ContentBlockStart start) {
        ContentBlock block = start.contentBlock();
        Part part = block == null ? null : AnthropicResponseMapper.toPart(block);
        if (part == null) {
            // A block kind the internal model has no part for (server tools): skipped with its deltas and stop.
            return List.of();
        }
        int index = nextBlock++;
        blockIndex.put(start.index(), index);
        if (part instanceof Part.Text text) {
            ChatEvent begun = new ChatEvent.BlockStarted(index, Part.Text.of(""));
            return text.text().isEmpty() ? List.of(begun) : List.of(begun, new ChatEvent.TextDelta(index, text.text()));
        }
        if (part instanceof Part.ToolUse use) {
            ChatEvent begun = new ChatEvent.BlockStarted(index, new Part.ToolUse(use.id(), use.name(), "", null));
            // Anthropic starts a tool call with an empty input and streams it as input_json_delta.
            boolean emptyInput = block.input() == null || block.input().isEmpty();
            return emptyInput ? List.of(begun)
                    : List.of(begun, new ChatEvent.ToolInputDelta(index, use.argumentsJson()));
        }
        if (part instanceof Part.Thinking thinking) {
            ChatEvent begun = new ChatEvent.BlockStarted(index, new Part.Thinking("", null));
            return thinking.text().isEmpty() ? List.of(begun)
                    : List.of(begun, new ChatEvent.ThinkingDelta(index, thinking.text()));
        }
        return List.of(new ChatEvent.BlockStarted(index, part));
    }

    private List<ChatEvent> blockDelta(StreamEvent.ContentBlockDelta event) {
        Integer index = blockIndex.get(event.index());
        StreamEvent.BlockDelta delta = event.delta();
        if (index == null || delta == null || delta.type() == null) {
            return List.of();
        }
        return switch (delta.type()) {
            case "text_delta" -> List.of(new ChatEvent.TextDelta(index, orEmpty(delta.text())));
            case "input_json_delta" -> List.of(new ChatEvent.ToolInputDelta(index, orEmpty(delta.partialJson())));
            case "thinking_delta" -> List.of(new ChatEvent.ThinkingDelta(index, orEmpty(delta.thinking())));
            case "signature_delta" -> List.of(new ChatEvent.SignatureDelta(index, orEmpty(delta.signature())));
            // citations_delta and newer kinds: annotations the internal model does not carry.
            default -> List.of();
        };
    }

    private List<ChatEvent> finished(StreamEvent.MessageDelta event) {
        StreamEvent.MessageDeltaBody body = event.delta();
        ChatEvent finished = new ChatEvent.Finished(
                AnthropicResponseMapper.toStopReason(body == null ? null : body.stopReason()),
                body == null ? null : body.stopSequence());
        TokenUsage usage = absorb(event.usage());
        return usage == null ? List.of(finished) : List.of(finished, new ChatEvent.UsageReported(usage));
    }

    /** Folds a usage report into the totals (present fields win) and answers the cumulative usage, or null. */
    private TokenUsage absorb(Usage usage) {
        if (usage == null) {
            return null;
        }
        input = usage.inputTokens() != null ? usage.inputTokens() : input;
        cacheRead = usage.cacheReadInputTokens() != null ? usage.cacheReadInputTokens() : cacheRead;
        cacheWrite = usage.cacheCreationInputTokens() != null ? usage.cacheCreationInputTokens() : cacheWrite;
        output = usage.outputTokens() != null ? usage.outputTokens() : output;
        return usage();
    }

    /** The generated text an event carries (as {@link ChatEvent#textOf} counts it). */
    private static String textOf(StreamEvent event) {
        if (event instanceof StreamEvent.ContentBlockDelta delta && delta.delta() != null
                && delta.delta().type() != null) {
            StreamEvent.BlockDelta d = delta.delta();
            return switch (d.type()) {
                case "text_delta" -> orEmpty(d.text());
                case "input_json_delta" -> orEmpty(d.partialJson());
                case "thinking_delta" -> orEmpty(d.thinking());
                default -> "";
            };
        }
        if (event instanceof StreamEvent.ContentBlockStart start && start.contentBlock() != null) {
            ContentBlock block = start.contentBlock();
            if ("tool_use".equals(block.type())) {
                return orEmpty(block.name());
            }
            if ("text".equals(block.type())) {
                return orEmpty(block.text());
            }
        }
        return "";
    }

    private static String describe(StreamEvent.Error error) {
        if (error.error() == null) {
            return "unknown";
        }
        return error.error().type() + (error.error().message() == null ? "" : ": " + error.error().message());
    }

    private static StreamEvent parse(String data) {
        try {
            return Json.mapper().readValue(data, StreamEvent.class);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String typeName(String data) {
        try {
            return Json.mapper().readTree(data).path("type").asString(null);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
