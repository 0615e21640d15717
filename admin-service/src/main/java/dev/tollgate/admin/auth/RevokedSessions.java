package dev.tollgate.admin.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Tokens signed out before they expire: each is remembered only until its own expiry, so the set stays small.
 * Per instance: a logout reaches the instance that served it (a password change or disabling reaches all, through
 * the users row every request reads).
 */
public final class RevokedSessions {

    private final Cache<String, Instant> revoked;

    public RevokedSessions(Clock clock, long maxTracked) {
        this.revoked = Caffeine.newBuilder()
                .maximumSize(maxTracked)
                .ticker(() -> clock.millis() * 1_000_000L)
                .expireAfter(Expiry.<String, Instant>creating((id, expiresAt) ->
                        positive(Duration.between(clock.instant(), expiresAt))))
                .build();
    }

    public void revoke(SessionTokens.Session session) {
        revoked.put(session.id(), session.expiresAt());
    }

    public boolean isRevoked(SessionTokens.Session session) {
        return revoked.getIfPresent(session.id()) != null;
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }
}
