package dev.tollgate.relay.provider.gemini;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Part;
import dev.tollgate.relay.chat.StopReason;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.provider.gemini.wire.GeminiPart;
import dev.tollgate.relay.provider.gemini.wire.GenerateContentResponse;
import dev.tollgate.relay.provider.gemini.wire.GenerateContentResponse.Candidate;
import dev.tollgate.relay.provider.gemini.wire.GenerateContentResponse.UsageMetadata;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;

/** A Gemini answer → the internal answer (the first candidate), its usage, or its generated text. Pure. */
public final class GeminiResponseMapper {

    /** Compiled once: Gemini gives most function calls no id, so a call id is made per call. */
    private static final Pattern NOT_ID_CHARACTER = Pattern.compile("[^A-Za-z0-9_-]");

    private GeminiResponseMapper() {
    }

    /**
     * A whole translated answer.
     *
     * @param upstreamModel the model the request went to, when the answer names none
     * @throws JacksonException when the body is not a GenerateContentResponse
     */
    public static ChatResponse toChatResponse(byte[] body, String upstreamModel) {
        GenerateContentResponse response = Json.mapper().readValue(body, GenerateContentResponse.class);
        String id = responseId(response.responseId());
        Candidate candidate = firstCandidate(response);
        List<Part> content = new ArrayList<>();
        boolean called = false;
        if (candidate != null && candidate.content() != null && candidate.content().parts() != null) {
            int calls = 0;
            for (GeminiPart part : candidate.content().parts()) {
                Part mapped = toPart(part, id, calls);
                if (mapped instanceof Part.ToolUse) {
                    calls++;
                    called = true;
                }
                if (mapped != null) {
                    content.add(mapped);
                }
            }
        }
        StopReason reason = candidate == null ? blocked(response) : toStopReason(candidate.finishReason(), called);
        return new ChatResponse(id, response.modelVersion() != null ? response.modelVersion() : upstreamModel,
                content, reason, null, toTokenUsage(response.usageMetadata()));
    }

    /** The usage of a whole answer, or null when it has none or is not JSON (pass-through metering). */
    public static TokenUsage usageOf(byte[] body) {
        GenerateContentResponse response = read(body);
        return response == null ? null : toTokenUsage(response.usageMetadata());
    }

    /** What a whole answer generated (text, thoughts, function names and arguments), for counting. */
    public static String generatedText(byte[] body) {
        GenerateContentResponse response = read(body);
        return response == null ? "" : generatedText(response);
    }

    static String generatedText(GenerateContentResponse response) {
        StringBuilder text = new StringBuilder();
        Candidate candidate = firstCandidate(response);
        if (candidate == null || candidate.content() == null || candidate.content().parts() == null) {
            return "";
        }
        for (GeminiPart part : candidate.content().parts()) {
            if (part.text() != null) {
                text.append(part.text());
            } else if (part.functionCall() != null) {
                text.append(part.functionCall().name()).append(arguments(part.functionCall()));
            }
        }
        return text.toString();
    }

    /** A successful pass-through answer: the body unchanged, its usage, or its text when it reported none. */
    public static UpstreamResult.Answered toAnswered(int status, String contentType, byte[] body) {
        TokenUsage usage = usageOf(body);
        return new UpstreamResult.Answered(status, contentType, body, usage, usage == null ? generatedText(body) : "");
    }

    /**
     * Gemini's report in disjoint classes: its prompt count includes the cached tokens (input = prompt − cached),
     * and its candidates count leaves out the thoughts (output = candidates + thoughts, reasoning = thoughts).
     * Server tools' prompt tokens are input too.
     */
    static TokenUsage toTokenUsage(UsageMetadata usage) {
        if (usage == null || usage.promptTokenCount() == null && usage.candidatesTokenCount() == null
                && usage.thoughtsTokenCount() == null) {
            return null;
        }
        long prompt = orZero(usage.promptTokenCount()) + orZero(usage.toolUsePromptTokenCount());
        long cached = Math.min(orZero(usage.cachedContentTokenCount()), prompt);
        long thoughts = orZero(usage.thoughtsTokenCount());
        long output = orZero(usage.candidatesTokenCount()) + thoughts;
        return new TokenUsage(prompt - cached, cached, 0, output, thoughts, 0, 0, 0);
    }

    /**
     * Gemini says STOP when it ends in function calls, and STOP when a stop sequence matched (without saying
     * which): both read as their own reason where they can be told apart.
     */
    static StopReason toStopReason(String finishReason, boolean calledFunctions) {
        if (calledFunctions && (finishReason == null || "STOP".equals(finishReason))) {
            return StopReason.TOOL_USE;
        }
        if (finishReason == null) {
            return StopReason.END_TURN;
        }
        return switch (finishReason) {
            case "MAX_TOKENS" -> StopReason.MAX_TOKENS;
            case "SAFETY", "RECITATION", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII", "IMAGE_SAFETY",
                    "IMAGE_PROHIBITED_CONTENT", "IMAGE_RECITATION" -> StopReason.CONTENT_FILTERED;
            default -> StopReason.END_TURN;
        };
    }

    /** No candidate: the prompt was blocked (promptFeedback), or the answer is empty. */
    static StopReason blocked(GenerateContentResponse response) {
        return response.promptFeedback() != null && response.promptFeedback().blockReason() != null
                ? StopReason.CONTENT_FILTERED : StopReason.END_TURN;
    }

    /**
     * One part as the internal model has it, or null for a kind it has no part for (code execution, inline
     * output data). A function call without an id gets one made of the answer's id and its position.
     */
    static Part toPart(GeminiPart part, String responseId, int callIndex) {
        if (part.functionCall() != null) {
            GeminiPart.FunctionCall call = part.functionCall();
            return new Part.ToolUse(callId(call.id(), responseId, callIndex), call.name(), arguments(call), null,
                    part.thoughtSignature());
        }
        if (part.text() != null) {
            return part.isThought() ? new Part.Thinking(part.text(), part.thoughtSignature()) : Part.Text.of(part.text());
        }
        return null;
    }

    /** The call's own id when Gemini gave one; else {@code call_<answer id>_<n>}, the same each time it is read. */
    static String callId(String id, String responseId, int callIndex) {
        if (id != null && !id.isBlank()) {
            return id;
        }
        return "call_" + NOT_ID_CHARACTER.matcher(responseId).replaceAll("_") + "_" + callIndex;
    }

    /** The answer's id, or a fresh one when Gemini gave none (older API versions). */
    static String responseId(String id) {
        return id == null || id.isBlank() ? UUID.randomUUID().toString().replace("-", "") : id;
    }

    static String arguments(GeminiPart.FunctionCall call) {
        return call.args() == null || call.args().isNull() ? "{}" : Json.mapper().writeValueAsString(call.args());
    }

    static Candidate firstCandidate(GenerateContentResponse response) {
        List<Candidate> candidates = response.candidates();
        return candidates == null || candidates.isEmpty() ? null : candidates.get(0);
    }

    private static GenerateContentResponse read(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return Json.mapper().readValue(body, GenerateContentResponse.class);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static long orZero(Long value) {
        return value == null ? 0 : Math.max(value, 0);
    }
}
