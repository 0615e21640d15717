package dev.tollgate.relay.routing;

import dev.tollgate.relay.config.RelayProperties;
import dev.tollgate.relay.snapshot.Channel;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * {@link ChannelHealth} from resilience4j circuit breakers, one per channel (named {@code channel-<id>}), used
 * directly because attempts are recorded by hand, plus cooldowns per channel and model after a 429.
 *
 * <p>{@link #available} peeks: it takes the breaker's permission and gives it straight back. That is what moves an
 * open breaker whose wait is over to half-open (resilience4j does it on a permission request), and in half-open it
 * tells whether a probe is left without keeping it. A peek at an open breaker counts in its "not permitted" metric;
 * a {@link #tryAcquire} racing a peek for the last probe may lose it, and that request just tries its next candidate.
 */
public class CircuitBreakerChannelHealth implements ChannelHealth {

    private final CircuitBreakerRegistry breakers;
    private final Clock clock;
    private final Duration defaultCooldown;
    private final Duration maxCooldown;
    private final ConcurrentMap<Cooling, Instant> cooldowns = new ConcurrentHashMap<>();

    public CircuitBreakerChannelHealth(RelayProperties.Routing routing, Clock clock) {
        RelayProperties.Routing.Breaker breaker = routing.breaker();
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breaker.slidingWindow())
                .minimumNumberOfCalls(breaker.minimumCalls())
                .failureRateThreshold(breaker.failureRatePercent())
                .waitDurationInOpenState(breaker.waitInOpen())
                .permittedNumberOfCallsInHalfOpenState(breaker.halfOpenCalls())
                // Open → half-open on the next permission request after the wait: no scheduler thread.
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                // Slowness is the upstream timeout's business, not the breaker's: long answers are normal.
                .slowCallDurationThreshold(Duration.ofDays(1))
                .clock(clock)
                .build();
        this.breakers = CircuitBreakerRegistry.of(config);
        this.clock = clock;
        this.defaultCooldown = routing.cooldown();
        this.maxCooldown = routing.maxCooldown();
    }

    @Override
    public boolean available(Channel channel, String model) {
        if (coolingDown(channel.id(), model)) {
            return false;
        }
        CircuitBreaker breaker = breaker(channel.id());
        if (breaker.tryAcquirePermission()) {
            breaker.releasePermission();
            return true;
        }
        return false;
    }

    @Override
    public boolean tryAcquire(Channel channel, String model) {
        return !coolingDown(channel.id(), model) && breaker(channel.id()).tryAcquirePermission();
    }

    @Override
    public void record(Channel channel, String model, AttemptOutcome outcome, long elapsedNanos) {
        CircuitBreaker breaker = breaker(channel.id());
        if (outcome.kind().failure()) {
            breaker.onError(elapsedNanos, TimeUnit.NANOSECONDS, new AttemptFailed(outcome.kind()));
        } else {
            breaker.onSuccess(elapsedNanos, TimeUnit.NANOSECONDS);
        }
        if (outcome.kind() == AttemptOutcome.Kind.RATE_LIMITED) {
            coolDown(channel.id(), model, outcome.retryAfter());
        }
    }

    @Override
    public void release(Channel channel) {
        breaker(channel.id()).releasePermission();
    }

    /** Breaker state gauges and call counters, tagged by breaker name ({@code channel-<id>}). */
    public void bindMetrics(MeterRegistry meterRegistry) {
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meterRegistry);
    }

    CircuitBreaker.State state(long channelId) {
        return breaker(channelId).getState();
    }

    private CircuitBreaker breaker(long channelId) {
        return breakers.circuitBreaker("channel-" + channelId);
    }

    private void coolDown(long channelId, String model, Duration retryAfter) {
        Duration wait = retryAfter == null ? defaultCooldown : retryAfter;
        if (wait.compareTo(maxCooldown) > 0) {
            wait = maxCooldown;
        }
        if (wait.isNegative() || wait.isZero()) {
            return;
        }
        // A shorter Retry-After arriving later does not shorten a cooldown already running.
        cooldowns.merge(new Cooling(channelId, model), clock.instant().plus(wait),
                (running, asked) -> running.isAfter(asked) ? running : asked);
    }

    private boolean coolingDown(long channelId, String model) {
        Cooling key = new Cooling(channelId, model);
        Instant until = cooldowns.get(key);
        if (until == null) {
            return false;
        }
        if (clock.instant().isBefore(until)) {
            return true;
        }
        cooldowns.remove(key, until);
        return false;
    }

    private record Cooling(long channelId, String model) {
    }

    /** What the breaker records as the error of a failed attempt (no stack: it is not thrown). */
    static final class AttemptFailed extends RuntimeException {

        AttemptFailed(AttemptOutcome.Kind kind) {
            super(kind.name(), null, false, false);
        }
    }
}
