package dev.tollgate.relay.api.anthropic;

import dev.tollgate.relay.api.ChatStreamWriter;
import dev.tollgate.relay.api.InboundDialect;
import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.api.SseFrames;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Dialect;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/** The Anthropic Messages dialect ({@code POST /v1/messages}) for the chat pipeline. */
public class AnthropicDialect implements InboundDialect {

    private final AnthropicErrorWriter errors;

    public AnthropicDialect(AnthropicErrorWriter errors) {
        this.errors = errors;
    }

    @Override
    public Dialect dialect() {
        return Dialect.ANTHROPIC;
    }

    @Override
    public InboundRequest validate(byte[] body) {
        return AnthropicRequestValidator.validate(body);
    }

    @Override
    public ChatRequest toChat(ObjectNode tree) {
        return AnthropicRequestParser.toChat(tree);
    }

    @Override
    public long countPrompt(ObjectNode tree) {
        return AnthropicPromptCounter.count(tree);
    }

    @Override
    public byte[] writeResponse(ChatResponse response, String model) {
        return AnthropicResponseWriter.write(response, model);
    }

    @Override
    public ChatStreamWriter streamWriter(InboundRequest request, long promptTokens) {
        return new AnthropicStreamWriter(request.model(), promptTokens);
    }

    /** Anthropic's own keep-alive event, which its SDKs skip. */
    @Override
    public byte[] heartbeat() {
        return SseFrames.event("ping", "{\"type\": \"ping\"}");
    }

    @Override
    public Mono<ServerResponse> writeError(Rejection rejection, String requestId) {
        return errors.write(rejection, requestId);
    }

    @Override
    public void addIdHeaders(HttpHeaders headers, String requestId) {
        headers.set("request-id", requestId);
        headers.set("x-request-id", requestId);
    }
}
