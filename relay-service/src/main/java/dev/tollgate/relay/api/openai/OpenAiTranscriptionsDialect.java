package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.provider.Operation;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/audio/transcriptions} and {@code /v1/audio/translations} (multipart/form-data) for the chat
 * pipeline's stages: passed through to OpenAI-family channels only (re-encoded, with the channel's model name),
 * billed per audio second or by the tokens the answer reports.
 */
public class OpenAiTranscriptionsDialect extends OpenAiDialect {

    /**
     * Admission's guess of a file's length when its header does not tell: 16 kbit/s, about the lowest bitrate
     * speech is uploaded at, so the guess errs long (the reservation is released when the request ends).
     */
    static final long ASSUMED_BYTES_PER_SECOND = 2_000;

    private final Operation operation;
    private final FormUploadReader uploads;

    public OpenAiTranscriptionsDialect(OpenAiErrorWriter errors, Operation operation, FormUploadReader uploads) {
        super(errors);
        if (!operation.audioUpload()) {
            throw new IllegalArgumentException(operation + " takes no audio upload");
        }
        this.operation = operation;
        this.uploads = uploads;
    }

    @Override
    public Operation operation() {
        return operation;
    }

    @Override
    public boolean multipart() {
        return true;
    }

    @Override
    public Mono<InboundRequest> readMultipart(ServerRequest request) {
        return uploads.read(request.exchange()).map(TranscriptionRequestValidator::validate);
    }

    @Override
    public InboundRequest validate(byte[] body) {
        throw Rejection.invalid("Invalid Content-Type header, expected multipart/form-data.", null);
    }

    @Override
    public ChatRequest toChat(ObjectNode tree) {
        throw new Untranslatable("model", "Audio transcriptions have no translation to this model's provider.");
    }

    /** The optional {@code prompt}'s tokens. */
    @Override
    public long countPrompt(ObjectNode tree) {
        return tree.path("prompt").isString() ? TextInputs.count(tree.get("prompt")) : 0;
    }

    /**
     * The file headers' length ({@link AudioDuration}), else a guess from the size (for the reservation only;
     * billing never guesses).
     */
    @Override
    public long reserveAudioSeconds(InboundRequest request) {
        ObjectNode file = (ObjectNode) request.tree().get(TranscriptionRequestValidator.FILE);
        if (file.path("seconds").isIntegralNumber()) {
            return file.path("seconds").longValue();
        }
        return Math.max(1, (file.path("bytes").longValue() + ASSUMED_BYTES_PER_SECOND - 1) / ASSUMED_BYTES_PER_SECOND);
    }
}
