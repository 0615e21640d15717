package dev.tollgate.relay.provider.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.provider.UpstreamResult;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * What a transcription or translation answer bills, in this order: the seconds the answer states (its
 * {@code verbose_json} {@code duration}, or a {@code usage} of type {@code duration}); the tokens it reports
 * (gpt-4o-transcribe's {@code usage} of type {@code tokens}: {@code input_tokens}, audio ones included, and
 * {@code output_tokens}); the length the uploaded file's own headers state (WAV, MP3, Ogg Vorbis/Opus, M4A: read by
 * the transcriptions dialect into {@code file.seconds}); else nothing — the usage event is then marked estimated
 * with no seconds, since a length guessed from the file's size is not billed. Seconds are rounded
 * up. Pure.
 */
public final class OpenAiAudioUsage {

    private OpenAiAudioUsage() {
    }

    /** @param request the inbound request's tree, whose {@code file.seconds} is the file headers' length if known */
    public static UpstreamResult.Answered toAnswered(JsonNode request, int status, String contentType, byte[] body) {
        return new UpstreamResult.Answered(status, contentType, body, usage(request, body), "");
    }

    static TokenUsage usage(JsonNode request, byte[] body) {
        JsonNode answer = json(body);
        if (answer != null) {
            JsonNode usage = answer.path("usage");
            if (answer.path("duration").isNumber()) {
                return seconds(answer.path("duration").doubleValue());
            }
            if ("duration".equals(usage.path("type").asString("")) && usage.path("seconds").isNumber()) {
                return seconds(usage.path("seconds").doubleValue());
            }
            if (usage.path("input_tokens").isIntegralNumber() || usage.path("output_tokens").isIntegralNumber()) {
                return TokenUsage.ofTokens(usage.path("input_tokens").asLong(0), usage.path("output_tokens").asLong(0));
            }
        }
        JsonNode fileSeconds = request == null ? null : request.path("file").path("seconds");
        if (fileSeconds != null && fileSeconds.isIntegralNumber()) {
            return audioSeconds(fileSeconds.longValue());
        }
        return null;
    }

    private static TokenUsage seconds(double seconds) {
        return audioSeconds(seconds <= 0 || Double.isNaN(seconds) ? 0 : (long) Math.ceil(seconds));
    }

    private static TokenUsage audioSeconds(long seconds) {
        return new TokenUsage(0, 0, 0, 0, 0, 0, 0, seconds);
    }

    /** The body as a JSON object, or null (the text, srt and vtt formats are not JSON). */
    private static JsonNode json(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode tree = Json.mapper().readTree(body);
            return tree != null && tree.isObject() ? tree : null;
        } catch (JacksonException e) {
            return null;
        }
    }
}
