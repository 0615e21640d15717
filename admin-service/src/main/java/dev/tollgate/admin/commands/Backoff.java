package dev.tollgate.admin.commands;

import java.time.Duration;

/** Exponential delays between attempts: {@code first}, doubling up to {@code max}, until {@link #reset()}. */
final class Backoff {

    private final Duration first;
    private final Duration max;
    private Duration next;

    Backoff(Duration first, Duration max) {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("need 0 < first <= max, got " + first + " and " + max);
        }
        this.first = first;
        this.max = max;
        this.next = first;
    }

    /** The delay before the next attempt; each call doubles the one after, capped at {@code max}. */
    Duration next() {
        Duration current = next;
        next = current.compareTo(max.dividedBy(2)) > 0 ? max : current.multipliedBy(2);
        return current;
    }

    /** True when the next delay is the first one again. */
    boolean isReset() {
        return next.equals(first);
    }

    void reset() {
        next = first;
    }

    Duration max() {
        return max;
    }
}
