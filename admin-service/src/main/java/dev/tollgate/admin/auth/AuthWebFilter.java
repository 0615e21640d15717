package dev.tollgate.admin.auth;

import dev.tollgate.admin.web.ApiException;
import dev.tollgate.admin.web.ErrorJsonWebExceptionHandler;
import java.util.Optional;
import java.util.Set;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Requires {@code Authorization: Bearer <session token>} on {@code /api/**} except login. The
 * token says who; the users row says whether they may still sign in (disabled users lose access at once).
 */
@Component
@Order(0)
public class AuthWebFilter implements WebFilter {

    private static final String BEARER = "Bearer ";
    /** Reachable without a session: signing in, signing up, and whether sign-up is open. */
    private static final Set<String> PUBLIC_PATHS =
            Set.of("/api/auth/login", "/api/auth/register", "/api/auth/options");

    private final SessionTokens tokens;
    private final AccountRepository accounts;
    private final ErrorJsonWebExceptionHandler errors;

    public AuthWebFilter(SessionTokens tokens, AccountRepository accounts, ErrorJsonWebExceptionHandler errors) {
        this.tokens = tokens;
        this.accounts = accounts;
        this.errors = errors;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!isProtected(path)) {
            return chain.filter(exchange);
        }
        return authenticate(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION))
                .flatMap(caller -> chain.filter(exchange).contextWrite(ctx -> ctx.put(Caller.class, caller)))
                .onErrorResume(ApiException.class, e -> errors.handle(exchange, e));
    }

    static boolean isProtected(String path) {
        return (path.equals("/api") || path.startsWith("/api/")) && !PUBLIC_PATHS.contains(path);
    }

    private Mono<Caller> authenticate(String header) {
        Optional<Caller> claimed = Optional.ofNullable(header)
                .filter(h -> h.regionMatches(true, 0, BEARER, 0, BEARER.length()))
                .flatMap(h -> tokens.verify(h.substring(BEARER.length()).trim()));
        if (claimed.isEmpty()) {
            return Mono.error(ApiException.unauthorized("a valid session token is required"));
        }
        return accounts.findById(claimed.get().userId())
                .filter(AccountRepository.Account::enabled)
                .flatMap(account -> Mono.justOrEmpty(Role.fromWire(account.role())))
                .map(role -> new Caller(claimed.get().userId(), role))
                .switchIfEmpty(Mono.error(ApiException.unauthorized("the session's user is unknown or disabled")));
    }
}
