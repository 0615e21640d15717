package dev.tollgate.admin.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SessionTokensTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final String HASH = "$2a$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234";

    private final MutableClock clock = new MutableClock(NOW);
    private final SessionTokens tokens = new SessionTokens("secret-one", Duration.ofHours(12), clock);

    @Test
    void shouldReturnCallerWhenTokenIsSignedAndFresh() {
        String token = tokens.issue(42, Role.CUSTOMER, HASH);

        assertThat(tokens.verify(token)).contains(new Caller(42, Role.CUSTOMER));
    }

    @Test
    void shouldRejectWhenTokenHasExpired() {
        String token = tokens.issue(1, Role.ADMIN, HASH);

        clock.now = NOW.plus(Duration.ofHours(12)).minusSeconds(1);
        assertThat(tokens.verify(token)).isPresent();
        clock.now = NOW.plus(Duration.ofHours(12));
        assertThat(tokens.verify(token)).isEmpty();
    }

    @Test
    void shouldRejectWhenSignedWithAnotherSecret() {
        String foreign = new SessionTokens("secret-two", Duration.ofHours(12), clock).issue(1, Role.ADMIN, HASH);

        assertThat(tokens.verify(foreign)).isEmpty();
    }

    @Test
    void shouldRejectWhenClaimsWereTamperedWith() {
        String token = tokens.issue(7, Role.CUSTOMER, HASH);
        String[] parts = token.split("\\.");
        String claims = new String(Base64.getUrlDecoder().decode(parts[1])).replace("customer", "admin");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(claims.getBytes())
                + "." + parts[2];

        assertThat(tokens.verify(forged)).isEmpty();
    }

    @Test
    void shouldRejectWhenTokenIsUnsignedOrGarbage() {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        String body = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"sub\":\"1\",\"role\":\"admin\",\"exp\":4102444800}".getBytes());

        assertThat(tokens.verify(header + "." + body + ".")).isEmpty();
        assertThat(tokens.verify("not-a-token")).isEmpty();
        assertThat(tokens.verify("")).isEmpty();
        assertThat(tokens.verify(null)).isEmpty();
    }

    @Test
    void shouldTieSessionToPasswordWhenPasswordChanges() {
        SessionTokens.Session session = tokens.verifySession(tokens.issue(3, Role.CUSTOMER, HASH)).orElseThrow();

        assertThat(tokens.issuedFor(session, HASH)).isTrue();
        assertThat(tokens.issuedFor(session, HASH.replace('a', 'b'))).isFalse();
        assertThat(session.credential()).doesNotContain(HASH.substring(7));
    }

    @Test
    void shouldGiveEverySessionItsOwnIdWhenIssuedTwice() {
        String a = tokens.issue(3, Role.CUSTOMER, HASH);
        String b = tokens.issue(3, Role.CUSTOMER, HASH);

        assertThat(tokens.verifySession(a).orElseThrow().id()).isNotEqualTo(tokens.verifySession(b).orElseThrow().id());
    }

    @Test
    void shouldForgetRevokedSessionWhenItWouldHaveExpiredAnyway() {
        RevokedSessions revoked = new RevokedSessions(clock, 100, Duration.ofHours(12));
        SessionTokens.Session session = tokens.verifySession(tokens.issue(3, Role.CUSTOMER, HASH)).orElseThrow();
        SessionTokens.Session other = tokens.verifySession(tokens.issue(3, Role.CUSTOMER, HASH)).orElseThrow();

        revoked.revoke(session);

        assertThat(revoked.isRevoked(session)).isTrue();
        assertThat(revoked.isRevoked(other)).isFalse();
        clock.now = session.expiresAt();
        assertThat(revoked.isRevoked(session)).isFalse();
    }

    @Test
    void shouldRefuseSessionsIssuedBeforeTheUsersEndTimeAndKeepTheLatestTime() {
        RevokedSessions revoked = new RevokedSessions(clock, 100, Duration.ofHours(12));
        SessionTokens.Session before = tokens.verifySession(tokens.issue(3, Role.CUSTOMER, HASH)).orElseThrow();
        SessionTokens.Session otherUser = tokens.verifySession(tokens.issue(4, Role.CUSTOMER, HASH)).orElseThrow();
        Instant ended = NOW.plusMillis(250);

        revoked.endSessionsBefore(3, ended);
        revoked.endSessionsBefore(3, NOW.minusSeconds(60));

        assertThat(revoked.isRevoked(before)).isTrue();
        assertThat(revoked.isRevoked(otherUser)).isFalse();
        clock.now = ended;
        SessionTokens.Session sameMillisecond = tokens.verifySession(tokens.issue(3, Role.CUSTOMER, HASH))
                .orElseThrow();
        assertThat(revoked.isRevoked(sameMillisecond)).as("issued at the end time itself: not before it").isFalse();
    }

    @Test
    void shouldIssueAfterTheEndTimeToTheMillisecondEvenWhenTheClockReadsEarlier() {
        Instant ended = NOW.plusMillis(999);
        SessionTokens.Session reissued = tokens.verifySession(tokens.issue(3, Role.ADMIN, HASH, ended)).orElseThrow();
        SessionTokens.Session plain = tokens.verifySession(tokens.issue(3, Role.ADMIN, HASH)).orElseThrow();

        assertThat(reissued.issuedAt()).isEqualTo(ended.plusMillis(1));
        assertThat(plain.issuedAt()).as("milliseconds, though iat has whole seconds").isEqualTo(NOW);
    }

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
