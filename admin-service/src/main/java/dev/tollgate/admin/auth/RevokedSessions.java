package dev.tollgate.admin.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * This instance's view of ended sessions: tokens signed out before they expire (each remembered only until its own
 * expiry), and per user the time before which every session has ended (remembered for one session lifetime after
 * it, when every token it ends has expired anyway). Filled by this instance's own sign-outs at once, and by
 * {@link SessionRevocations} from the ledger's changes and from MySQL at start-up, so it holds cluster-wide.
 */
public final class RevokedSessions {

    private final Clock clock;
    private final Cache<String, Instant> revoked;
    private final Cache<Long, Instant> endedBefore;

    public RevokedSessions(Clock clock, long maxTracked, Duration sessionTtl) {
        this.clock = clock;
        this.revoked = Caffeine.newBuilder()
                .maximumSize(maxTracked)
                .ticker(() -> clock.millis() * 1_000_000L)
                .expireAfter(Expiry.<String, Instant>creating((id, expiresAt) ->
                        positive(Duration.between(clock.instant(), expiresAt))))
                .build();
        this.endedBefore = Caffeine.newBuilder()
                .maximumSize(maxTracked)
                .ticker(() -> clock.millis() * 1_000_000L)
                .expireAfter(Expiry.<Long, Instant>writing((user, before) ->
                        positive(Duration.between(clock.instant(), before.plus(sessionTtl)))))
                .build();
    }

    public void revoke(SessionTokens.Session session) {
        revoke(session.id(), session.expiresAt());
    }

    /** The session with this token id is refused until it expires. */
    public void revoke(String sessionId, Instant expiresAt) {
        if (expiresAt.isAfter(clock.instant())) {
            revoked.put(sessionId, expiresAt);
        }
    }

    /** The user's sessions issued before {@code before} are refused; a later time wins, an earlier one changes nothing. */
    public void endSessionsBefore(long userId, Instant before) {
        endedBefore.asMap().merge(userId, before, (a, b) -> a.isAfter(b) ? a : b);
    }

    public boolean isRevoked(SessionTokens.Session session) {
        if (revoked.getIfPresent(session.id()) != null) {
            return true;
        }
        Instant before = endedBefore.getIfPresent(session.caller().userId());
        return before != null && session.issuedAt().isBefore(before);
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
