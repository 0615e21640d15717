package dev.tollgate.admin.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Sign-in abuse limits: a fixed window per client address (of failed sign-ins and of sign-ups, so a busy but
 * honest address is never slowed), and per username a lockout with exponential backoff after consecutive failures. Unknown usernames are counted like known ones, so the answers
 * never tell whether a user exists. Per-instance memory, bounded by {@link LoginLimitProperties#maxTracked()}.
 */
public final class LoginThrottle {

    private final LoginLimitProperties limits;
    private final Clock clock;
    private final Cache<String, Window> byAddress;
    private final Cache<String, Failures> byUsername;

    public LoginThrottle(LoginLimitProperties limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.byAddress = Caffeine.newBuilder().maximumSize(limits.maxTracked()).build();
        this.byUsername = Caffeine.newBuilder().maximumSize(limits.maxTracked()).build();
    }

    /** How long {@code address} must wait, if it used up its window's allowance. */
    public Optional<Duration> addressBlocked(String address) {
        Instant now = clock.instant();
        Window w = byAddress.getIfPresent(address);
        return w != null && now.isBefore(w.end()) && w.attempts() >= limits.attemptsPerIp()
                ? Optional.of(untilAtLeastASecond(now, w.end()))
                : Optional.empty();
    }

    /** Counts one attempt against {@code address}'s allowance. */
    public void countAddress(String address) {
        Instant now = clock.instant();
        byAddress.asMap().compute(address, (k, w) -> w == null || !now.isBefore(w.end())
                ? new Window(now.plus(limits.ipWindow()), 1)
                : new Window(w.end(), w.attempts() + 1));
    }

    /** Gives back an attempt counted before a sign-in that then succeeded. */
    public void refundAddress(String address) {
        byAddress.asMap().computeIfPresent(address, (k, w) -> new Window(w.end(), Math.max(0, w.attempts() - 1)));
    }

    /** How long {@code username} is still locked, if it is. */
    public Optional<Duration> lockedFor(String username) {
        Instant now = clock.instant();
        Failures f = byUsername.getIfPresent(key(username));
        return f != null && f.lockedUntil() != null && now.isBefore(f.lockedUntil())
                ? Optional.of(untilAtLeastASecond(now, f.lockedUntil()))
                : Optional.empty();
    }

    /** A wrong password (or unknown user): from the threshold on, each failure locks for twice as long. */
    public void failed(String username) {
        Instant now = clock.instant();
        byUsername.asMap().compute(key(username), (k, f) -> {
            int count = f == null ? 1 : f.consecutive() + 1;
            int over = count - limits.failuresBeforeLockout();
            return new Failures(count, over < 0 ? null : now.plus(lockout(over)));
        });
    }

    public void succeeded(String username) {
        byUsername.invalidate(key(username));
    }

    Duration lockout(int doublings) {
        Duration max = limits.maxLockout();
        Duration d = limits.lockout();
        for (int i = 0; i < doublings && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }

    private static String key(String username) {
        return username.trim().toLowerCase(Locale.ROOT);
    }

    private static Duration untilAtLeastASecond(Instant now, Instant end) {
        Duration left = Duration.between(now, end);
        return left.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : left;
    }

    private record Window(Instant end, int attempts) {
    }

    private record Failures(int consecutive, Instant lockedUntil) {
    }
}
