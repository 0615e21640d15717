package dev.tollgate.relay.provider.gemini;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import dev.tollgate.relay.provider.StreamStep;
import dev.tollgate.relay.provider.UpstreamFailure;
import dev.tollgate.relay.provider.gemini.wire.GeminiPart;
import dev.tollgate.relay.provider.gemini.wire.GenerateContentResponse;
import dev.tollgate.relay.provider.gemini.wire.GenerateContentResponse.Candidate;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;

/**
 * Reads one Gemini stream ({@code streamGenerateContent?alt=sse}), chunk by chunk: each chunk is a whole
 * {@code GenerateContentResponse} with the parts generated since the last one, the finish reason on the last, and
 * the usage known so far. Gemini has no end marker: the chunk with a finish reason is the last. Text and thoughts
 * continue one block across chunks; a function call arrives whole and is one block of its own. One instance per
 * upstream stream, used from one subscriber's signals, for pass-through ({@link #toStreamStep}) or translation
 * ({@link #toChatEvents}), not both.
 */
public final class GeminiStreamTranslator {

    private enum Open {
        NONE,
        TEXT,
        THINKING
    }

    private final String upstreamModel;
    private boolean started;
    private String responseId;
    private Open open = Open.NONE;
    private int openIndex = -1;
    private int nextIndex;
    private int calls;
    private boolean finished;
    private boolean ended;

    /** @param upstreamModel the model the request went to, for an answer that names none */
    public GeminiStreamTranslator(String upstreamModel) {
        this.upstreamModel = upstreamModel;
    }

    /**
     * Pass-through: the chunk goes to the client unchanged, with its usage (cumulative), the text it generated, and
     * {@code done} on the chunk that finishes the answer.
     */
    public StreamStep toStreamStep(String data) {
        GenerateContentResponse chunk = parse(data);
        if (chunk == null) {
            // Not ours to judge: pass it on, count nothing.
            return new StreamStep(data, null, "", false);
        }
        Candidate candidate = GeminiResponseMapper.firstCandidate(chunk);
        boolean done = candidate != null && candidate.finishReason() != null || blocked(chunk);
        return new StreamStep(data, GeminiResponseMapper.toTokenUsage(chunk.usageMetadata()),
                GeminiResponseMapper.generatedText(chunk), done);
    }

    /**
     * Translation: the internal events for one chunk, in {@link ChatEvent}'s order.
     *
     * @throws UpstreamFailure.Unreachable on an error chunk: the upstream broke the stream off
     */
    public List<ChatEvent> toChatEvents(String data) {
        List<ChatEvent> events = new ArrayList<>();
        GenerateContentResponse chunk = parse(data);
        if (chunk == null || ended) {
            return events;
        }
        if (chunk.error() != null) {
            throw new UpstreamFailure.Unreachable("upstream stream error: " + chunk.error().status() + " "
                    + chunk.error().message(), null);
        }
        if (!started) {
            started = true;
            responseId = GeminiResponseMapper.responseId(chunk.responseId());
            events.add(new ChatEvent.Started(responseId,
                    chunk.modelVersion() != null ? chunk.modelVersion() : upstreamModel));
        }
        Candidate candidate = GeminiResponseMapper.firstCandidate(chunk);
        if (candidate != null && candidate.content() != null && candidate.content().parts() != null) {
            for (GeminiPart part : candidate.content().parts()) {
                onPart(part, events);
            }
        }
        if (!finished && (candidate != null && candidate.finishReason() != null || blocked(chunk))) {
            close(events);
            finished = true;
            StopReason reason = candidate == null ? GeminiResponseMapper.blocked(chunk)
                    : GeminiResponseMapper.toStopReason(candidate.finishReason(), calls > 0);
            events.add(new ChatEvent.Finished(reason, null));
        }
        TokenUsage usage = GeminiResponseMapper.toTokenUsage(chunk.usageMetadata());
        if (usage != null) {
            events.add(new ChatEvent.UsageReported(usage));
        }
        return events;
    }

    /**
     * The events due when the upstream completed the stream: {@link ChatEvent.Ended} after a finishing chunk.
     *
     * @throws UpstreamFailure.Unreachable when the stream stopped before any chunk finished the answer (a cut)
     */
    public List<ChatEvent> complete() {
        if (ended) {
            return List.of();
        }
        if (!finished) {
            throw new UpstreamFailure.Unreachable("the Gemini stream broke off before the answer finished", null);
        }
        ended = true;
        return List.of(new ChatEvent.Ended());
    }

    private void onPart(GeminiPart part, List<ChatEvent> events) {
        if (part.functionCall() != null) {
            close(events);
            int index = nextIndex++;
            GeminiPart.FunctionCall call = part.functionCall();
            String id = GeminiResponseMapper.callId(call.id(), responseId, calls++);
            // The call arrives whole, its signature with it: the block starts signed.
            events.add(new ChatEvent.BlockStarted(index,
                    new Part.ToolUse(id, call.name(), "", null, part.thoughtSignature())));
            events.add(new ChatEvent.ToolInputDelta(index, GeminiResponseMapper.arguments(call)));
            events.add(new ChatEvent.BlockStopped(index));
            return;
        }
        if (part.text() == null) {
            return; // code execution and other kinds the internal model has no block for
        }
        if (part.isThought()) {
            ensure(Open.THINKING, events);
            if (!part.text().isEmpty()) {
                events.add(new ChatEvent.ThinkingDelta(openIndex, part.text()));
            }
            if (part.thoughtSignature() != null && !part.thoughtSignature().isEmpty()) {
                events.add(new ChatEvent.SignatureDelta(openIndex, part.thoughtSignature()));
            }
        } else if (!part.text().isEmpty()) {
            // An empty text (Gemini's last chunk often has one) opens nothing.
            ensure(Open.TEXT, events);
            events.add(new ChatEvent.TextDelta(openIndex, part.text()));
        }
    }

    private void ensure(Open kind, List<ChatEvent> events) {
        if (open == kind) {
            return;
        }
        close(events);
        open = kind;
        openIndex = nextIndex++;
        events.add(new ChatEvent.BlockStarted(openIndex,
                kind == Open.TEXT ? Part.Text.of("") : new Part.Thinking("", null)));
    }

    private void close(List<ChatEvent> events) {
        if (open != Open.NONE) {
            events.add(new ChatEvent.BlockStopped(openIndex));
            open = Open.NONE;
            openIndex = -1;
        }
    }

    private static boolean blocked(GenerateContentResponse chunk) {
        return chunk.promptFeedback() != null && chunk.promptFeedback().blockReason() != null;
    }

    private static GenerateContentResponse parse(String data) {
        if (data == null || data.isBlank()) {
            return null;
        }
        try {
            return Json.mapper().readValue(data, GenerateContentResponse.class);
        } catch (JacksonException e) {
            return null;
        }
    }
}
