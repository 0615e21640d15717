package dev.tollgate.relay.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.relay.config.RelayProperties;
import dev.tollgate.relay.snapshot.Channel;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CircuitBreakerChannelHealthTest {

    private static final Duration WAIT_IN_OPEN = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final CircuitBreakerChannelHealth health = new CircuitBreakerChannelHealth(
            new RelayProperties.Routing(new RelayProperties.Routing.Breaker(10, 5, 50, WAIT_IN_OPEN, 2),
                    Duration.ofSeconds(10), Duration.ofMinutes(5), 3, Duration.ofSeconds(60), Duration.ofSeconds(15)),
            clock);
    private final Channel channel = channel(1);
    private final Channel other = channel(2);

    private static Channel channel(long id) {
        return new Channel(id, "c" + id, "openai", "http://x/v1", null, Map.of(), Set.of("m", "n"), Map.of(),
                Set.of("default"), 0, 1, true, false, false, 1);
    }

    private static AttemptOutcome outcome(AttemptOutcome.Kind kind) {
        return new AttemptOutcome(kind, 0, null, null);
    }

    private static AttemptOutcome rateLimited(Duration retryAfter) {
        return new AttemptOutcome(AttemptOutcome.Kind.RATE_LIMITED, 429, retryAfter, null);
    }

    private void attempt(Channel target, AttemptOutcome outcome) {
        assertThat(health.tryAcquire(target, "m")).isTrue();
        health.record(target, "m", outcome, 1_000_000);
    }

    private void open() {
        for (int i = 0; i < 5; i++) {
            attempt(channel, outcome(AttemptOutcome.Kind.SERVER_ERROR));
        }
        assertThat(health.state(1)).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void shouldOpenBreakerAndHoldChannelBackWhenFailureRateReachesThreshold() {
        attempt(channel, AttemptOutcome.succeeded());
        attempt(channel, outcome(AttemptOutcome.Kind.TIMED_OUT));
        attempt(channel, outcome(AttemptOutcome.Kind.UNREACHABLE));
        attempt(channel, AttemptOutcome.succeeded());
        assertThat(health.state(1)).isEqualTo(CircuitBreaker.State.CLOSED);

        attempt(channel, outcome(AttemptOutcome.Kind.SERVER_ERROR));

        assertThat(health.state(1)).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(health.available(channel, "m")).isFalse();
        assertThat(health.available(channel, "n")).isFalse();
        assertThat(health.tryAcquire(channel, "m")).isFalse();
        assertThat(health.available(other, "m")).isTrue();
    }

    @Test
    void shouldKeepBreakerClosedWhenAttemptsFailOnlyWithClientErrors() {
        for (int i = 0; i < 20; i++) {
            attempt(channel, outcome(AttemptOutcome.Kind.CLIENT_ERROR));
        }
        assertThat(health.state(1)).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(health.available(channel, "m")).isTrue();
    }

    @Test
    void shouldStayOpenWhenWaitInOpenHasNotPassed() {
        open();
        clock.advance(WAIT_IN_OPEN.minusSeconds(1));
        assertThat(health.available(channel, "m")).isFalse();
        assertThat(health.state(1)).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    void shouldAdmitExactlyTheHalfOpenProbesWhenWaitInOpenHasPassed() {
        open();
        clock.advance(WAIT_IN_OPEN.plusSeconds(1));

        // Planning peeks without taking a probe, however often.
        for (int i = 0; i < 5; i++) {
            assertThat(health.available(channel, "m")).isTrue();
        }
        assertThat(health.state(1)).isEqualTo(CircuitBreaker.State.HALF_OPEN);

        assertThat(health.tryAcquire(channel, "m")).isTrue();
        assertThat(health.tryAcquire(channel, "m")).isTrue();
        assertThat(health.tryAcquire(channel, "m")).isFalse();
        assertThat(health.available(channel, "m")).isFalse();
    }

    @Test
    void shouldCloseBreakerWhenHalfOpenProbesSucceed() {
        open();
        clock.advance(WAIT_IN_OPEN.plusSeconds(1));

        attempt(channel, AttemptOutcome.succeeded());
        attempt(channel, AttemptOutcome.succeeded());

        assertThat(health.state(1)).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(health.available(channel, "m")).isTrue();
    }

    @Test
    void shouldOpenAgainWhenHalfOpenProbesFail() {
        open();
        clock.advance(WAIT_IN_OPEN.plusSeconds(1));

        attempt(channel, outcome(AttemptOutcome.Kind.SERVER_ERROR));
        attempt(channel, outcome(AttemptOutcome.Kind.SERVER_ERROR));

        assertThat(health.state(1)).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(health.available(channel, "m")).isFalse();
    }

    @Test
    void shouldGiveProbeBackWhenAdmittedAttemptIsReleased() {
        open();
        clock.advance(WAIT_IN_OPEN.plusSeconds(1));
        assertThat(health.tryAcquire(channel, "m")).isTrue();
        assertThat(health.tryAcquire(channel, "m")).isTrue();

        health.release(channel);

        assertThat(health.available(channel, "m")).isTrue();
        assertThat(health.tryAcquire(channel, "m")).isTrue();
        assertThat(health.tryAcquire(channel, "m")).isFalse();
    }

    @Test
    void shouldCoolChannelDownForThatModelUntilRetryAfterWhenRateLimited() {
        attempt(channel, rateLimited(Duration.ofSeconds(20)));

        assertThat(health.available(channel, "m")).isFalse();
        assertThat(health.tryAcquire(channel, "m")).isFalse();
        assertThat(health.available(channel, "n")).isTrue();
        assertThat(health.available(other, "m")).isTrue();

        clock.advance(Duration.ofSeconds(19));
        assertThat(health.available(channel, "m")).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(health.available(channel, "m")).isTrue();
        assertThat(health.tryAcquire(channel, "m")).isTrue();
    }

    @Test
    void shouldCoolDownForDefaultWhenRateLimitedWithoutRetryAfter() {
        attempt(channel, rateLimited(null));

        clock.advance(Duration.ofSeconds(9));
        assertThat(health.available(channel, "m")).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(health.available(channel, "m")).isTrue();
    }

    @Test
    void shouldCapCooldownWhenRetryAfterIsLonger() {
        attempt(channel, rateLimited(Duration.ofHours(2)));

        clock.advance(Duration.ofMinutes(5).minusSeconds(1));
        assertThat(health.available(channel, "m")).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(health.available(channel, "m")).isTrue();
    }

    @Test
    void shouldKeepLongerCooldownWhenLaterRetryAfterIsShorter() {
        attempt(channel, rateLimited(Duration.ofSeconds(60)));
        health.record(channel, "m", rateLimited(Duration.ofSeconds(5)), 1_000_000);

        clock.advance(Duration.ofSeconds(30));
        assertThat(health.available(channel, "m")).isFalse();
    }

    @Test
    void shouldPublishBreakerStateGaugesWhenMetricsAreBound() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        health.bindMetrics(registry);
        open();

        assertThat(registry.get("resilience4j.circuitbreaker.state")
                .tags("name", "channel-1", "state", "open").gauge().value()).isEqualTo(1.0);
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {

        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
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
