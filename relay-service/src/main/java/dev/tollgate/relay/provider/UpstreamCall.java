package dev.tollgate.relay.provider;

import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.chat.EmbeddingRequest;
import dev.tollgate.relay.snapshot.Channel;
import tools.jackson.databind.node.ObjectNode;

/**
 * One chat call to make upstream.
 *
 * @param channel          where to send it (with its decrypted key and config)
 * @param inbound          the dialect the client spoke
 * @param request          the client's request tree, in the {@code inbound} dialect (not to be modified)
 * @param rawBody          the client's bytes of that request, reused when nothing needs to change
 * @param askedModel       the model the client asked for (mapped to the upstream's name by the channel)
 * @param clientWantsUsage the client asked for usage in its stream (OpenAI {@code stream_options.include_usage})
 * @param chat             the request in the internal model when it must be translated (the adapter's dialect
 *                         differs from {@code inbound}); null for a pass-through call
 * @param operation        the endpoint the call is for (chat unless said)
 * @param embeddings       an embeddings request in the internal model when it must be translated; else null
 */
public record UpstreamCall(Channel channel, Dialect inbound, ObjectNode request, byte[] rawBody, String askedModel,
        boolean clientWantsUsage, ChatRequest chat, Operation operation, EmbeddingRequest embeddings) {

    public UpstreamCall {
        operation = operation == null ? Operation.CHAT : operation;
    }

    /** A call with no embeddings to translate. */
    public UpstreamCall(Channel channel, Dialect inbound, ObjectNode request, byte[] rawBody, String askedModel,
            boolean clientWantsUsage, ChatRequest chat, Operation operation) {
        this(channel, inbound, request, rawBody, askedModel, clientWantsUsage, chat, operation, null);
    }

    /** An embeddings call to translate into the upstream's own embedding request. */
    public static UpstreamCall embeddings(Channel channel, Dialect inbound, ObjectNode request, byte[] rawBody,
            String askedModel, EmbeddingRequest embeddings) {
        return new UpstreamCall(channel, inbound, request, rawBody, askedModel, false, null, Operation.EMBEDDINGS,
                embeddings);
    }

    /** A chat call. */
    public UpstreamCall(Channel channel, Dialect inbound, ObjectNode request, byte[] rawBody, String askedModel,
            boolean clientWantsUsage, ChatRequest chat) {
        this(channel, inbound, request, rawBody, askedModel, clientWantsUsage, chat, Operation.CHAT);
    }

    /** A pass-through call. */
    public UpstreamCall(Channel channel, Dialect inbound, ObjectNode request, byte[] rawBody, String askedModel,
            boolean clientWantsUsage) {
        this(channel, inbound, request, rawBody, askedModel, clientWantsUsage, null);
    }

    /** A chat call to translate (see {@link #embeddingsTranslated()} for embeddings). */
    public boolean translated() {
        return chat != null;
    }

    /** An embeddings call whose request comes in the internal model, not as the client's body. */
    public boolean embeddingsTranslated() {
        return embeddings != null;
    }

    /** The model name the upstream knows the asked model by. */
    public String upstreamModel() {
        return channel.upstreamModel(askedModel);
    }
}
