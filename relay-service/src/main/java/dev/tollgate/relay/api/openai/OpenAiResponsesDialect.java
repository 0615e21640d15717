package dev.tollgate.relay.api.openai;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.TokenUsage;
import dev.tollgate.relay.api.ChatStreamWriter;
import dev.tollgate.relay.api.InboundRequest;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.auth.Principal;
import dev.tollgate.relay.chat.ChatEvent;
import dev.tollgate.relay.chat.ChatRequest;
import dev.tollgate.relay.chat.ChatResponse;
import dev.tollgate.relay.chat.Dialect;
import dev.tollgate.relay.provider.Operation;
import dev.tollgate.relay.provider.StreamStep;
import dev.tollgate.relay.snapshot.Channel;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * OpenAI's Responses API ({@code POST /v1/responses}) for the chat pipeline. On a channel that serves the API
 * itself (OpenAI, Azure; see {@code ResponsesCapability}) the request passes through and the upstream's answer or
 * events come back as they are, but for the response ids, which name the channel ({@link ResponseIds}) so that a
 * follow-up ({@code previous_response_id}) reaches the same upstream account through any relay. Every other channel
 * is reached through the internal model, where stateful fields are refused. Billed and metered like chat, errors in
 * OpenAI's JSON. One instance per request, since its answer echoes that request's settings as OpenAI's does.
 */
public class OpenAiResponsesDialect extends OpenAiDialect {

    /** The validated request, for the settings a whole answer echoes. */
    private JsonNode request = Json.mapper().createObjectNode();
    /** Who is calling (known once resolved), whose ids the answer shows. */
    private long userId;
    /** A native stream's events sent so far, and the last that carried the response (as the client saw it). */
    private long eventsSent;
    private String lastResponseEvent;

    public OpenAiResponsesDialect(OpenAiErrorWriter errors) {
        super(errors);
    }

    /** Inbound only: an adapter passes it through where its channel serves it ({@code passesThrough}). */
    @Override
    public Dialect dialect() {
        return Dialect.OPENAI_RESPONSES;
    }

    @Override
    public Operation operation() {
        return Operation.RESPONSES;
    }

    @Override
    public InboundRequest validate(byte[] body) {
        InboundRequest inbound = ResponsesRequestValidator.validate(body);
        request = inbound.tree();
        return inbound;
    }

    /**
     * A {@code previous_response_id} is read back to the upstream's id and pins the request to the channel that made
     * it; an id the relay did not make, or made for another user, is "not found", as OpenAI says of it.
     */
    @Override
    public Resolved resolve(InboundRequest inbound, Principal principal) {
        userId = principal.userId();
        if (background(inbound) && !inbound.stream() && inbound.maxTokens() == null) {
            throw Rejection.invalid("'background' needs 'max_output_tokens' here: a background response is billed "
                    + "when it is created, by its prompt and that limit, since its usage comes after the request ends.",
                    "max_output_tokens");
        }
        JsonNode previous = inbound.tree().get(ResponsesRequestValidator.PREVIOUS_RESPONSE_ID);
        if (previous == null || previous.isNull()) {
            return Resolved.any(inbound);
        }
        String shown = previous.asString();
        Optional<ResponseIds.Decoded> decoded = ResponseIds.decode(shown).filter(id -> id.userId() == userId);
        if (decoded.isEmpty()) {
            throw Rejection.invalid("Previous response with id '" + shown + "' not found.",
                    ResponsesRequestValidator.PREVIOUS_RESPONSE_ID);
        }
        ObjectNode tree = inbound.tree().deepCopy();
        tree.put(ResponsesRequestValidator.PREVIOUS_RESPONSE_ID, decoded.get().upstreamId());
        InboundRequest resolved = new InboundRequest(tree, Json.mapper().writeValueAsBytes(tree), inbound.model(),
                inbound.stream(), inbound.includeUsage(), inbound.maxTokens(), inbound.choices());
        return new Resolved(resolved, decoded.get().channelId(), ResponsesRequestValidator.PREVIOUS_RESPONSE_ID,
                shown);
    }

    /** A queued background response reports no usage yet: billed by its prompt and its output limit. */
    @Override
    public TokenUsage unreportedUsage(InboundRequest inbound, long promptTokens) {
        return background(inbound) ? TokenUsage.ofTokens(promptTokens, inbound.maxTokens()) : null;
    }

    private static boolean background(InboundRequest inbound) {
        return inbound.tree().path("background").booleanValue(false);
    }

    @Override
    public byte[] passThroughBody(byte[] body, Channel channel) {
        return new ResponsesIdRewriter(channel.id(), userId).body(body);
    }

    @Override
    public Flux<StreamStep> passThroughSteps(Flux<StreamStep> steps, Channel channel) {
        ResponsesIdRewriter ids = new ResponsesIdRewriter(channel.id(), userId);
        return steps.map(step -> {
            StreamStep shown = ids.step(step);
            if (shown.data() != null) {
                eventsSent++;
                if (shown.event() != null && shown.event().startsWith("response.")
                        && shown.data().contains("\"response\"")) {
                    lastResponseEvent = shown.data();
                }
            }
            return shown;
        });
    }

    /**
     * A native stream the upstream broke off ends as OpenAI's own would: {@code response.failed} for the response
     * the client has seen (its id as shown), numbered after the last event sent.
     */
    @Override
    public ChatStreamWriter passThroughWriter(InboundRequest inbound, long promptTokens) {
        ChatStreamWriter translated = streamWriter(inbound, promptTokens);
        return new ChatStreamWriter() {
            @Override
            public List<byte[]> frames(ChatEvent event) {
                return translated.frames(event);
            }

            @Override
            public List<byte[]> cutShort(String message) {
                return lastResponseEvent == null ? translated.cutShort(message)
                        : List.of(ResponsesStreamWriter.failedAfter(lastResponseEvent, eventsSent, message));
            }
        };
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
