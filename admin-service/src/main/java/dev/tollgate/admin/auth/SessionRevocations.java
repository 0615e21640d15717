package dev.tollgate.admin.auth;

import dev.tollgate.admin.commands.ChangeListener;
import dev.tollgate.admin.commands.CommandGateway;
import dev.tollgate.admin.commands.CommandResults;
import dev.tollgate.admin.web.ApiException;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Ends sessions across every admin instance. A sign-out takes effect on this instance at once (its own memory),
 * then goes to the ledger as a command; the ledger keeps it in MySQL and announces it ({@code session.revoked}),
 * and every instance adds it to its memory. An instance loads what MySQL holds when it starts and whenever it
 * starts following the changes again (what was announced meanwhile was not read), and serves no session before
 * its first load. A sign-out the ledger does not confirm in time is sent again until it does or it is moot
 * ({@link PendingRevocations}).
 */
@Component
public class SessionRevocations implements ChangeListener {

    private static final Logger log = LoggerFactory.getLogger(SessionRevocations.class);
    /** Effectively forever: a successful first load is never repeated for {@link #ready()}. */
    private static final Duration KEEP = Duration.ofDays(36_500);
    static final String ENDED_HERE_MESSAGE = "the sessions are ended on this admin instance, but the ledger did not "
            + "confirm in time, so other instances may still accept them; this instance keeps sending the sign-out until "
            + "the ledger confirms it";

    private final RevokedSessions local;
    private final SessionRepository repository;
    private final CommandGateway gateway;
    private final Clock clock;
    private final Duration sessionTtl;
    private final Mono<Void> firstLoad;
    private final PendingRevocations pendingRevocations;

    public SessionRevocations(RevokedSessions local, SessionRepository repository, CommandGateway gateway,
            SessionTokens tokens, Clock clock, PendingRevocations pendingRevocations) {
        this.local = local;
        this.pendingRevocations = pendingRevocations;
        this.repository = repository;
        this.gateway = gateway;
        this.clock = clock;
        this.sessionTtl = tokens.ttl();
        // A failed load (MySQL not reachable yet) is not kept: the next request tries again.
        this.firstLoad = Mono.defer(this::load).cache(v -> KEEP, e -> Duration.ZERO, () -> KEEP);
        gateway.listen(this);
    }

    /** Completes once what MySQL held at start-up is in this instance's memory. */
    Mono<Void> ready() {
        return firstLoad;
    }

    boolean isRevoked(SessionTokens.Session session) {
        return local.isRevoked(session);
    }

    /**
     * Signs one session out: here at once, everywhere once the ledger has it. When the ledger does not confirm in
     * time the sign-out is sent again in the background ({@link PendingRevocations}) and this completes anyway: the
     * caller's intent is done here, and nothing they could retry would do more.
     */
    Mono<Void> signOut(SessionTokens.Session session, String commandId, String fingerprint, String actor) {
        local.revoke(session);
        Command command = new Command.RevokeSession(session.caller().userId(), session.id(), session.expiresAt());
        return gateway.send(command, commandId, fingerprint, actor)
                .map(CommandResults::requireOk)
                .doOnNext(result -> pendingRevocations.confirmed(commandId))
                .then()
                .onErrorResume(SessionRevocations::isUnavailable, error -> {
                    pendingRevocations.add(command, commandId, fingerprint, actor, session.expiresAt());
                    return Mono.empty();
                });
    }

    /**
     * Ends every session of the user issued until now, here at once and everywhere once the ledger has it; the time
     * returned is the one sessions were ended before (a token issued after it survives).
     */
    Mono<Instant> endSessions(long userId, String commandId, String fingerprint, String actor) {
        Instant before = now();
        local.endSessionsBefore(userId, before);
        Command command = new Command.RevokeSessions(userId, before);
        return gateway.send(command, commandId, fingerprint, actor)
                .map(CommandResults::requireOk)
                .doOnNext(result -> pendingRevocations.confirmed(commandId))
                // Still a 503, so whoever pressed it knows the others may lag; the background resend completes it.
                .onErrorMap(SessionRevocations::isUnavailable, error -> {
                    pendingRevocations.add(command, commandId, fingerprint, actor, before.plus(sessionTtl));
                    return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "ledger_unavailable",
                            ENDED_HERE_MESSAGE);
                })
                .thenReturn(before);
    }

    private static boolean isUnavailable(Throwable error) {
        return error instanceof ApiException api && api.status() == HttpStatus.SERVICE_UNAVAILABLE;
    }

    /** The time to end sessions before, for a command that ends them with another change (TOTP, password). */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Applies here at once what a command sent with {@code before} will apply everywhere. */
    void endSessionsHere(long userId, Instant before) {
        local.endSessionsBefore(userId, before);
    }

    @Override
    public void onChange(Change change) {
        if (change instanceof Change.SessionsRevoked revoked) {
            apply(revoked);
        }
    }

    @Override
    public void onFollowing() {
        load().subscribe(null, error -> log.warn("Could not reload ended sessions from MySQL: {}", error.toString()));
    }

    private void apply(Change.SessionsRevoked revoked) {
        if (revoked.sessionId() != null && revoked.expiresAt() != null) {
            local.revoke(revoked.sessionId(), revoked.expiresAt());
        }
        if (revoked.validAfter() != null) {
            local.endSessionsBefore(revoked.userId(), revoked.validAfter());
        }
    }

    /** Adds what MySQL holds; only ever adds, so it may overlap with changes read meanwhile. */
    private Mono<Void> load() {
        Instant now = clock.instant();
        return repository.revokedUnexpired(now)
                .doOnNext(r -> local.revoke(r.sessionId(), r.expiresAt()))
                .count()
                .zipWith(repository.endedSince(now.minus(sessionTtl))
                        .doOnNext(e -> local.endSessionsBefore(e.userId(), e.before()))
                        .count())
                .doOnNext(counts -> log.info("Loaded {} signed-out sessions and {} users' ended sessions from MySQL",
                        counts.getT1(), counts.getT2()))
                .then();
    }
}
