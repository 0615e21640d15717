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
 * {@code POST /v1/images/edits} (multipart/form-data) for the chat pipeline's stages: passed through to
 * OpenAI-family channels only (re-encoded, with the channel's model name), billed like generations — per image the
 * answer holds, plus the tokens GPT Image models report (the input images' tokens among the input).
 */
public class OpenAiImageEditsDialect extends OpenAiDialect {

    private final FormUploadReader uploads;

    public OpenAiImageEditsDialect(OpenAiErrorWriter errors, FormUploadReader uploads) {
        super(errors);
        this.uploads = uploads;
    }

    @Override
    public Operation operation() {
        return Operation.IMAGE_EDITS;
    }

    @Override
    public boolean multipart() {
        return true;
    }

    @Override
    public Mono<InboundRequest> readMultipart(ServerRequest request) {
        return uploads.read(request.exchange()).map(ImageEditsRequestValidator::validate);
    }

    @Override
    public InboundRequest validate(byte[] body) {
        throw Rejection.invalid("Invalid Content-Type header, expected multipart/form-data.", null);
    }

    @Override
    public ChatRequest toChat(ObjectNode tree) {
        throw new Untranslatable("model", "Image edits have no translation to this model's provider.");
    }

    /** The prompt's tokens; the images' tokens are known only from the answer, as for generations' output. */
    @Override
    public long countPrompt(ObjectNode tree) {
        return TextInputs.count(tree.get("prompt"));
    }
}
