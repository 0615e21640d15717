package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A read {@link FormUpload} for {@code /v1/audio/transcriptions} or {@code /translations} →
 * {@link InboundRequest}, or a 400 in OpenAI's words. The request's tree is the form's fields as sent plus a
 * {@value #FILE} object describing the file ({@link UploadBody}'s {@code filename}, {@code content_type},
 * {@code bytes} …, and {@code seconds} when its headers tell: see {@link AudioDuration}); the file's bytes are the
 * request's raw body. Pure.
 */
public final class TranscriptionRequestValidator {

    /** The tree's description of the uploaded file (the form's own field of that name is the file). */
    public static final String FILE = "file";
    static final Set<String> FORMATS = Set.of("json", "text", "srt", "verbose_json", "vtt");
    static final Set<String> GRANULARITIES = Set.of("word", "segment");
    static final String GRANULARITIES_FIELD = "timestamp_granularities[]";

    private TranscriptionRequestValidator() {
    }

    /** @throws Rejection INVALID_REQUEST */
    public static InboundRequest validate(FormUpload upload) {
        ObjectNode tree = upload.fields().deepCopy();
        if (tree.has(FILE)) {
            throw Rejection.invalid("Invalid 'file': expected an uploaded file, not a form field.", FILE);
        }
        FormUpload.UploadedFile audio = upload.file(FILE);
        if (audio == null || audio.bytes().length == 0) {
            throw Rejection.invalid("Missing required parameter: 'file'.", FILE);
        }
        String model = FormUpload.single(tree, "model");
        if (model == null || model.isBlank()) {
            throw Rejection.invalid("Missing required parameter: 'model'.", "model");
        }
        String format = FormUpload.single(tree, "response_format");
        if (format != null && !FORMATS.contains(format)) {
            throw Rejection.invalid("Invalid 'response_format': expected one of json, text, srt, verbose_json, vtt.",
                    "response_format");
        }
        String temperature = FormUpload.single(tree, "temperature");
        if (temperature != null && !inUnitRange(temperature)) {
            throw Rejection.invalid("Invalid 'temperature': expected a number between 0 and 1.", "temperature");
        }
        JsonNode granularities = tree.get(GRANULARITIES_FIELD);
        if (granularities != null) {
            for (JsonNode value : granularities.isArray() ? granularities : java.util.List.of(granularities)) {
                if (!GRANULARITIES.contains(value.asString())) {
                    throw Rejection.invalid("Invalid 'timestamp_granularities[]': expected word or segment.",
                            GRANULARITIES_FIELD);
                }
            }
        }
        if ("true".equals(FormUpload.single(tree, "stream"))) {
            throw Rejection.invalid("Streamed transcription is not supported here: leave 'stream' unset.", "stream");
        }
        Optional<AudioDuration.Measured> measured = AudioDuration.measure(audio.bytes());
        if (audio.fileName() == null) {
            // Sent without a file name (an SDK's stream): OpenAI tells the format by the name's suffix.
            audio = new FormUpload.UploadedFile(audio.part(), measured.map(m -> "audio." + m.suffix()).orElse("audio"),
                    audio.contentType(), audio.bytes());
        }
        UploadBody body = new UploadBody();
        ObjectNode file = body.describe(audio);
        tree.set(FILE, file);
        measured.ifPresent(m -> file.put("seconds", m.seconds()));
        return new InboundRequest(tree, body.raw(), model, false, false, null, 1);
    }

    private static boolean inUnitRange(String number) {
        try {
            double value = Double.parseDouble(number.strip());
            return value >= 0 && value <= 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
