package dev.tollgate.admin.commands;

import java.nio.charset.StandardCharsets;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriUtils;
import org.springframework.web.util.pattern.PathPattern;

/**
 * What names a client's write: its method, its path (decoded), the route pattern it matched and its
 * {@code Idempotency-Key} header. Injected into handlers by {@link WriteRequestArgumentResolver}.
 */
public record WriteRequest(String method, String path, String route, String idempotencyKey) {

    /** The ledger's id for this write when {@code actor} sends it. */
    public String commandId(String actor) {
        return IdempotencyKeys.commandId(actor, this);
    }

    /** The fingerprint of this write with its body as the client sent it (null when it has none). */
    public String fingerprint(Object body) {
        return Fingerprints.of(method, path, body);
    }

    static WriteRequest of(ServerWebExchange exchange) {
        String path = UriUtils.decode(exchange.getRequest().getPath().pathWithinApplication().value(),
                StandardCharsets.UTF_8);
        Object pattern = exchange.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        String route = pattern instanceof PathPattern p ? p.getPatternString() : path;
        return new WriteRequest(exchange.getRequest().getMethod().name(), path, route,
                exchange.getRequest().getHeaders().getFirst(IdempotencyKeys.HEADER));
    }
}
