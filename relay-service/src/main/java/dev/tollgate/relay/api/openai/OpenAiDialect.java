package dev.tollgate.relay.api.openai;

import dev.tollgate.relay.api.ChatStreamWriter;
import dev.tollgate.relay.api.InboundDialect;
import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Dialect;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/** The OpenAI chat dialect ({@code POST /v1/chat/completions}) for the chat pipeline. */
public class OpenAiDialect implements InboundDialect {

    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final OpenAiErrorWriter errors;

    public OpenAiDialect(OpenAiErrorWriter errors) {
        this.errors = errors;
    }

    @Override
    public Dialect dialect() {
        return Dialect.OPENAI;
    }

    @Override
    public InboundRequest validate(byte[] body) {
        return ChatRequestValidator.validate(body);
    }

    @Override
    public ChatRequest toChat(ObjectNode tree) {
        return OpenAiRequestParser.toChat(tree);
    }

    @Override
    public long countPrompt(ObjectNode tree) {
        return OpenAiPromptCounter.count(tree);
    }

    @Override
    public byte[] writeResponse(ChatResponse response, String model) {
        return OpenAiResponseWriter.write(response, model);
    }

    @Override
    public ChatStreamWriter streamWriter(InboundRequest request, long promptTokens) {
        return new OpenAiStreamWriter(request.model(), request.includeUsage());
    }

    /** An SSE comment: every OpenAI client skips it. */
    @Override
    public byte[] heartbeat() {
        return KEEP_ALIVE.clone();
    }

    @Override
    public Mono<ServerResponse> writeError(Rejection rejection, String requestId) {
        return errors.write(rejection, requestId);
    }

    @Override
    public void addIdHeaders(HttpHeaders headers, String requestId) {
        headers.set(OpenAiErrorWriter.REQUEST_ID_HEADER, requestId);
    }
}
