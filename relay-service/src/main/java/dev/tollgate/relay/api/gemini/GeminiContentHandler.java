package dev.tollgate.relay.api.gemini;

import dev.tollgate.contracts.Ids;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.ChatPipeline;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.api.Rejections;
import dev.tollgate.relay.auth.ClientAddress;
import dev.tollgate.relay.auth.KeyAuthenticator;
import dev.tollgate.relay.auth.Principal;
import dev.tollgate.relay.routing.ChannelRouter;
import dev.tollgate.relay.routing.RoutePlan;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1beta/models/{model}:{method}}: {@code generateContent} and {@code streamGenerateContent} go through
 * the chat pipeline with a {@link GeminiDialect} for the route, {@code embedContent} and {@code batchEmbedContents}
 * with a {@link GeminiEmbeddingsDialect}; {@code countTokens} is counted locally (free, like
 * Google's own, so no usage event; the relay's estimate for any upstream, not the upstream tokenizer's figure). Any
 * other method is Google's 404.
 */
public class GeminiContentHandler {

    private final ChatPipeline pipeline;
    private final KeyAuthenticator authenticator;
    private final ClientAddress clientAddress;
    private final ChannelRouter router;
    private final GeminiErrorWriter errors;

    public GeminiContentHandler(ChatPipeline pipeline, KeyAuthenticator authenticator, ClientAddress clientAddress,
            ChannelRouter router, GeminiErrorWriter errors) {
        this.pipeline = pipeline;
        this.authenticator = authenticator;
        this.clientAddress = clientAddress;
        this.router = router;
        this.errors = errors;
    }

    public Mono<ServerResponse> handle(ServerRequest request) {
        String target = request.pathVariable("target");
        int colon = target.lastIndexOf(':');
        if (colon <= 0) {
            return errors.unknownUrl(request);
        }
        String model = target.substring(0, colon);
        String method = target.substring(colon + 1);
        switch (method) {
            case "generateContent":
                return pipeline.handle(request, new GeminiDialect(errors, model, false, false));
            case "streamGenerateContent":
                boolean sse = "sse".equals(request.queryParam("alt").orElse(null));
                return pipeline.handle(request, new GeminiDialect(errors, model, true, sse));
            case "embedContent":
                return pipeline.handle(request, new GeminiEmbeddingsDialect(errors, model, false));
            case "batchEmbedContents":
                return pipeline.handle(request, new GeminiEmbeddingsDialect(errors, model, true));
            case "countTokens":
                return countTokens(request, model);
            default:
                return errors.unknownUrl(request);
        }
    }

    private Mono<ServerResponse> countTokens(ServerRequest request, String model) {
        String requestId = Ids.uuidV7().toString();
        return authenticator.authenticate(request.headers().asHttpHeaders(), request.queryParam("key").orElse(null))
                .flatMap(principal -> count(request, principal, model))
                .flatMap(tokens -> ServerResponse.ok()
                        .header(GeminiErrorWriter.REQUEST_ID_HEADER, requestId)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Json.mapper().writeValueAsBytes(
                                Json.mapper().createObjectNode().put("totalTokens", tokens))))
                .onErrorResume(error -> errors.write(Rejections.from(error), requestId));
    }

    private Mono<Long> count(ServerRequest request, Principal principal, String model) {
        clientAddress.check(request, principal);
        return pipeline.readBody(request).map(body -> count(body, principal, model));
    }

    /** The body is {@code {contents}} or {@code {generateContentRequest: {…}}}, as Google takes either. */
    private long count(byte[] body, Principal principal, String model) {
        ObjectNode tree = parse(body);
        JsonNode inner = GeminiFields.get(tree, "generateContentRequest");
        JsonNode counted = inner.isObject() ? inner : tree;
        if (!GeminiFields.get(counted, "contents").isArray()) {
            throw Rejection.invalid("* CountTokensRequest.contents: contents is not specified", "contents");
        }
        RoutePlan plan = router.plan(principal.routingGroups(), model, null);
        if (!principal.key().allowsModel(model) || plan.isEmpty() && !plan.heldBack()) {
            throw Rejection.modelNotFound(model);
        }
        return GeminiPromptCounter.count(counted);
    }

    private static ObjectNode parse(byte[] body) {
        try {
            JsonNode node = body.length == 0 ? null : Json.mapper().readTree(body);
            if (node instanceof ObjectNode tree) {
                return tree;
            }
        } catch (JacksonException e) {
            // answered below
        }
        throw Rejection.invalid("Invalid JSON payload received. The body is not a JSON object.", null);
    }
}
