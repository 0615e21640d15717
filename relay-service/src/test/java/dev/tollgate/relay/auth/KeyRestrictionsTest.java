package dev.tollgate.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.money.Price;
import dev.tollgate.contracts.secrets.CustomerKeys;
import dev.tollgate.relay.admission.AdmissionGate;
import dev.tollgate.relay.admission.PendingCharges;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.snapshot.RelaySnapshot;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.reactive.function.server.MockServerRequest;

/** Every key restriction, each with the answer a client gets. */
class KeyRestrictionsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final PendingCharges pending = new PendingCharges();
    private final RelaySnapshot snapshot = new RelaySnapshot(null, null, "relay-a", pending, 10, 10,
            Duration.ofSeconds(30));
    private final KeyAuthenticator authenticator = new KeyAuthenticator(snapshot, Clock.fixed(NOW, ZoneOffset.UTC));
    private final AdmissionGate gate = new AdmissionGate(snapshot, pending, () -> false);
    private final String key = CustomerKeys.generate();

    private void givenUser(long balanceMicros) {
        snapshot.apply(new Change.UserChanged(1, "ann", "customer", "default", true, 1));
        snapshot.apply(new Change.BalanceChanged(1, balanceMicros, 1, Map.of(), Map.of()));
        // $1 per million output tokens: 1000 output tokens cost 1000 micros.
        snapshot.apply(new Change.PriceChanged("m", 1, Price.perMTok(0, 1_000_000), null));
    }

    private void givenKey(Long quotaMicros, long usedMicros, List<String> models, List<String> cidrs,
            Instant expiresAt, boolean enabled) {
        snapshot.apply(new Change.KeyChanged(7, 1, "ci", CustomerKeys.hash(key), "tg-x", null, quotaMicros,
                usedMicros, models, cidrs, expiresAt, enabled, false, 1));
    }

    private Principal authenticate() {
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(key);
        return authenticator.authenticate(headers).block(Duration.ofSeconds(5));
    }

    private static Consumer<Rejection> is(Rejection.Kind kind, int status, String errorClass) {
        return r -> {
            assertThat(r.kind()).isEqualTo(kind);
            assertThat(r.kind().status()).isEqualTo(status);
            assertThat(r.kind().errorClass()).isEqualTo(errorClass);
        };
    }

    @Test
    void shouldAnswer401WhenTheKeyHasExpired() {
        givenUser(10_000);
        givenKey(null, 0, List.of(), List.of(), NOW.minusSeconds(1), true);

        assertThatThrownBy(this::authenticate).isInstanceOfSatisfying(Rejection.class,
                is(Rejection.Kind.INVALID_API_KEY, 401, "invalid_api_key"));
    }

    @Test
    void shouldAuthenticateWhenTheKeyExpiresLater() {
        givenUser(10_000);
        givenKey(null, 0, List.of(), List.of(), NOW.plusSeconds(60), true);

        assertThat(authenticate().keyId()).isEqualTo(7);
    }

    @Test
    void shouldAnswer401WhenTheKeyIsDisabled() {
        givenUser(10_000);
        givenKey(null, 0, List.of(), List.of(), null, false);

        assertThatThrownBy(this::authenticate).isInstanceOfSatisfying(Rejection.class,
                is(Rejection.Kind.INVALID_API_KEY, 401, "invalid_api_key"));
    }

    @Test
    void shouldAnswer404ModelNotFoundWhenTheModelIsNotInTheKeysAllowList() {
        givenUser(10_000);
        givenKey(null, 0, List.of("gpt-4o-mini"), List.of(), null, true);
        Principal principal = authenticate();

        // ChatPipeline refuses with exactly this when allowsModel is false.
        assertThat(principal.key().allowsModel("gpt-4o")).isFalse();
        assertThat(principal.key().allowsModel("gpt-4o-mini")).isTrue();
        assertThat(Rejection.modelNotFound("gpt-4o")).satisfies(is(Rejection.Kind.MODEL_NOT_FOUND, 404,
                "model_not_found"));
    }

    @Test
    void shouldAnswer403WhenTheClientAddressIsNotInTheKeysCidrs() {
        givenUser(10_000);
        givenKey(null, 0, List.of(), List.of("192.0.2.0/24"), null, true);
        Principal principal = authenticate();
        ClientAddress addresses = new ClientAddress(List.of());

        MockServerRequest outside = MockServerRequest.builder()
                .remoteAddress(new InetSocketAddress("198.51.100.1", 5000))
                .header("X-Forwarded-For", "192.0.2.10")
                .build();
        MockServerRequest inside = MockServerRequest.builder()
                .remoteAddress(new InetSocketAddress("192.0.2.10", 5000))
                .build();

        assertThatThrownBy(() -> addresses.check(outside, principal)).isInstanceOfSatisfying(Rejection.class,
                is(Rejection.Kind.IP_NOT_ALLOWED, 403, "ip_not_allowed"));
        addresses.check(inside, principal);
    }

    @Test
    void shouldAnswer429InsufficientQuotaWhenTheKeysQuotaIsSpentThoughTheBalanceIsNot() {
        givenUser(1_000_000);
        givenKey(5_000L, 4_500, List.of(), List.of(), null, true);
        Principal principal = authenticate();

        assertThatThrownBy(() -> gate.admit(principal, "m", 0, 1000L, 1)).isInstanceOfSatisfying(Rejection.class,
                is(Rejection.Kind.INSUFFICIENT_QUOTA, 429, "insufficient_quota"));
        assertThat(gate.admit(principal, "m", 0, 500L, 1).estimateMicros()).as("what is left of the quota")
                .isEqualTo(500);
    }

    @Test
    void shouldLimitAKeyWithoutQuotaOnlyByTheBalance() {
        givenUser(10_000);
        givenKey(null, 1_000_000_000, List.of(), List.of(), null, true);
        Principal principal = authenticate();

        assertThat(gate.admit(principal, "m", 0, 10_000L, 1).estimateMicros()).isEqualTo(10_000);
        assertThatThrownBy(() -> gate.admit(principal, "m", 0, 1L, 1)).as("the balance is held in full now")
                .isInstanceOfSatisfying(Rejection.class, is(Rejection.Kind.INSUFFICIENT_QUOTA, 429,
                        "insufficient_quota"));
    }
}
