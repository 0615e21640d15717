package dev.tollgate.relay.api.openai;

import dev.tollgate.contracts.Ids;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.auth.ClientAddress;
import dev.tollgate.relay.auth.KeyAuthenticator;
import dev.tollgate.relay.auth.Principal;
import dev.tollgate.relay.routing.ChannelRouter;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /v1/models}: the models the key's group may use through some channel, within its allow-list, each
 * {@code owned_by} the provider of the channel that serves it first; {@code GET /v1/models/{model}} one of them
 * (a model the key may not use is as unknown as one no channel serves: 404).
 */
public class OpenAiModelsHandler {

    private final KeyAuthenticator authenticator;
    private final ClientAddress clientAddress;
    private final ChannelRouter router;
    private final OpenAiErrorWriter errors;

    public OpenAiModelsHandler(KeyAuthenticator authenticator, ClientAddress clientAddress, ChannelRouter router,
            OpenAiErrorWriter errors) {
        this.authenticator = authenticator;
        this.clientAddress = clientAddress;
        this.router = router;
        this.errors = errors;
    }

    public Mono<ServerResponse> handle(ServerRequest request) {
        String requestId = Ids.uuidV7().toString();
        return authenticator.authenticate(request.headers().asHttpHeaders())
                .flatMap(principal -> list(request, principal, requestId))
                .onErrorResume(error -> errors.write(OpenAiErrorWriter.toRejection(error), requestId));
    }

    public Mono<ServerResponse> get(ServerRequest request) {
        String requestId = Ids.uuidV7().toString();
        String model = request.pathVariable("model");
        return authenticator.authenticate(request.headers().asHttpHeaders())
                .flatMap(principal -> {
                    clientAddress.check(request, principal);
                    String provider = router.ownersFor(principal).get(model);
                    if (provider == null) {
                        return Mono.error(Rejection.modelNotFound(model));
                    }
                    return ok(model(Json.mapper().createObjectNode(), model, provider), requestId);
                })
                .onErrorResume(error -> errors.write(OpenAiErrorWriter.toRejection(error), requestId));
    }

    private static ObjectNode model(ObjectNode node, String model, String provider) {
        return node.put("id", model)
                .put("object", "model")
                .put("created", 0)
                .put("owned_by", provider);
    }

    private static Mono<ServerResponse> ok(ObjectNode body, String requestId) {
        return ServerResponse.ok()
                .header(OpenAiErrorWriter.REQUEST_ID_HEADER, requestId)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Json.mapper().writeValueAsBytes(body));
    }

    private Mono<ServerResponse> list(ServerRequest request, Principal principal, String requestId) {
        clientAddress.check(request, principal);
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("object", "list");
        ArrayNode data = body.putArray("data");
        router.ownersFor(principal).forEach((model, provider) -> model(data.addObject(), model, provider));
        return ok(body, requestId);
    }
}
