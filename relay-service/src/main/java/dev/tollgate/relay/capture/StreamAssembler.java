package dev.tollgate.relay.capture;

import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reassembles a streamed answer from its {@link ChatEvent}s into the whole answer (text, reasoning, tool calls, stop
 * reason, usage), keeping at most {@code budget} characters of generated text: a stream longer than the cap costs
 * no more memory than the cap. Lenient about order: a delta for a block never started starts one of its kind.
 */
final class StreamAssembler {

    private enum Kind { TEXT, THINKING, TOOL, REDACTED }

    /** One block being assembled. */
    private static final class Block {
        final Kind kind;
        final String id;
        final String name;
        final StringBuilder text = new StringBuilder();
        final StringBuilder signature = new StringBuilder();

        Block(Kind kind, String id, String name) {
            this.kind = kind;
            this.id = id;
            this.name = name;
        }

        Part toPart() {
            return switch (kind) {
                case TEXT -> Part.Text.of(text.toString());
                case THINKING -> new Part.Thinking(text.toString(), signature.isEmpty() ? null : signature.toString());
                case TOOL -> new Part.ToolUse(id, name, text.toString(), null, signature.toString());
                case REDACTED -> new Part.RedactedThinking(text.toString());
            };
        }
    }

    private final long budget;
    private final Map<Integer, Block> blocks = new TreeMap<>();
    private long kept;
    private boolean cut;
    private String id;
    private String model;
    private StopReason stopReason;
    private String stopSequence;
    private TokenUsage usage;

    StreamAssembler(long budget) {
        this.budget = budget;
    }

    void accept(ChatEvent event) {
        if (event instanceof ChatEvent.Started started) {
            id = started.id();
            model = started.model();
        } else if (event instanceof ChatEvent.BlockStarted started) {
            start(started.index(), started.part());
        } else if (event instanceof ChatEvent.TextDelta delta) {
            append(block(delta.index(), Kind.TEXT).text, delta.text());
        } else if (event instanceof ChatEvent.ToolInputDelta delta) {
            append(block(delta.index(), Kind.TOOL).text, delta.partialJson());
        } else if (event instanceof ChatEvent.ThinkingDelta delta) {
            append(block(delta.index(), Kind.THINKING).text, delta.text());
        } else if (event instanceof ChatEvent.SignatureDelta delta) {
            append(block(delta.index(), Kind.THINKING).signature, delta.signature());
        } else if (event instanceof ChatEvent.Finished finished) {
            stopReason = finished.reason();
            stopSequence = finished.stopSequence();
        } else if (event instanceof ChatEvent.UsageReported reported) {
            usage = reported.usage();
        }
    }

    private void start(int index, Part part) {
        Block block;
        if (part instanceof Part.ToolUse use) {
            block = new Block(Kind.TOOL, use.id(), use.name());
            append(block.text, use.argumentsJson());
            // The client saw the signature inside the call's id: the captured answer shows the same id.
            if (use.signature() != null) {
                append(block.signature, use.signature());
            }
        } else if (part instanceof Part.Thinking thinking) {
            block = new Block(Kind.THINKING, null, null);
            append(block.text, thinking.text());
        } else if (part instanceof Part.RedactedThinking redacted) {
            block = new Block(Kind.REDACTED, null, null);
            append(block.text, redacted.data());
        } else {
            block = new Block(Kind.TEXT, null, null);
            if (part instanceof Part.Text text) {
                append(block.text, text.text());
            }
        }
        blocks.put(index, block);
    }

    private Block block(int index, Kind kind) {
        return blocks.computeIfAbsent(index, i -> new Block(kind, null, kind == Kind.TOOL ? "" : null));
    }

    /** Appends what the budget leaves room for, never half of a surrogate pair. */
    private void append(StringBuilder target, String piece) {
        if (piece == null || piece.isEmpty()) {
            return;
        }
        long room = budget - kept;
        int take = (int) Math.min(piece.length(), Math.max(room, 0));
        if (take < piece.length()) {
            cut = true;
            if (take > 0 && Character.isHighSurrogate(piece.charAt(take - 1))) {
                take--;
            }
        }
        target.append(piece, 0, take);
        kept += take;
    }

    /** Generated text was left out: the answer held more than the budget. */
    boolean cut() {
        return cut;
    }

    /** The answer as assembled so far, in block order. */
    ChatResponse toResponse() {
        List<Part> parts = new ArrayList<>(blocks.size());
        blocks.values().forEach(block -> parts.add(block.toPart()));
        return new ChatResponse(id, model, parts, stopReason, stopSequence, usage);
    }
}
