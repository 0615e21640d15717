package dev.tollgate.admin.auth;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.tollgate.admin.commands.CommandGateway;
import dev.tollgate.admin.commands.CommandResults;
import dev.tollgate.admin.commands.WriteRequest;
import dev.tollgate.admin.db.ReadBack;
import dev.tollgate.admin.web.ApiException;
import dev.tollgate.admin.web.RetryLaterException;
import dev.tollgate.contracts.events.Command;
import java.time.Instant;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Optional TOTP (RFC 6238) for signing in, meant for admins (any account may use it): a setup stores a new secret,
 * not yet demanded; enabling with a valid code makes sign-in demand one; disabling takes a valid code too. Wrong
 * codes count toward the same lockout as wrong passwords. Enabling and disabling end the user's other sessions on
 * every admin instance; the caller's goes on with the fresh token in the answer.
 */
@RestController
public class TotpController {

    static final String ISSUER = "Tollgate";

    private final AccountRepository accounts;
    private final TotpVerifier verifier;
    private final CommandGateway gateway;
    private final LoginThrottle throttle;
    private final SessionRevocations revocations;
    private final SessionTokens tokens;

    public TotpController(AccountRepository accounts, TotpVerifier verifier, CommandGateway gateway,
            LoginThrottle throttle, SessionRevocations revocations, SessionTokens tokens) {
        this.accounts = accounts;
        this.verifier = verifier;
        this.gateway = gateway;
        this.throttle = throttle;
        this.revocations = revocations;
        this.tokens = tokens;
    }

    /**
     * {@code pending}: a secret was set up but not enabled yet. {@code token}: after enabling or disabling, which end
     * every earlier session, the caller's new session token (absent otherwise).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TotpStatus(boolean enabled, boolean pending, String token) {

        TotpStatus(boolean enabled, boolean pending) {
            this(enabled, pending, null);
        }

        @Override
        public String toString() {
            return "TotpStatus[enabled=" + enabled + ", pending=" + pending + "]";
        }
    }

    /** The secret, shown at setup only, as text and as the URI an authenticator app scans. */
    public record TotpSetup(String secret, String otpauthUri, boolean enabled) {
        @Override
        public String toString() {
            return "TotpSetup[enabled=" + enabled + "]";
        }
    }

    public record CodeRequest(String code) {
        @Override
        public String toString() {
            return "CodeRequest";
        }
    }

    @GetMapping("/api/auth/totp")
    public Mono<TotpStatus> status(Caller caller) {
        return account(caller).map(a -> new TotpStatus(a.totpEnabled(), !a.totpEnabled() && a.totpSecretEnc() != null));
    }

    @PostMapping("/api/auth/totp/setup")
    public Mono<TotpSetup> setup(Caller caller, WriteRequest write) {
        String secret = Totp.newSecret();
        String ciphertext = verifier.encrypt(secret);
        return account(caller)
                .flatMap(a -> {
                    if (a.totpEnabled()) {
                        return Mono.error(new ApiException(HttpStatus.CONFLICT, "conflict",
                                "TOTP is enabled; disable it (with a code) before setting up another secret"));
                    }
                    // Shown only once the row holds this very secret: a replica may lag, and a repeated
                    // Idempotency-Key leaves the first request's secret stored, which this answer must not hide.
                    return send(caller, write, null, new Command.SetTotp(a.id(), ciphertext, false))
                            .then(ReadBack.committed(account(caller)
                                    .filter(after -> ciphertext.equals(after.totpSecretEnc()))))
                            .map(after -> new TotpSetup(secret, Totp.otpauthUri(ISSUER, a.username(), secret), false))
                            .onErrorMap(e -> e instanceof ApiException api && "read_lag".equals(api.code()),
                                    e -> new ApiException(HttpStatus.CONFLICT, "conflict",
                                            "this setup's secret is not the one stored (a repeated Idempotency-Key?); "
                                                    + "set up again"));
                });
    }

    @PostMapping("/api/auth/totp/enable")
    public Mono<TotpStatus> enable(Caller caller, WriteRequest write, @RequestBody CodeRequest body) {
        return account(caller)
                .flatMap(a -> {
                    if (a.totpEnabled() || a.totpSecretEnc() == null) {
                        return Mono.error(new ApiException(HttpStatus.CONFLICT, "conflict",
                                a.totpEnabled() ? "TOTP is already enabled" : "set TOTP up first"));
                    }
                    Instant before = revocations.now();
                    return checkCode(a, body)
                            .then(send(caller, write, body,
                                    new Command.SetTotp(a.id(), a.totpSecretEnc(), true, before)))
                            .then(Mono.fromSupplier(() -> reissued(caller, a, before, true)));
                });
    }

    @PostMapping("/api/auth/totp/disable")
    public Mono<TotpStatus> disable(Caller caller, WriteRequest write, @RequestBody CodeRequest body) {
        return account(caller)
                .flatMap(a -> {
                    if (!a.totpEnabled()) {
                        return Mono.error(new ApiException(HttpStatus.CONFLICT, "conflict", "TOTP is not enabled"));
                    }
                    Instant before = revocations.now();
                    return checkCode(a, body)
                            .then(send(caller, write, body, new Command.SetTotp(a.id(), null, false, before)))
                            .then(Mono.fromSupplier(() -> reissued(caller, a, before, false)));
                });
    }

    /** Counted like a sign-in: a session holder cannot try a million codes to switch TOTP off. */
    private Mono<Void> checkCode(AccountRepository.Account account, CodeRequest body) {
        return Mono.defer(() -> {
            throttle.lockedFor(account.username()).ifPresent(wait -> {
                throw new RetryLaterException("too many wrong codes; retry later", wait);
            });
            throttle.failed(account.username());
            String code = body == null ? null : body.code();
            return verifier.verify(account.id(), account.totpSecretEnc(), code);
        }).flatMap(ok -> {
            if (!ok) {
                return Mono.error(ApiException.invalid("code", "not the authenticator's current code"));
            }
            throttle.succeeded(account.username());
            return Mono.empty();
        });
    }

    /**
     * The switch ended every session issued before {@code before}, the caller's too: here at once (other instances
     * follow the ledger's change), and the caller gets a token issued after that time.
     */
    private TotpStatus reissued(Caller caller, AccountRepository.Account account, Instant before, boolean enabled) {
        revocations.endSessionsHere(account.id(), before);
        return new TotpStatus(enabled, false,
                tokens.issue(account.id(), caller.role(), account.passwordHash(), before));
    }

    private Mono<Void> send(Caller caller, WriteRequest write, Object body, Command.SetTotp command) {
        return gateway.send(command, write.commandId(caller.actor()), write.fingerprint(body), caller.actor())
                .map(CommandResults::requireOk)
                .then();
    }

    private Mono<AccountRepository.Account> account(Caller caller) {
        return accounts.findById(caller.userId())
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("user")));
    }
}
