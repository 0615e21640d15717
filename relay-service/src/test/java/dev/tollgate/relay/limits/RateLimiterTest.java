package dev.tollgate.relay.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.RateCounts;
import dev.tollgate.relay.admission.PendingCharges;
import dev.tollgate.relay.api.Rejection;
import dev.tollgate.relay.auth.Principal;
import dev.tollgate.relay.snapshot.KeyState;
import dev.tollgate.relay.snapshot.RelaySnapshot;
import dev.tollgate.relay.snapshot.UserState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

    /** The start of a 5-second bucket, so the test knows when buckets leave the window. */
    private static final long T0 = 1_700_000_000_000L - 1_700_000_000_000L % RateWindow.BUCKET_MS;

    private final TestClock clock = new TestClock(T0);
    private final RelaySnapshot snapshot = new RelaySnapshot(null, null, "relay-a", new PendingCharges(), 10, 10,
            Duration.ofSeconds(30));
    private final PeerCounts peers = new PeerCounts("relay-a", Duration.ofSeconds(5));
    private final RateLimiter limiter = new RateLimiter(snapshot, peers, clock);

    private static Principal principal(long keyId, long userId, String group, Integer keyRpm, Long keyTpm,
            Integer userRpm, Long userTpm) {
        KeyState key = new KeyState(keyId, userId, "hash-" + keyId, null, null, 0, Set.of(), List.of(), null, true,
                false, 1, keyRpm, keyTpm, null);
        UserState user = new UserState(userId, group, true, 1, true, 1_000_000, 1, true, userRpm, userTpm, "customer");
        return new Principal(key, user, group);
    }

    private static Principal keyLimited(Integer rpm, Long tpm) {
        return principal(7, 1, "default", rpm, tpm, null, null);
    }

    private static Rejection refusal(Runnable call) {
        try {
            call.run();
        } catch (Rejection r) {
            return r;
        }
        throw new AssertionError("expected a rejection");
    }

    @Test
    void shouldGrantWithoutCountingWhenNoScopeIsLimited() {
        RateLimitGrant grant = limiter.acquire(keyLimited(null, null), 1_000);

        assertThat(grant).isSameAs(RateLimitGrant.NONE);
        assertThat(grant.headers()).isEmpty();
        assertThat(limiter.windowCounts()).isEmpty();
    }

    @Test
    void shouldRefuseWith429AndRateLimitHeadersWhenKeyRpmIsUsedUp() {
        Principal p = keyLimited(3, null);
        for (int i = 0; i < 3; i++) {
            limiter.acquire(p, 10);
        }

        Rejection r = refusal(() -> limiter.acquire(p, 10));

        assertThat(r.kind()).isEqualTo(Rejection.Kind.RATE_LIMITED);
        assertThat(r.kind().status()).isEqualTo(429);
        assertThat(r.kind().errorClass()).isEqualTo("rate_limit_exceeded");
        assertThat(r.kind().upstreamSide()).isFalse();
        assertThat(r.getMessage()).contains("requests per min", "Limit 3", "Used 3");
        // All three went into the bucket at T0, which leaves the window 65 s later.
        assertThat(r.retryAfter()).isEqualTo("65");
        assertThat(r.headers()).containsEntry("x-ratelimit-limit-requests", "3")
                .containsEntry("x-ratelimit-remaining-requests", "0")
                .containsEntry("x-ratelimit-reset-requests", "1m5s")
                .doesNotContainKey("x-ratelimit-limit-tokens");
    }

    @Test
    void shouldAdmitAgainWhenTheOldestRequestsSlideOutOfTheWindow() {
        Principal p = keyLimited(2, null);
        limiter.acquire(p, 0);
        clock.advance(30_000);
        limiter.acquire(p, 0);
        assertThatThrownBy(() -> limiter.acquire(p, 0)).isInstanceOf(Rejection.class);

        clock.advance(34_999);
        assertThat(refusal(() -> limiter.acquire(p, 0)).retryAfter()).as("1 ms before the first bucket leaves")
                .isEqualTo("1");
        clock.advance(1);
        RateLimitGrant grant = limiter.acquire(p, 0);

        assertThat(grant.headers()).containsEntry("x-ratelimit-remaining-requests", "0");
        assertThatThrownBy(() -> limiter.acquire(p, 0)).as("the request of T0+30s is still in the window")
                .isInstanceOf(Rejection.class);
    }

    @Test
    void shouldLimitTheUserOverAllItsKeysWhenTheUserHasALimit() {
        Principal keyA = principal(7, 1, "default", null, null, 2, null);
        Principal keyB = principal(8, 1, "default", null, null, 2, null);
        Principal otherUser = principal(9, 2, "default", null, null, 2, null);
        limiter.acquire(keyA, 0);
        limiter.acquire(keyB, 0);

        Rejection r = refusal(() -> limiter.acquire(keyA, 0));

        assertThat(r.getMessage()).contains("your account");
        assertThat(limiter.acquire(otherUser, 0)).isNotSameAs(RateLimitGrant.NONE);
    }

    @Test
    void shouldCountAllUsersOfTheGroupTogetherWhenTheGroupHasALimit() {
        snapshot.apply(new Change.GroupChanged("vip", 10_000, 2, 3, null));
        limiter.acquire(principal(7, 1, "vip", null, null, null, null), 0);
        limiter.acquire(principal(8, 2, "vip", null, null, null, null), 0);
        limiter.acquire(principal(9, 3, "vip", null, null, null, null), 0);

        Rejection r = refusal(() -> limiter.acquire(principal(10, 4, "vip", null, null, null, null), 0));

        assertThat(r.getMessage()).contains("your group vip");
        assertThat(limiter.acquire(principal(11, 5, "default", null, null, null, null), 0))
                .as("another group has no limit").isSameAs(RateLimitGrant.NONE);
    }

    @Test
    void shouldRefuseOnTokensWhenTheEstimateDoesNotFitAndNameTokensInTheHeaders() {
        Principal p = keyLimited(null, 1_000L);
        RateLimitGrant first = limiter.acquire(p, 600);

        assertThat(first.headers()).containsEntry("x-ratelimit-limit-tokens", "1000")
                .containsEntry("x-ratelimit-remaining-tokens", "400")
                .doesNotContainKey("x-ratelimit-limit-requests");
        Rejection r = refusal(() -> limiter.acquire(p, 500));
        assertThat(r.getMessage()).contains("tokens per min", "Used 600", "Requested 500");
        assertThat(r.headers()).containsEntry("x-ratelimit-remaining-tokens", "400");
        assertThat(limiter.acquire(p, 400)).as("an estimate that fits exactly").isNotNull();
    }

    @Test
    void shouldReplaceTheEstimateByTheActualTokensWhenSettled() {
        Principal p = keyLimited(null, 1_000L);
        RateLimitGrant grant = limiter.acquire(p, 900);
        clock.advance(12_000);

        grant.settle(200);
        grant.settle(5_000);

        assertThat(limiter.windowCounts()).containsExactly(new RateCounts.Scope("key:7", 1, 200));
        limiter.acquire(p, 800);
        assertThatThrownBy(() -> limiter.acquire(p, 1)).isInstanceOf(Rejection.class);
    }

    @Test
    void shouldCountTheActualTokensFromTheEndWhenTheEstimateAlreadyLeftTheWindow() {
        Principal p = keyLimited(null, 1_000L);
        RateLimitGrant longStream = limiter.acquire(p, 300);
        clock.advance(70_000);

        longStream.settle(700);

        assertThat(limiter.windowCounts()).containsExactly(new RateCounts.Scope("key:7", 0, 700));
    }

    @Test
    void shouldAddTheOtherRelaysSharedCountsWhenAdmitting() {
        Principal p = keyLimited(10, null);
        peers.accept(RateCounts.of("relay-b", 1, 0, 1, Instant.EPOCH, 60_000,
                List.of(new RateCounts.Scope("key:7", 6, 0))), clock.millis());
        peers.accept(RateCounts.of("relay-c", 1, 0, 1, Instant.EPOCH, 60_000,
                List.of(new RateCounts.Scope("key:7", 3, 0))), clock.millis());

        RateLimitGrant grant = limiter.acquire(p, 0);

        assertThat(grant.headers()).containsEntry("x-ratelimit-remaining-requests", "0");
        Rejection r = refusal(() -> limiter.acquire(p, 0));
        assertThat(r.getMessage()).contains("Used 10");
    }

    @Test
    void shouldIgnoreItsOwnRecordsAndRelaysSilentForLongerThanTheTimeout() {
        Principal p = keyLimited(5, null);
        peers.accept(RateCounts.of("relay-a", 1, 0, 1, Instant.EPOCH, 60_000,
                List.of(new RateCounts.Scope("key:7", 5, 0))), clock.millis());
        peers.accept(RateCounts.of("relay-b", 1, 0, 1, Instant.EPOCH, 60_000,
                List.of(new RateCounts.Scope("key:7", 4, 0))), clock.millis());
        limiter.acquire(p, 0);
        assertThatThrownBy(() -> limiter.acquire(p, 0)).as("own 1 + relay-b's 4").isInstanceOf(Rejection.class);

        clock.advance(5_001);

        assertThat(peers.livePeers(clock.millis())).isZero();
        limiter.acquire(p, 0);
    }

    @Test
    void shouldReplaceAPeersCountsByItsNewerTickAndAddPartsOfTheSameTick() {
        peers.accept(RateCounts.of("relay-b", 5, 0, 2, Instant.EPOCH, 60_000,
                List.of(new RateCounts.Scope("key:7", 4, 0))), clock.millis());
        peers.accept(RateCounts.of("relay-b", 5, 1, 2, Instant.EPOCH, 60_000,
                List.of(new RateCounts.Scope("user:1", 2, 0))), clock.millis());
        assertThat(peers.totals("key:7", clock.millis()).requests()).isEqualTo(4);
        assertThat(peers.totals("user:1", clock.millis()).requests()).isEqualTo(2);

        peers.accept(RateCounts.of("relay-b", 6, 0, 1, Instant.EPOCH, 60_000,
                List.of(new RateCounts.Scope("key:7", 1, 0))), clock.millis());
        peers.accept(RateCounts.of("relay-b", 5, 0, 1, Instant.EPOCH, 60_000,
                List.of(new RateCounts.Scope("key:7", 9, 0))), clock.millis());

        assertThat(peers.totals("key:7", clock.millis()).requests()).as("the late tick 5 is ignored").isEqualTo(1);
        assertThat(peers.totals("user:1", clock.millis()).requests()).isZero();
    }

    @Test
    void shouldCheckEveryScopeAndCountInNoneWhenOneRefuses() {
        Principal p = principal(7, 1, "default", 5, null, 1, null);
        limiter.acquire(p, 0);

        assertThatThrownBy(() -> limiter.acquire(p, 0)).isInstanceOf(Rejection.class);

        assertThat(limiter.windowCounts()).containsExactlyInAnyOrder(new RateCounts.Scope("key:7", 1, 0),
                new RateCounts.Scope("user:1", 1, 0));
    }

    @Test
    void shouldDropIdleWindowsAndStartAfreshWhenTheScopeComesBack() {
        Principal p = keyLimited(1, null);
        limiter.acquire(p, 0);
        clock.advance(10 * 60_000);

        assertThat(limiter.windowCounts()).isEmpty();
        assertThat(limiter.acquire(p, 0).headers()).containsEntry("x-ratelimit-remaining-requests", "0");
    }

    @Test
    void shouldFormatResetDurationsLikeOpenAi() {
        assertThat(RateLimiter.RateLimitHeaders.duration(850)).isEqualTo("850ms");
        assertThat(RateLimiter.RateLimitHeaders.duration(12_000)).isEqualTo("12s");
        assertThat(RateLimiter.RateLimitHeaders.duration(12_001)).isEqualTo("13s");
        assertThat(RateLimiter.RateLimitHeaders.duration(65_000)).isEqualTo("1m5s");
        assertThat(RateLimiter.RateLimitHeaders.duration(-1)).isEqualTo("1m0s");
    }
}
