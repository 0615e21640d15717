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

    private final MutableClock clock = new MutableClock(NOW);
    private final SessionTokens tokens = new SessionTokens("secret-one", Duration.ofHours(12), clock);

    @Test
    void shouldReturnCallerWhenTokenIsSignedAndFresh() {
        String token = tokens.issue(42, Role.CUSTOMER);

        assertThat(tokens.verify(token)).contains(new Caller(42, Role.CUSTOMER));
    }

    @Test
    void shouldRejectWhenTokenHasExpired() {
        String token = tokens.issue(1, Role.ADMIN);

        clock.now = NOW.plus(Duration.ofHours(12)).minusSeconds(1);
        assertThat(tokens.verify(token)).isPresent();
        clock.now = NOW.plus(Duration.ofHours(12));
        assertThat(tokens.verify(token)).isEmpty();
    }

    @Test
    void shouldRejectWhenSignedWithAnotherSecret() {
        String foreign = new SessionTokens("secret-two", Duration.ofHours(12), clock).issue(1, Role.ADMIN);

        assertThat(tokens.verify(foreign)).isEmpty();
    }

    @Test
    void shouldRejectWhenClaimsWereTamperedWith() {
        String token = tokens.issue(7, Role.CUSTOMER);
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
