package dev.tollgate.relay.api.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.ChatStreamWriter;
import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Dialect;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's Responses API ({@code POST /v1/responses}) for the chat pipeline: always translated through the internal
 * model (an OpenAI upstream is called on chat completions like any other), billed and metered like chat, errors in
 * OpenAI's JSON. One instance per request, since its answer echoes that request's settings as OpenAI's does.
 */
public class OpenAiResponsesDialect extends OpenAiDialect {

    /** The validated request, for the settings a whole answer echoes. */
    private JsonNode request = Json.mapper().createObjectNode();

    public OpenAiResponsesDialect(OpenAiErrorWriter errors) {
        super(errors);
    }

    /** No adapter speaks this dialect, so the pipeline translates for every channel. */
    @Override
    public Dialect dialect() {
        return Dialect.OPENAI_RESPONSES;
    }

    @Override
    public InboundRequest validate(byte[] body) {
        InboundRequest inbound = ResponsesRequestValidator.validate(body);
        request = inbound.tree();
        return inbound;
    }

    @Override
    public ChatRequest toChat(ObjectNode tree) {
        return ResponsesRequestParser.toChat(tree);
    }

    @Override
    public long countPrompt(ObjectNode tree) {
        return ResponsesPromptCounter.count(tree);
    }

    @Override
    public byte[] writeResponse(ChatResponse response, String model) {
        return ResponsesResponseWriter.write(response, request, model);
    }

    @Override
    public ChatStreamWriter streamWriter(InboundRequest inbound, long promptTokens) {
        return new ResponsesStreamWriter(inbound.tree(), inbound.model());
    }
}
