package dev.tollgate.admin.auth;

import dev.tollgate.admin.commands.CommandGateway;
import dev.tollgate.admin.commands.CommandResults;
import dev.tollgate.admin.commands.WriteRequest;
import dev.tollgate.admin.db.ReadBack;
import dev.tollgate.admin.settings.SettingsRepository;
import dev.tollgate.admin.settings.SettingsView;
import dev.tollgate.admin.users.UserRequests;
import dev.tollgate.admin.web.ApiException;
import dev.tollgate.contracts.events.Command;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Self-service sign-up, when the settings allow it: a customer account in the registration group, created by the
 * ledger like any other user, then signed in. {@code GET /api/auth/options} tells the sign-in page whether to offer it.
 */
@RestController
public class RegistrationController {

    static final String ACTOR = "registration";

    private final SettingsRepository settings;
    private final AccountRepository accounts;
    private final PasswordHasher hasher;
    private final SessionTokens tokens;
    private final CommandGateway gateway;
    private final LoginThrottle throttle;

    public RegistrationController(SettingsRepository settings, AccountRepository accounts, PasswordHasher hasher,
            SessionTokens tokens, CommandGateway gateway, LoginThrottle throttle) {
        this.throttle = throttle;
        this.settings = settings;
        this.accounts = accounts;
        this.hasher = hasher;
        this.tokens = tokens;
        this.gateway = gateway;
    }

    public record Options(boolean registrationEnabled) {
    }

    public record RegisterRequest(String username, String password) {
        @Override
        public String toString() {
            return "RegisterRequest[username=" + username + "]";
        }
    }

    @GetMapping("/api/auth/options")
    public Mono<Options> options() {
        return settings.current().map(s -> new Options(s.registrationEnabled()));
    }

    @PostMapping("/api/auth/register")
    @ResponseStatus(HttpStatus.CREATED)
    public Mono<LoginController.LoginResponse> register(WriteRequest write, @RequestBody RegisterRequest body,
            ServerWebExchange exchange) {
        LoginController.admitSignUp(throttle, exchange);
        // The role is never the caller's to choose.
        UserRequests.CreateUser user = new UserRequests.CreateUser(body.username(), body.password(), null,
                Role.CUSTOMER.wireName()).validate();
        String commandId = write.commandId(ACTOR);
        String fingerprint = write.fingerprint(user);
        return settings.current()
                .filter(SettingsView::registrationEnabled)
                .switchIfEmpty(Mono.error(() -> new ApiException(HttpStatus.FORBIDDEN, "registration_closed",
                        "registration is switched off; ask an administrator for an account")))
                .flatMap(s -> hasher.hash(user.password())
                        .map(hash -> new Command.CreateUser(user.username(), hash, Role.CUSTOMER.wireName(),
                                s.registrationGroup(), true)))
                .flatMap(command -> gateway.send(command, commandId, fingerprint, ACTOR))
                .map(CommandResults::requireOk)
                .flatMap(result -> ReadBack.committed(accounts.findByUsername(user.username())))
                .map(a -> new LoginController.LoginResponse(tokens.issue(a.id(), Role.CUSTOMER, a.passwordHash()),
                        Role.CUSTOMER.wireName(), a.id()));
    }
}
