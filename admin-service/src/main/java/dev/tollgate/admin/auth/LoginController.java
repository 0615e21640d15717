package dev.tollgate.admin.auth;

import dev.tollgate.admin.web.ApiException;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code POST /api/auth/login}: a username and password for a session token. */
@RestController
public class LoginController {

    private final AccountRepository accounts;
    private final PasswordHasher hasher;
    private final SessionTokens tokens;

    public LoginController(AccountRepository accounts, PasswordHasher hasher, SessionTokens tokens) {
        this.accounts = accounts;
        this.hasher = hasher;
        this.tokens = tokens;
    }

    public record LoginRequest(String username, String password) {
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
    public Mono<LoginResponse> login(@RequestBody LoginRequest request) {
        request.validate();
        return accounts.findByUsername(request.username())
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .flatMap(account -> check(request.password(), account))
                .switchIfEmpty(Mono.error(() -> new ApiException(HttpStatus.UNAUTHORIZED, "invalid_credentials",
                        "wrong username or password")));
    }

    private Mono<LoginResponse> check(String password, Optional<AccountRepository.Account> account) {
        String hash = account.map(AccountRepository.Account::passwordHash).orElse(null);
        return hasher.matches(password, hash)
                .filter(Boolean::booleanValue)
                .flatMap(ok -> Mono.justOrEmpty(account))
                .filter(AccountRepository.Account::enabled)
                .flatMap(a -> Mono.justOrEmpty(Role.fromWire(a.role()))
                        .map(role -> new LoginResponse(tokens.issue(a.id(), role), role.wireName(), a.id())));
    }
}
