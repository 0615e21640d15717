package dev.tollgate.relay.api.gemini;

import dev.tollgate.relay.api.ChatStreamWriter;
import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.ChatResponse;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Gemini dialect for one request: Gemini names the model and the stream in the URL
 * ({@code /v1beta/models/{model}:generateContent}, {@code :streamGenerateContent}), not in the body, so each
 * request gets a dialect that knows its route. A stream asked without {@code alt=sse} is Google's JSON-array form;
 * it is served as a whole answer in a one-element array (valid in that form, only not incremental).
 */
public final class GeminiDialect extends GeminiRouteDialect {

    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    private final boolean sse;
    private final boolean array;

    /**
     * @param model  the model named in the URL
     * @param stream the method was {@code streamGenerateContent}
     * @param sse    the client asked for {@code alt=sse}
     */
    public GeminiDialect(GeminiErrorWriter errors, String model, boolean stream, boolean sse) {
        super(errors, model);
        this.sse = stream && sse;
        this.array = stream && !sse;
    }

    @Override
    public InboundRequest validate(byte[] body) {
        return GeminiRequestValidator.validate(body, model, sse);
    }

    @Override
    public ChatRequest toChat(ObjectNode tree) {
        return GeminiRequestParser.toChat(tree, model, sse);
    }

    @Override
    public long countPrompt(ObjectNode tree) {
        return GeminiPromptCounter.count(tree);
    }

    @Override
    public byte[] writeResponse(ChatResponse response, String model) {
        return passThroughBody(GeminiResponseWriter.write(response, model));
    }

    @Override
    public byte[] passThroughBody(byte[] body) {
        if (!array) {
            return body;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 2);
        out.write('[');
        out.writeBytes(body);
        out.write(']');
        return out.toByteArray();
    }

    @Override
    public ChatStreamWriter streamWriter(InboundRequest request, long promptTokens) {
        return new GeminiStreamWriter(request.model(), promptTokens);
    }

    /** An SSE comment: Google's SDKs skip lines that start with a colon. */
    @Override
    public byte[] heartbeat() {
        return KEEP_ALIVE.clone();
    }
}
