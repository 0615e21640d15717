package dev.tollgate.relay.api.gemini;

import dev.tollgate.relay.api.InboundDialect;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.chat.Dialect;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;

/**
 * What every Gemini route's dialect shares: the model named in the URL, the key allowed in {@code ?key=}, and
 * Google's error body and request-id header.
 */
abstract sealed class GeminiRouteDialect implements InboundDialect permits GeminiDialect, GeminiEmbeddingsDialect {

    private final GeminiErrorWriter errors;
    protected final String model;

    /** @param model the model named in the URL */
    GeminiRouteDialect(GeminiErrorWriter errors, String model) {
        this.errors = errors;
        this.model = model;
    }

    @Override
    public final Dialect dialect() {
        return Dialect.GEMINI;
    }

    /** Google's SDKs and REST examples may put the key in {@code ?key=}. */
    @Override
    public final String queryKey(ServerRequest request) {
        return request.queryParam("key").orElse(null);
    }

    @Override
    public final Mono<ServerResponse> writeError(Rejection rejection, String requestId) {
        return errors.write(rejection, requestId);
    }

    @Override
    public final void addIdHeaders(HttpHeaders headers, String requestId) {
        headers.set(GeminiErrorWriter.REQUEST_ID_HEADER, requestId);
    }
}
