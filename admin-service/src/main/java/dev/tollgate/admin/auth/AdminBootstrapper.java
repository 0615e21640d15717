package dev.tollgate.admin.auth;

import dev.tollgate.admin.commands.CommandGateway;
import dev.tollgate.admin.commands.Fingerprints;
import dev.tollgate.admin.config.AdminProperties;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Makes sure a user named {@code admin} exists: if not, asks the ledger to create it (command id
 * {@code bootstrap-admin}, so every instance and every retry is the same command) until it does.
 */
@Component
public class AdminBootstrapper implements DisposableBean {

    public static final String COMMAND_ID = "bootstrap-admin";
    /** The same on every instance and retry, whatever password each generated: they all ask for one thing. */
    static final String FINGERPRINT = Fingerprints.of("BOOTSTRAP", "admin", null);
    static final String ACTOR = "system:bootstrap";
    private static final Logger log = LoggerFactory.getLogger(AdminBootstrapper.class);
    private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final int GENERATED_LENGTH = 24;

    private final AccountRepository accounts;
    private final CommandGateway gateway;
    private final PasswordHasher hasher;
    private final AdminProperties properties;
    private final AtomicBoolean adminExists = new AtomicBoolean();
    private final Mono<Command.CreateUser> command;
    private volatile Disposable running;

    public AdminBootstrapper(AccountRepository accounts, CommandGateway gateway, PasswordHasher hasher,
            AdminProperties properties) {
        this.accounts = accounts;
        this.gateway = gateway;
        this.hasher = hasher;
        this.properties = properties;
        // Built once: a retry must send the same password hash as the first attempt.
        this.command = Mono.defer(this::createCommand).cache();
    }

    public boolean adminExists() {
        return adminExists.get();
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        Duration retry = properties.bootstrapRetry();
        running = Mono.defer(this::attempt)
                .retryWhen(Retry.fixedDelay(Long.MAX_VALUE, retry)
                        .doBeforeRetry(signal -> log.info("admin bootstrap not done yet ({}); retrying in {}",
                                signal.failure().getMessage(), retry)))
                .subscribe(ok -> log.info("admin user present"), e -> log.error("admin bootstrap gave up", e));
    }

    private Mono<Boolean> attempt() {
        return accounts.adminExists()
                .flatMap(exists -> exists ? Mono.just(true) : createAdmin())
                .doOnNext(adminExists::set)
                .filter(Boolean::booleanValue)
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("no admin row yet")));
    }

    private Mono<Boolean> createAdmin() {
        return command
                .flatMap(cmd -> gateway.send(cmd, COMMAND_ID, FINGERPRINT, ACTOR))
                .flatMap(this::afterResult);
    }

    private Mono<Boolean> afterResult(Change.CommandResult result) {
        // "conflict" means another instance (or an earlier run) already created it.
        if (!result.ok() && !"conflict".equals(result.code())) {
            return Mono.error(new IllegalStateException("ledger rejected the admin: " + result.code()));
        }
        return accounts.adminExists();
    }

    private Mono<Command.CreateUser> createCommand() {
        String password = properties.initialPassword();
        if (password == null || password.isBlank()) {
            password = generatePassword();
            // The only secret ever logged, and only because nobody else knows it.
            log.warn("admin password: {}", password);
        }
        return hasher.hash(password)
                .map(hash -> new Command.CreateUser(AccountRepository.ADMIN_USERNAME, hash, Role.ADMIN.wireName(),
                        "default", true));
    }

    static String generatePassword() {
        SecureRandom random = new SecureRandom();
        StringBuilder sb = new StringBuilder(GENERATED_LENGTH);
        for (int i = 0; i < GENERATED_LENGTH; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    @Override
    public void destroy() {
        Disposable d = running;
        if (d != null) {
            d.dispose();
        }
    }
}
