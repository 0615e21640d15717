package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.provider.Operation;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/images/generations} (JSON) for the chat pipeline's stages: passed through to OpenAI-family
 * channels only, billed per image the answer holds (and by tokens where a GPT Image model reports them).
 */
public class OpenAiImagesDialect extends OpenAiDialect {

    public OpenAiImagesDialect(OpenAiErrorWriter errors) {
        super(errors);
    }

    @Override
    public Operation operation() {
        return Operation.IMAGE_GENERATIONS;
    }

    @Override
    public InboundRequest validate(byte[] body) {
        return ImageGenerationsRequestValidator.validate(body);
    }

    @Override
    public ChatRequest toChat(ObjectNode tree) {
        throw new Untranslatable("model", "Image generations have no translation to this model's provider.");
    }

    @Override
    public long countPrompt(ObjectNode tree) {
        return TextInputs.count(tree.get("prompt"));
    }
}
