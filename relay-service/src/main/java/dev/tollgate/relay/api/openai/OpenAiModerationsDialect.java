package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.provider.Operation;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/moderations} for the chat pipeline's stages: passed through to OpenAI-family channels only,
 * billed per request by the model's price row (a moderation model needs one, like any model: admission refuses an
 * unpriced model; a row of zeros makes it free).
 */
public class OpenAiModerationsDialect extends OpenAiDialect {

    public OpenAiModerationsDialect(OpenAiErrorWriter errors) {
        super(errors);
    }

    @Override
    public Operation operation() {
        return Operation.MODERATIONS;
    }

    @Override
    public InboundRequest validate(byte[] body) {
        return ModerationsRequestValidator.validate(body);
    }

    @Override
    public ChatRequest toChat(ObjectNode tree) {
        throw new Untranslatable("model", "Moderations have no translation to this model's provider.");
    }

    @Override
    public long countPrompt(ObjectNode tree) {
        return ModerationsRequestValidator.count(tree);
    }
}
