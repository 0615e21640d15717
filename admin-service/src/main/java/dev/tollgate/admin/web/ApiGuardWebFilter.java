package dev.tollgate.admin.web;

import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Cheap refusals before anything reads a body or a session on {@code /api/**}: a declared body over the limit
 * (413; a chunked one is stopped by the codecs' limit, mapped to 413 too), and browser requests from another site
 * unless its origin is allowed (403). The UI is same-origin; scripts (no {@code Sec-Fetch-Site}) are unaffected,
 * and since sessions travel in a header, not a cookie, a cross-site page could not use one anyway.
 */
@Component
@Order(-10)
public class ApiGuardWebFilter implements WebFilter {

    private final long maxBodyBytes;
    private final List<String> allowedOrigins;
    private final ErrorJsonWebExceptionHandler errors;

    public ApiGuardWebFilter(@Value("${tollgate.admin.max-body-size:1MB}") DataSize maxBodySize,
            @Value("${tollgate.admin.allowed-origins:}") List<String> allowedOrigins,
            ErrorJsonWebExceptionHandler errors) {
        this.maxBodyBytes = maxBodySize.toBytes();
        this.allowedOrigins = allowedOrigins.stream().filter(o -> !o.isBlank()).map(String::strip).toList();
        this.errors = errors;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!path.equals("/api") && !path.startsWith("/api/")) {
            return chain.filter(exchange);
        }
        HttpHeaders headers = exchange.getRequest().getHeaders();
        if (headers.getContentLength() > maxBodyBytes) {
            return errors.handle(exchange, tooLarge(maxBodyBytes));
        }
        if (isForeignSite(headers.getFirst("Sec-Fetch-Site"), headers.getOrigin())) {
            return errors.handle(exchange, new ApiException(HttpStatus.FORBIDDEN, "forbidden_origin",
                    "this API answers only the Tollgate UI's own origin"));
        }
        return chain.filter(exchange);
    }

    boolean isForeignSite(String fetchSite, String origin) {
        if (fetchSite == null) {
            return false;
        }
        String site = fetchSite.toLowerCase(Locale.ROOT);
        if (site.equals("same-origin") || site.equals("none")) {
            return false;
        }
        return origin == null || !allowedOrigins.contains(origin);
    }

    static ApiException tooLarge(long maxBytes) {
        return new ApiException(HttpStatus.PAYLOAD_TOO_LARGE, "payload_too_large",
                "the request body is larger than " + maxBytes + " bytes");
    }
}
