package dev.tollgate.relay.api;

import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.chat.EmbeddingRequest;
import dev.tollgate.relay.chat.EmbeddingResponse;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.provider.Operation;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the chat pipeline needs to know about one inbound dialect: how its requests are read and checked, how
 * they become the internal model when the upstream speaks another dialect, and how answers, streams and errors
 * are written back in it. One implementation per dialect in {@code api/<dialect>/}.
 */
public interface InboundDialect {

    Dialect dialect();

    /** The endpoint this dialect's requests are for: chat unless it says otherwise. */
    default Operation operation() {
        return Operation.CHAT;
    }

    /** True when this dialect's requests are multipart uploads, read by {@link #readMultipart}, not one JSON body. */
    default boolean multipart() {
        return false;
    }

    /** A multipart request read and checked (within the dialect's own limits), or a {@link Rejection}. */
    default Mono<InboundRequest> readMultipart(ServerRequest request) {
        return Mono.error(new UnsupportedOperationException("not a multipart dialect"));
    }

    /** Audio seconds admission reserves for the request (a transcription's file); 0 for everything else. */
    default long reserveAudioSeconds(InboundRequest request) {
        return 0;
    }

    /** Client bytes → a checked request, or a {@link Rejection} in the dialect's words. */
    InboundRequest validate(byte[] body);

    /**
     * A customer key this dialect's clients may send outside the headers (Gemini's {@code ?key=}), or null. A key in
     * the headers wins.
     */
    default String queryKey(ServerRequest request) {
        return null;
    }

    /** The request in the internal model, for an upstream of another dialect; may throw {@code Untranslatable}. */
    ChatRequest toChat(ObjectNode tree);

    /**
     * An embeddings request in the internal model, for an upstream of another dialect; only dialects whose
     * operation is embeddings have one. May throw {@code Untranslatable}.
     */
    default EmbeddingRequest toEmbeddings(ObjectNode tree) {
        throw new Untranslatable("model", "This endpoint has no translation to this model's provider.");
    }

    /**
     * A translated embeddings answer in this dialect's JSON.
     *
     * @param promptTokens the local count of the input, reported when the upstream reported no usage
     */
    default byte[] writeEmbeddings(EmbeddingResponse response, InboundRequest request, long promptTokens) {
        throw new UnsupportedOperationException("not an embeddings dialect");
    }

    /** A local estimate of the prompt's tokens, for admission. */
    long countPrompt(ObjectNode tree);

    /** A translated whole answer in this dialect's JSON. */
    byte[] writeResponse(ChatResponse response, String model);

    /**
     * A whole pass-through answer's body as this request's client takes it: the upstream's bytes as they are,
     * unless the request's form wraps them (Gemini's non-SSE stream is a JSON array of answers).
     */
    default byte[] passThroughBody(byte[] body) {
        return body;
    }

    /** A new writer for one translated stream. */
    ChatStreamWriter streamWriter(InboundRequest request, long promptTokens);

    /** A frame a client of this dialect ignores, sent on quiet streams so proxies do not cut them as idle. */
    byte[] heartbeat();

    /** This dialect's error answer. */
    Mono<ServerResponse> writeError(Rejection rejection, String requestId);

    /** Headers every answer in this dialect carries (the request id under the dialect's own name). */
    void addIdHeaders(HttpHeaders headers, String requestId);
}
