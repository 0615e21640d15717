package dev.tollgate.admin.auth;

import dev.tollgate.admin.commands.ChangeListener;
import dev.tollgate.admin.commands.CommandGateway;
import dev.tollgate.admin.commands.CommandResults;
import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Ends sessions across every admin instance. A sign-out takes effect on this instance at once (its own memory),
 * then goes to the ledger as a command; the ledger keeps it in MySQL and announces it ({@code session.revoked}),
 * and every instance adds it to its memory. An instance loads what MySQL holds when it starts and whenever it
 * starts following the changes again (what was announced meanwhile was not read), and serves no session before
 * its first load.
 */
@Component
public class SessionRevocations implements ChangeListener {

    private static final Logger log = LoggerFactory.getLogger(SessionRevocations.class);
    /** Effectively forever: a successful first load is never repeated for {@link #ready()}. */
    private static final Duration KEEP = Duration.ofDays(36_500);

    private final RevokedSessions local;
    private final SessionRepository repository;
    private final CommandGateway gateway;
    private final Clock clock;
    private final Duration sessionTtl;
    private final Mono<Void> firstLoad;

    public SessionRevocations(RevokedSessions local, SessionRepository repository, CommandGateway gateway,
            SessionTokens tokens, Clock clock) {
        this.local = local;
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

    /** Signs one session out: here at once, everywhere once the ledger has it. */
    Mono<Void> signOut(SessionTokens.Session session, String commandId, String fingerprint, String actor) {
        local.revoke(session);
        long userId = session.caller().userId();
        return gateway.send(new Command.RevokeSession(userId, session.id(), session.expiresAt()), commandId,
                        fingerprint, actor)
                .map(CommandResults::requireOk)
                .then();
    }

    /**
     * Ends every session of the user issued until now, here at once and everywhere once the ledger has it; the time
     * returned is the one sessions were ended before (a token issued after it survives).
     */
    Mono<Instant> endSessions(long userId, String commandId, String fingerprint, String actor) {
        Instant before = now();
        local.endSessionsBefore(userId, before);
        return gateway.send(new Command.RevokeSessions(userId, before), commandId, fingerprint, actor)
                .map(CommandResults::requireOk)
                .thenReturn(before);
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
