package dev.tollgate.admin.auth;

import dev.tollgate.admin.web.ApiException;
import dev.tollgate.admin.web.RetryLaterException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/auth/login}: a username and password (and the TOTP code once enabled) for a session token, within
 * {@link LoginThrottle}'s limits. Signing out is {@link SessionController}'s.
 */
@RestController
public class LoginController {

    private final AccountRepository accounts;
    private final PasswordHasher hasher;
    private final SessionTokens tokens;
    private final LoginThrottle throttle;
    private final TotpVerifier totp;

    public LoginController(AccountRepository accounts, PasswordHasher hasher, SessionTokens tokens,
            LoginThrottle throttle, TotpVerifier totp) {
        this.accounts = accounts;
        this.hasher = hasher;
        this.tokens = tokens;
        this.throttle = throttle;
        this.totp = totp;
    }

    /** {@code totp}: the authenticator's current code, demanded once the account has TOTP enabled. */
    public record LoginRequest(String username, String password, String totp) {
        void validate() {
            if (username == null || username.isBlank()) {
                throw ApiException.invalid("username", "is required");
            }
            if (password == null || password.isEmpty()) {
                throw ApiException.invalid("password", "is required");
            }
        }

        @Override
        public String toString() {
            return "LoginRequest[username=" + username + "]";
        }
    }

    public record LoginResponse(String token, String role, long userId) {
    }

    @PostMapping("/api/auth/login")
    public Mono<LoginResponse> login(@RequestBody LoginRequest request, ServerWebExchange exchange) {
        String address = clientAddress(exchange);
        throttle.addressBlocked(address).ifPresent(wait -> {
            throw tooMany(wait);
        });
        request.validate();
        // The same answer whether or not the user exists: unknown names are counted and locked like real ones.
        throttle.lockedFor(request.username()).ifPresent(wait -> {
            throw tooMany(wait);
        });
        // Counted as failures before the (slow) password check and given back on success, so a burst of
        // parallel guesses cannot all slip past the limits while the first ones are still being checked.
        throttle.failed(request.username());
        throttle.countAddress(address);
        return accounts.findByUsername(request.username())
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(account -> check(request.password(), request.totp(), account))
                .doOnNext(ok -> {
                    throttle.succeeded(request.username());
                    throttle.refundAddress(address);
                })
                .switchIfEmpty(Mono.error(() -> new ApiException(HttpStatus.UNAUTHORIZED, "invalid_credentials",
                        "wrong username, password or code")));
    }

    /** Counts one sign-up against the caller's address; 429 once the window's allowance is used up. */
    static void admitSignUp(LoginThrottle throttle, ServerWebExchange exchange) {
        String address = clientAddress(exchange);
        throttle.addressBlocked(address).ifPresent(wait -> {
            throw tooMany(wait);
        });
        throttle.countAddress(address);
    }

    /** The peer's address; behind a proxy, set server.forward-headers-strategy so it is the client's. */
    private static String clientAddress(ServerWebExchange exchange) {
        InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
        return remote == null || remote.getAddress() == null ? "unknown" : remote.getAddress().getHostAddress();
    }

    private static RetryLaterException tooMany(Duration wait) {
        return new RetryLaterException("too many sign-in attempts; retry later", wait);
    }

    /** A wrong or missing TOTP code gets the same answer as a wrong password, and counts toward the lockout alike. */
    private Mono<LoginResponse> check(String password, String code, Optional<AccountRepository.Account> account) {
        String hash = account.map(AccountRepository.Account::passwordHash).orElse(null);
        return hasher.matches(password, hash)
                .filter(Boolean::booleanValue)
                .flatMap(ok -> Mono.justOrEmpty(account))
                .filter(AccountRepository.Account::enabled)
                // Last, once all else is right: the ledger takes the code's step as used.
                .filterWhen(a -> !a.totpEnabled() ? Mono.just(true) : totp.verify(a.id(), a.totpSecretEnc(), code))
                .flatMap(a -> Mono.justOrEmpty(Role.fromWire(a.role()))
                        .map(role -> new LoginResponse(tokens.issue(a.id(), role, a.passwordHash()),
                                role.wireName(), a.id())));
    }
}
