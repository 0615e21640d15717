package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.EmbeddingRequest;
import dev.tollgate.relay.chat.EmbeddingResponse;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.provider.Operation;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/embeddings} for the chat pipeline's stages (auth, limits, routing, admission, failover, usage):
 * passed through to OpenAI-family channels, translated through the internal embeddings model for Gemini's; priced
 * by the input tokens the upstream reports (Gemini reports none: the relay's own count, marked estimated).
 */
public class OpenAiEmbeddingsDialect extends OpenAiDialect {

    public OpenAiEmbeddingsDialect(OpenAiErrorWriter errors) {
        super(errors);
    }

    @Override
    public Operation operation() {
        return Operation.EMBEDDINGS;
    }

    @Override
    public InboundRequest validate(byte[] body) {
        return EmbeddingsRequestValidator.validate(body);
    }

    @Override
    public ChatRequest toChat(ObjectNode tree) {
        throw new Untranslatable("model", "Embeddings have no translation to this model's provider.");
    }

    @Override
    public EmbeddingRequest toEmbeddings(ObjectNode tree) {
        return EmbeddingsRequestParser.toEmbeddings(tree);
    }

    @Override
    public byte[] writeEmbeddings(EmbeddingResponse response, InboundRequest request, long promptTokens) {
        boolean base64 = "base64".equals(request.tree().path("encoding_format").asString(""));
        return EmbeddingsResponseWriter.write(response, request.model(), base64, promptTokens);
    }

    @Override
    public long countPrompt(ObjectNode tree) {
        return TextInputs.count(tree.get("input"));
    }
}
