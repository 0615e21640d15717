package dev.tollgate.relay.api.anthropic;

import dev.tollgate.contracts.Ids;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.api.Rejections;
import dev.tollgate.relay.auth.ClientAddress;
import dev.tollgate.relay.auth.KeyAuthenticator;
import dev.tollgate.relay.auth.Principal;
import dev.tollgate.relay.routing.ChannelRouter;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /v1/models} asked by an Anthropic client (it sends {@code anthropic-version}): the same models as the
 * OpenAI list, in Anthropic's shape ({@code data}, {@code has_more}, {@code first_id}, {@code last_id}).
 */
public class AnthropicModelsHandler {

    private final KeyAuthenticator authenticator;
    private final ClientAddress clientAddress;
    private final ChannelRouter router;
    private final AnthropicErrorWriter errors;

    public AnthropicModelsHandler(KeyAuthenticator authenticator, ClientAddress clientAddress, ChannelRouter router,
            AnthropicErrorWriter errors) {
        this.authenticator = authenticator;
        this.clientAddress = clientAddress;
        this.router = router;
        this.errors = errors;
    }

    public Mono<ServerResponse> handle(ServerRequest request) {
        String requestId = Ids.uuidV7().toString();
        return authenticator.authenticate(request.headers().asHttpHeaders())
                .flatMap(principal -> list(request, principal, requestId))
                .onErrorResume(error -> errors.write(Rejections.from(error), requestId));
    }

    /** {@code GET /v1/models/{model_id}}: one model the key may use, else 404 {@code not_found_error}. */
    public Mono<ServerResponse> get(ServerRequest request) {
        String requestId = Ids.uuidV7().toString();
        String model = request.pathVariable("model");
        return authenticator.authenticate(request.headers().asHttpHeaders())
                .flatMap(principal -> {
                    clientAddress.check(request, principal);
                    if (!router.modelsFor(principal).contains(model)) {
                        return Mono.error(Rejection.modelNotFound(model));
                    }
                    return ok(model(Json.mapper().createObjectNode(), model), requestId);
                })
                .onErrorResume(error -> errors.write(Rejections.from(error), requestId));
    }

    private static ObjectNode model(ObjectNode node, String model) {
        return node.put("type", "model")
                .put("id", model)
                .put("display_name", model)
                .put("created_at", "1970-01-01T00:00:00Z");
    }

    private static Mono<ServerResponse> ok(ObjectNode body, String requestId) {
        return ServerResponse.ok()
                .header("request-id", requestId)
                .header("x-request-id", requestId)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Json.mapper().writeValueAsBytes(body));
    }

    private Mono<ServerResponse> list(ServerRequest request, Principal principal, String requestId) {
        clientAddress.check(request, principal);
        List<String> models = router.modelsFor(principal);
        ObjectNode body = Json.mapper().createObjectNode();
        ArrayNode data = body.putArray("data");
        for (String model : models) {
            model(data.addObject(), model);
        }
        body.put("has_more", false);
        body.put("first_id", models.isEmpty() ? null : models.get(0));
        body.put("last_id", models.isEmpty() ? null : models.get(models.size() - 1));
        return ok(body, requestId);
    }
}
