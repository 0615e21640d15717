package dev.tollgate.relay.api;

import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.auth.Principal;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.chat.EmbeddingRequest;
import dev.tollgate.relay.chat.EmbeddingResponse;
import dev.tollgate.relay.chat.Untranslatable;
import dev.tollgate.relay.provider.Operation;
import dev.tollgate.relay.provider.StreamStep;
import dev.tollgate.relay.snapshot.Channel;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Flux;
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

    /** {@link #passThroughBody(byte[])} of an answer from {@code channel} (a dialect may name it in ids it shows). */
    default byte[] passThroughBody(byte[] body, Channel channel) {
        return passThroughBody(body);
    }

    /**
     * A pass-through stream from {@code channel} as the client gets it: as it is, by default (no operator added to
     * the stream, which is the hot path).
     */
    default Flux<StreamStep> passThroughSteps(Flux<StreamStep> steps, Channel channel) {
        return steps;
    }

    /**
     * A request that continues state kept upstream (a stored response), resolved for its caller before routing.
     *
     * @param request   the request to send on (the ids in it as the upstream knows them)
     * @param channelId the channel that keeps the state, which alone may serve it; null for any channel
     * @param param     the request's field that named the state (for a refusal), or null
     * @param reference the client's name for the state (for a refusal), or null
     */
    record Resolved(InboundRequest request, Long channelId, String param, String reference) {

        public static Resolved any(InboundRequest request) {
            return new Resolved(request, null, null, null);
        }
    }

    /**
     * The request resolved for {@code principal}: most dialects keep no state upstream, so any channel may serve
     * it as it is. May throw a {@link Rejection} (state the caller may not name).
     */
    default Resolved resolve(InboundRequest request, Principal principal) {
        return Resolved.any(request);
    }

    /**
     * What a successful whole pass-through answer that reported no usage is billed: null to count its text (most
     * dialects). A dialect whose answer may come before the work is done (a background response) bills its bound.
     */
    default TokenUsage unreportedUsage(InboundRequest request, long promptTokens) {
        return null;
    }

    /**
     * A writer for one pass-through stream: only its {@link ChatStreamWriter#cutShort} is used, for what the client
     * is told when the upstream breaks off. The translated stream's writer by default.
     */
    default ChatStreamWriter passThroughWriter(InboundRequest request, long promptTokens) {
        return streamWriter(request, promptTokens);
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
