package dev.tollgate.relay.provider.bedrock;

import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.Part;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ReasoningContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlockStart;

/**
 * {@code ConverseStream} events → {@link ChatEvent}s in their required order, for one stream (not thread-safe; a
 * stream's events arrive one at a time). Bedrock starts only tool-use blocks explicitly: a delta for a block not yet
 * started starts it (text or reasoning). Blocks are renumbered 0, 1, … in the order they begin, one open at a time.
 */
final class BedrockStreamTranslator {

    private final String id;
    private final String model;
    private boolean started;
    private int upstreamIndex = -1;
    private int openIndex = -1;
    private int nextIndex;
    private boolean finished;
    private boolean ended;

    /**
     * @param id    the answer's id (Converse streams carry none)
     * @param model the upstream model id the request went to
     */
    BedrockStreamTranslator(String id, String model) {
        this.id = id;
        this.model = model;
    }

    List<ChatEvent> translate(ConverseStreamOutput event) {
        List<ChatEvent> events = new ArrayList<>(3);
        if (ended) {
            return events;
        }
        if (!started) {
            started = true;
            events.add(new ChatEvent.Started(id, model));
        }
        if (event instanceof MessageStartEvent) {
            return events;
        }
        if (event instanceof ContentBlockStartEvent start) {
            onStart(start, events);
        } else if (event instanceof ContentBlockDeltaEvent delta) {
            onDelta(delta, events);
        } else if (event instanceof ContentBlockStopEvent stop) {
            if (openIndex >= 0 && index(stop.contentBlockIndex()) == upstreamIndex) {
                close(events);
            }
        } else if (event instanceof MessageStopEvent stop) {
            close(events);
            finished = true;
            events.add(new ChatEvent.Finished(BedrockResponseMapper.toStopReason(stop.stopReasonAsString()),
                    BedrockResponseMapper.stopSequence(stop.additionalModelResponseFields())));
        } else if (event instanceof ConverseStreamMetadataEvent metadata) {
            // The last event of a whole stream.
            TokenUsage usage = BedrockResponseMapper.toUsage(metadata.usage());
            if (usage != null) {
                events.add(new ChatEvent.UsageReported(usage));
            }
            close(events);
            ended = true;
            events.add(new ChatEvent.Ended());
        }
        return events;
    }

    /** The upstream finished the message ({@code messageStop}). */
    boolean finished() {
        return finished;
    }

    /**
     * The events due when the upstream completed the stream: {@link ChatEvent.Ended} when it finished the message
     * but sent no metadata; nothing when it stopped before finishing (that is a cut, not an end).
     */
    List<ChatEvent> complete() {
        if (ended || !finished) {
            return List.of();
        }
        ended = true;
        return List.of(new ChatEvent.Ended());
    }

    private void onStart(ContentBlockStartEvent start, List<ChatEvent> events) {
        ToolUseBlockStart toolUse = start.start() == null ? null : start.start().toolUse();
        if (toolUse == null) {
            return; // a start without a tool use (none known today): its first delta opens it
        }
        open(index(start.contentBlockIndex()), new Part.ToolUse(toolUse.toolUseId(), toolUse.name(), "", null),
                events);
    }

    private void onDelta(ContentBlockDeltaEvent event, List<ChatEvent> events) {
        ContentBlockDelta delta = event.delta();
        if (delta == null) {
            return;
        }
        int upstream = index(event.contentBlockIndex());
        boolean open = openIndex >= 0 && upstream == upstreamIndex;
        if (delta.text() != null) {
            if (!open) {
                open(upstream, Part.Text.of(""), events);
            }
            events.add(new ChatEvent.TextDelta(openIndex, delta.text()));
        } else if (delta.toolUse() != null) {
            if (!open) {
                open(upstream, new Part.ToolUse(null, "", "", null), events);
            }
            if (delta.toolUse().input() != null && !delta.toolUse().input().isEmpty()) {
                events.add(new ChatEvent.ToolInputDelta(openIndex, delta.toolUse().input()));
            }
        } else if (delta.reasoningContent() != null) {
            onReasoning(upstream, open, delta.reasoningContent(), events);
        }
    }

    private void onReasoning(int upstream, boolean open, ReasoningContentBlockDelta reasoning, List<ChatEvent> events) {
        if (reasoning.redactedContent() != null) {
            if (!open) {
                open(upstream, new Part.RedactedThinking(BedrockResponseMapper.redactedData(reasoning.redactedContent())),
                        events);
            }
            return;
        }
        if (!open) {
            open(upstream, new Part.Thinking("", null), events);
        }
        if (reasoning.text() != null) {
            events.add(new ChatEvent.ThinkingDelta(openIndex, reasoning.text()));
        }
        if (reasoning.signature() != null) {
            events.add(new ChatEvent.SignatureDelta(openIndex, reasoning.signature()));
        }
    }

    private void open(int upstream, Part part, List<ChatEvent> events) {
        close(events); // one block open at a time, even if the upstream skipped a stop
        upstreamIndex = upstream;
        openIndex = nextIndex++;
        events.add(new ChatEvent.BlockStarted(openIndex, part));
    }

    private void close(List<ChatEvent> events) {
        if (openIndex >= 0) {
            events.add(new ChatEvent.BlockStopped(openIndex));
            openIndex = -1;
            upstreamIndex = -1;
        }
    }

    private static int index(Integer contentBlockIndex) {
        return contentBlockIndex == null ? 0 : contentBlockIndex;
    }
}
