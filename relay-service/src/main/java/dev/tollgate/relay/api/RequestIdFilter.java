package dev.tollgate.relay.api;

import dev.tollgate.contracts.Ids;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Every answer on the relay's API paths carries {@code x-request-id}. The handlers set it (with the id of the
 * request's usage event, and the dialect's own header beside it); this is the net under answers no handler wrote,
 * such as the framework's own errors: it copies Anthropic's {@code request-id} when present, else mints an id.
 */
public class RequestIdFilter implements WebFilter {

    public static final String HEADER = "x-request-id";
    private static final String ANTHROPIC_HEADER = "request-id";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        if (path.startsWith("/v1/") || path.startsWith("/v1beta/")) {
            exchange.getResponse().beforeCommit(() -> {
                ensureId(exchange.getResponse().getHeaders());
                return Mono.empty();
            });
        }
        return chain.filter(exchange);
    }

    static void ensureId(HttpHeaders headers) {
        if (headers.getFirst(HEADER) != null) {
            return;
        }
        String anthropic = headers.getFirst(ANTHROPIC_HEADER);
        headers.set(HEADER, anthropic != null ? anthropic : Ids.uuidV7().toString());
    }
}
