package dev.tollgate.relay.api.gemini;

import dev.tollgate.contracts.Ids;
import dev.tollgate.contracts.json.Json;
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
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /v1beta/models} and {@code GET /v1beta/models/{model}}: the models the key may use (as the OpenAI
 * list), in Gemini's shape ({@code name: "models/…"}, the methods it serves).
 */
public class GeminiModelsHandler {

    private final KeyAuthenticator authenticator;
    private final ClientAddress clientAddress;
    private final ChannelRouter router;
    private final GeminiErrorWriter errors;

    public GeminiModelsHandler(KeyAuthenticator authenticator, ClientAddress clientAddress, ChannelRouter router,
            GeminiErrorWriter errors) {
        this.authenticator = authenticator;
        this.clientAddress = clientAddress;
        this.router = router;
        this.errors = errors;
    }

    public Mono<ServerResponse> list(ServerRequest request) {
        String requestId = Ids.uuidV7().toString();
        return authenticate(request)
                .map(principal -> {
                    ObjectNode body = Json.mapper().createObjectNode();
                    ArrayNode models = body.putArray("models");
                    for (String model : router.modelsFor(principal)) {
                        models.add(model(model));
                    }
                    return body;
                })
                .flatMap(body -> answer(body, requestId))
                .onErrorResume(error -> errors.write(Rejections.from(error), requestId));
    }

    /** One model: those listed, and those a pattern of some channel serves for the key. */
    public Mono<ServerResponse> get(ServerRequest request) {
        String requestId = Ids.uuidV7().toString();
        String name = request.pathVariable("model");
        return authenticate(request)
                .map(principal -> {
                    RoutePlan plan = router.plan(principal.routingGroups(), name, null);
                    if (!principal.key().allowsModel(name) || plan.isEmpty() && !plan.heldBack()) {
                        throw new Rejection(Rejection.Kind.MODEL_NOT_FOUND, "models/" + name
                                + " is not found for API version v1beta, or is not supported for generateContent.",
                                "model");
                    }
                    return model(name);
                })
                .flatMap(body -> answer(body, requestId))
                .onErrorResume(error -> errors.write(Rejections.from(error), requestId));
    }

    private Mono<Principal> authenticate(ServerRequest request) {
        return authenticator.authenticate(request.headers().asHttpHeaders(), request.queryParam("key").orElse(null))
                .doOnNext(principal -> clientAddress.check(request, principal));
    }

    private static ObjectNode model(String id) {
        ObjectNode model = Json.mapper().createObjectNode();
        model.put("name", "models/" + id);
        model.put("displayName", id);
        ArrayNode methods = model.putArray("supportedGenerationMethods");
        methods.add("generateContent");
        methods.add("streamGenerateContent");
        methods.add("countTokens");
        return model;
    }

    private static Mono<ServerResponse> answer(ObjectNode body, String requestId) {
        return ServerResponse.ok()
                .header(GeminiErrorWriter.REQUEST_ID_HEADER, requestId)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Json.mapper().writeValueAsBytes(body));
    }
}
