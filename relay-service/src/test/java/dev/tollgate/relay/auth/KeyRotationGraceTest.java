package dev.tollgate.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.relay.admission.PendingCharges;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.api.anthropic.AnthropicErrorWriter;
import dev.tollgate.relay.snapshot.RelaySnapshot;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/** A rotated key works until its grace ends and is refused after, by the clock alone: no change event at expiry. */
class KeyRotationGraceTest {

    private static final Instant ROTATED_AT = Instant.parse("2026-03-01T12:00:00Z");
    private static final long GRACE_SECONDS = 3600;

    private final MovableClock clock = new MovableClock(ROTATED_AT);
    private final RelaySnapshot snapshot = new RelaySnapshot(null, null, "relay-a", new PendingCharges(), 10, 10,
            Duration.ofSeconds(30));
    private final KeyAuthenticator authenticator = new KeyAuthenticator(snapshot, clock);
    private final String oldKey = CustomerKeys.generate();
    private final String newKey = CustomerKeys.generate();

    /** What the ledger announces for a rotation: the replacement, and the old key with its grace as its expiry. */
    private void givenRotation() {
        snapshot.apply(new Change.UserChanged(1, "ann", "customer", "default", true, 1));
        snapshot.apply(new Change.BalanceChanged(1, 10_000, 1, Map.of(), Map.of()));
        snapshot.apply(new Change.KeyChanged(8, 1, "ci", CustomerKeys.hash(newKey), "tg-new", null, null, 0,
                List.of(), List.of(), null, true, false, 1));
        snapshot.apply(new Change.KeyChanged(7, 1, "ci", CustomerKeys.hash(oldKey), "tg-old", null, null, 0,
                List.of(), List.of(), ROTATED_AT.plusSeconds(GRACE_SECONDS), true, false, 2));
    }

    @Test
    void shouldServeBothKeysWhileTheOldOneIsInsideItsGrace() {
        givenRotation();
        clock.set(ROTATED_AT.plusSeconds(GRACE_SECONDS - 1));

        assertThat(authenticate(oldKey).keyId()).isEqualTo(7);
        assertThat(authenticate(newKey).keyId()).isEqualTo(8);
    }

    @Test
    void shouldRefuseTheOldKeyWith401SayingItExpiredOnceTheGraceHasPassed() {
        givenRotation();
        assertThat(authenticate(oldKey).keyId()).isEqualTo(7);

        clock.set(ROTATED_AT.plusSeconds(GRACE_SECONDS));

        assertThatThrownBy(() -> authenticate(oldKey)).isInstanceOfSatisfying(Rejection.class, r -> {
            assertThat(r.kind()).isEqualTo(Rejection.Kind.INVALID_API_KEY);
            assertThat(r.kind().status()).isEqualTo(401);
            assertThat(r.getMessage()).contains("expired").contains("rotated");
            String anthropic = new String(AnthropicErrorWriter.body(r), StandardCharsets.UTF_8);
            assertThat(anthropic).contains("\"type\":\"authentication_error\"").contains("expired");
        });
        assertThat(authenticate(newKey).keyId()).isEqualTo(8);
    }

    @Test
    void shouldStillGiveNoHintForAnUnknownOrDisabledKey() {
        givenRotation();
        snapshot.apply(new Change.KeyChanged(7, 1, "ci", CustomerKeys.hash(oldKey), "tg-old", null, null, 0,
                List.of(), List.of(), ROTATED_AT.minusSeconds(1), false, false, 3));

        assertThatThrownBy(() -> authenticate(oldKey)).isInstanceOfSatisfying(Rejection.class,
                r -> assertThat(r.getMessage()).isEqualTo("Incorrect API key provided."));
    }

    private Principal authenticate(String key) {
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(key);
        return authenticator.authenticate(headers).block(Duration.ofSeconds(5));
    }

    /** A clock the test moves, as time passes for a running relay. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant at) {
            now = at;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
