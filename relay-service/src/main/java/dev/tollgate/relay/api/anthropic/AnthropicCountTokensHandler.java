package dev.tollgate.relay.api.anthropic;

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
 * {@code POST /v1/messages/count_tokens}: the prompt's tokens, counted locally (free, like Anthropic's own, so no
 * usage event). The count is the relay's estimate for any upstream, not the upstream tokenizer's exact figure.
 */
public class AnthropicCountTokensHandler {

    private final KeyAuthenticator authenticator;
    private final ClientAddress clientAddress;
    private final ChannelRouter router;
    private final ChatPipeline pipeline;
    private final AnthropicErrorWriter errors;

    public AnthropicCountTokensHandler(KeyAuthenticator authenticator, ClientAddress clientAddress,
            ChannelRouter router, ChatPipeline pipeline, AnthropicErrorWriter errors) {
        this.authenticator = authenticator;
        this.clientAddress = clientAddress;
        this.router = router;
        this.pipeline = pipeline;
        this.errors = errors;
    }

    public Mono<ServerResponse> handle(ServerRequest request) {
        String requestId = Ids.uuidV7().toString();
        return authenticator.authenticate(request.headers().asHttpHeaders())
                .flatMap(principal -> count(request, principal))
                .flatMap(tokens -> ServerResponse.ok()
                        .header("request-id", requestId)
                        .header("x-request-id", requestId)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Json.mapper().writeValueAsBytes(
                                Json.mapper().createObjectNode().put("input_tokens", tokens))))
                .onErrorResume(error -> errors.write(Rejections.from(error), requestId));
    }

    private Mono<Long> count(ServerRequest request, Principal principal) {
        clientAddress.check(request, principal);
        return pipeline.readBody(request).map(body -> count(body, principal));
    }

    private long count(byte[] body, Principal principal) {
        ObjectNode tree = parse(body);
        JsonNode model = tree.get("model");
        if (model == null || !model.isString() || model.asString().isBlank()) {
            throw Rejection.invalid("model: Field required", "model");
        }
        if (!tree.path("messages").isArray()) {
            throw Rejection.invalid("messages: Field required", "messages");
        }
        String name = model.asString();
        RoutePlan plan = router.plan(principal.routingGroups(), name, null);
        if (!principal.key().allowsModel(name) || plan.isEmpty() && !plan.heldBack()) {
            throw Rejection.modelNotFound(name);
        }
        return AnthropicPromptCounter.count(tree);
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
        throw Rejection.invalid("The request body is not valid JSON.", null);
    }
}
