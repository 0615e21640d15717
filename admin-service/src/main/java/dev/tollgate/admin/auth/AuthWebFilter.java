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
 * token says who; the users row says whether they may still sign in (disabled users lose access at once) and
 * whether the password is still the one the token was issued for and whether the user's sessions were ended after
 * it was issued; tokens signed out on any admin instance are refused ({@link SessionRevocations}).
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
    private final SessionRevocations revoked;
    private final ErrorJsonWebExceptionHandler errors;

    public AuthWebFilter(SessionTokens tokens, AccountRepository accounts, SessionRevocations revoked,
            ErrorJsonWebExceptionHandler errors) {
        this.tokens = tokens;
        this.accounts = accounts;
        this.revoked = revoked;
        this.errors = errors;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (!isProtected(path)) {
            return chain.filter(exchange);
        }
        return authenticate(exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION))
                .flatMap(session -> chain.filter(exchange)
                        .contextWrite(ctx -> ctx.put(Caller.class, session.caller())
                                .put(SessionTokens.Session.class, session)))
                .onErrorResume(ApiException.class, e -> errors.handle(exchange, e));
    }

    static boolean isProtected(String path) {
        return (path.equals("/api") || path.startsWith("/api/")) && !PUBLIC_PATHS.contains(path);
    }

    private Mono<SessionTokens.Session> authenticate(String header) {
        Optional<SessionTokens.Session> claimed = Optional.ofNullable(header)
                .filter(h -> h.regionMatches(true, 0, BEARER, 0, BEARER.length()))
                .flatMap(h -> tokens.verifySession(h.substring(BEARER.length()).trim()));
        if (claimed.isEmpty()) {
            return Mono.error(ApiException.unauthorized("a valid session token is required"));
        }
        SessionTokens.Session session = claimed.get();
        // Memory answers at once after a sign-out anywhere; the row, for ended sessions, once a replica has it.
        return revoked.ready()
                .then(accounts.findById(session.caller().userId()))
                .filter(account -> !revoked.isRevoked(session))
                .filter(AccountRepository.Account::enabled)
                .filter(account -> tokens.issuedFor(session, account.passwordHash()))
                .filter(account -> !account.endedSession(session.issuedAt()))
                .flatMap(account -> Mono.justOrEmpty(Role.fromWire(account.role())))
                .map(role -> new SessionTokens.Session(new Caller(session.caller().userId(), role), session.id(),
                        session.issuedAt(), session.expiresAt(), session.credential()))
                .switchIfEmpty(Mono.error(ApiException.unauthorized(
                        "the session has ended, or its user is unknown or disabled")));
    }
}
