package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.provider.Operation;
import tools.jackson.databind.node.ObjectNode;

/**
 * The legacy {@code POST /v1/completions} for the chat pipeline's stages: passed through to OpenAI-family
 * channels only (plain or streamed, usage forced on upstream like chat's), billed like chat.
 */
public class OpenAiCompletionsDialect extends OpenAiDialect {

    public OpenAiCompletionsDialect(OpenAiErrorWriter errors) {
        super(errors);
    }

    @Override
    public Operation operation() {
        return Operation.COMPLETIONS;
    }

    @Override
    public InboundRequest validate(byte[] body) {
        return CompletionsRequestValidator.validate(body);
    }

    @Override
    public ChatRequest toChat(ObjectNode tree) {
        throw new Untranslatable("model", "Legacy completions have no translation to this model's provider.");
    }

    @Override
    public long countPrompt(ObjectNode tree) {
        return TextInputs.count(tree.get("prompt"));
    }
}
