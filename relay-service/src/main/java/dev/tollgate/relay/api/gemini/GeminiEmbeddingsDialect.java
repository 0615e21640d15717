package dev.tollgate.relay.api.gemini;

import dev.tollgate.relay.api.ChatStreamWriter;
import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.EmbeddingRequest;
import dev.tollgate.relay.chat.EmbeddingResponse;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.provider.Operation;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1beta/models/{model}:embedContent} and {@code :batchEmbedContents} through the chat pipeline's stages
 * as the embeddings operation: always translated through the internal embeddings model, so any channel that serves
 * the model's embeddings answers (OpenAI, Azure, the compatible servers, Gemini); metered and billed like
 * {@code /v1/embeddings}. Never a stream.
 */
public final class GeminiEmbeddingsDialect extends GeminiRouteDialect {

    private final boolean batch;

    /**
     * @param model the model named in the URL
     * @param batch the method was {@code batchEmbedContents}
     */
    public GeminiEmbeddingsDialect(GeminiErrorWriter errors, String model, boolean batch) {
        super(errors, model);
        this.batch = batch;
    }

    @Override
    public Operation operation() {
        return Operation.EMBEDDINGS;
    }

    @Override
    public InboundRequest validate(byte[] body) {
        return GeminiEmbeddingsRequestValidator.validate(body, model, batch);
    }

    @Override
    public ChatRequest toChat(ObjectNode tree) {
        throw new Untranslatable("model", "Embeddings have no chat translation.");
    }

    @Override
    public EmbeddingRequest toEmbeddings(ObjectNode tree) {
        return GeminiEmbeddingsRequestParser.toEmbeddings(tree);
    }

    @Override
    public byte[] writeEmbeddings(EmbeddingResponse response, InboundRequest request, long promptTokens) {
        return GeminiEmbeddingsResponseWriter.write(response, batch);
    }

    @Override
    public long countPrompt(ObjectNode tree) {
        return GeminiEmbeddingsRequestParser.count(tree);
    }

    @Override
    public byte[] writeResponse(ChatResponse response, String model) {
        throw new UnsupportedOperationException("embeddings are never a chat answer");
    }

    @Override
    public ChatStreamWriter streamWriter(InboundRequest request, long promptTokens) {
        throw new UnsupportedOperationException("embeddings are never streamed");
    }

    @Override
    public byte[] heartbeat() {
        return new byte[0];
    }
}
