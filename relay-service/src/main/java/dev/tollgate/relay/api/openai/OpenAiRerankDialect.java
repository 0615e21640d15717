package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.provider.Operation;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/rerank} for the chat pipeline's stages: passed through (model mapped) to OpenAI-family channels
 * whose server offers rerank (the preset's flag, or the channel's {@code config.rerank}); billed from the answer's
 * usage (tokens, or Cohere's search units as requests) and the price row's per-request price.
 */
public class OpenAiRerankDialect extends OpenAiDialect {

    public OpenAiRerankDialect(OpenAiErrorWriter errors) {
        super(errors);
    }

    @Override
    public Operation operation() {
        return Operation.RERANK;
    }

    @Override
    public InboundRequest validate(byte[] body) {
        return RerankRequestValidator.validate(body);
    }

    @Override
    public ChatRequest toChat(ObjectNode tree) {
        throw new Untranslatable("model", "Rerank has no translation to this model's provider.");
    }

    @Override
    public long countPrompt(ObjectNode tree) {
        return RerankRequestValidator.count(tree);
    }
}
