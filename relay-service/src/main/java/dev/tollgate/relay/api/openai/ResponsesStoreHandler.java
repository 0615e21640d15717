package dev.tollgate.relay.api.openai;

import dev.tollgate.contracts.Ids;
import dev.tollgate.contracts.json.Json;
import dev.tollgate.relay.api.RefusalMapper;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.auth.ClientAddress;
import dev.tollgate.relay.auth.KeyAuthenticator;
import dev.tollgate.relay.auth.Principal;
import dev.tollgate.relay.provider.NativeResponses;
import dev.tollgate.relay.provider.ProviderAdapters;
import dev.tollgate.relay.provider.UpstreamResult;
import dev.tollgate.relay.routing.ChannelRouter;
import dev.tollgate.relay.snapshot.Channel;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The calls on a stored response, routed to the channel that made it (named in its id, {@link ResponseIds}):
 * {@code GET /v1/responses/{id}}, {@code DELETE /v1/responses/{id}}, {@code POST /v1/responses/{id}/cancel} and
 * {@code GET /v1/responses/{id}/input_items}. Authenticated like every call, billed nothing (they generate nothing,
 * and write no usage event, like {@code GET /v1/models}). The caller must be the user the response was made for,
 * and the channel one its key may use; a response whose model the key may not use is not shown. Anything else is
 * "not found" in OpenAI's words, so ids of others cannot be probed.
 */
public class ResponsesStoreHandler {

    private final KeyAuthenticator authenticator;
    private final ClientAddress clientAddress;
    private final ChannelRouter router;
    private final ProviderAdapters adapters;
    private final OpenAiErrorWriter errors;

    public ResponsesStoreHandler(KeyAuthenticator authenticator, ClientAddress clientAddress, ChannelRouter router,
            ProviderAdapters adapters, OpenAiErrorWriter errors) {
        this.authenticator = authenticator;
        this.clientAddress = clientAddress;
        this.router = router;
        this.adapters = adapters;
        this.errors = errors;
    }

    public Mono<ServerResponse> retrieve(ServerRequest request) {
        return handle(request, HttpMethod.GET, "");
    }

    public Mono<ServerResponse> delete(ServerRequest request) {
        return handle(request, HttpMethod.DELETE, "");
    }

    public Mono<ServerResponse> cancel(ServerRequest request) {
        return handle(request, HttpMethod.POST, "/cancel");
    }

    public Mono<ServerResponse> inputItems(ServerRequest request) {
        return handle(request, HttpMethod.GET, "/input_items");
    }

    private Mono<ServerResponse> handle(ServerRequest request, HttpMethod method, String tail) {
        String requestId = Ids.uuidV7().toString();
        String shown = request.pathVariable("id");
        return authenticator.authenticate(request.headers().asHttpHeaders())
                .flatMap(principal -> call(request, principal, shown, method, tail, requestId))
                .onErrorResume(error -> errors.write(OpenAiErrorWriter.toRejection(error), requestId));
    }

    private Mono<ServerResponse> call(ServerRequest request, Principal principal, String shown, HttpMethod method,
            String tail, String requestId) {
        clientAddress.check(request, principal);
        ResponseIds.Decoded id = ResponseIds.decode(shown)
                .filter(decoded -> decoded.userId() == principal.userId())
                .orElseThrow(() -> notFound(shown));
        Channel channel = router.channelFor(principal, id.channelId()).orElseThrow(() -> notFound(shown));
        NativeResponses upstream = adapters.forProvider(channel.provider())
                .filter(NativeResponses.class::isInstance)
                .map(NativeResponses.class::cast)
                .filter(adapter -> adapter.servesResponses(channel))
                .orElseThrow(() -> notFound(shown));
        String query = request.uri().getRawQuery();
        return upstream.stored(channel, method, id.upstreamId(), tail, query)
                .flatMap(result -> answer(result, channel, principal, shown, requestId));
    }

    private Mono<ServerResponse> answer(UpstreamResult result, Channel channel, Principal principal, String shown,
            String requestId) {
        if (result instanceof UpstreamResult.Refused refused) {
            Optional<Rejection> rejection = RefusalMapper.toRejection(refused, true);
            if (rejection.isPresent()) {
                return errors.write(rejection.get(), requestId);
            }
            return whole(refused.status(), refused.contentType(), refused.body(), requestId);
        }
        UpstreamResult.Answered answered = (UpstreamResult.Answered) result;
        if (!modelAllowed(answered.body(), channel, principal)) {
            return errors.write(notFound(shown), requestId);
        }
        byte[] body = new ResponsesIdRewriter(channel.id(), principal.userId()).body(answered.body());
        return whole(answered.status(), answered.contentType(), body, requestId);
    }

    /**
     * A response object names its model as the upstream knows it: shown only when the key may use it, under its own
     * name or a name the channel maps to it. Answers that name no model (a deletion, input items) pass.
     */
    static boolean modelAllowed(byte[] body, Channel channel, Principal principal) {
        if (principal.key().models().isEmpty()) {
            return true;
        }
        String model;
        try {
            JsonNode tree = Json.mapper().readTree(body);
            model = tree == null ? null : tree.path("model").asString(null);
        } catch (JacksonException e) {
            return true;
        }
        if (model == null || principal.key().allowsModel(model)) {
            return true;
        }
        for (Map.Entry<String, String> mapping : channel.modelMapping().entrySet()) {
            if (model.equals(mapping.getValue()) && principal.key().allowsModel(mapping.getKey())) {
                return true;
            }
        }
        // An Azure deployment name: the response is the key's if the key may use a model the channel maps to it.
        Object deployments = channel.config().get("deployments");
        if (deployments instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (model.equals(String.valueOf(entry.getValue()))
                        && principal.key().allowsModel(String.valueOf(entry.getKey()))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Rejection notFound(String shown) {
        return Rejection.of(Rejection.Kind.NOT_FOUND, "Response with id '" + shown + "' not found.");
    }

    private static Mono<ServerResponse> whole(int status, String contentType, byte[] body, String requestId) {
        return ServerResponse.status(status)
                .header(OpenAiErrorWriter.REQUEST_ID_HEADER, requestId)
                .contentType(contentType == null ? MediaType.APPLICATION_JSON : MediaType.parseMediaType(contentType))
                .bodyValue(body);
    }
}
