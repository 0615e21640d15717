package dev.tollgate.relay.routing;

import dev.tollgate.relay.snapshot.Channel;

/**
 * What this relay has learnt about each channel from its own attempts: a circuit breaker per channel (open
 * channels are skipped; half-open lets a few probes through) and a cooldown per channel and model after a 429
 * (for its Retry-After, or a default). Local to the relay; a channel that must be switched off everywhere is
 * disabled by command.
 *
 * <p>How an attempt uses it, so that no half-open probe permit leaks:
 * <ol>
 *   <li>{@link #available} while planning, for every candidate: a check that takes nothing (many candidates are
 *       planned, few attempted).</li>
 *   <li>{@link #tryAcquire} right before sending to a candidate: takes the breaker's permit. {@code false} (another
 *       request took the last probe, or the channel was cooled down meanwhile) → skip to the next candidate without
 *       recording anything.</li>
 *   <li>After every {@code true} from {@link #tryAcquire}, exactly one of: {@link #record} once the attempt has an
 *       outcome, or {@link #release} when it was abandoned without one (the client went away, the request was
 *       refused before sending). A half-open breaker that lent a permit and never hears back stays half-open.</li>
 * </ol>
 */
public interface ChannelHealth {

    /** May this channel be tried for this model now? Takes no permit. */
    boolean available(Channel channel, String model);

    /** Takes the permit for one attempt now; false → do not attempt this channel. */
    boolean tryAcquire(Channel channel, String model);

    /** The attempt that {@link #tryAcquire} admitted ended; {@code elapsedNanos} from its start. */
    void record(Channel channel, String model, AttemptOutcome outcome, long elapsedNanos);

    /** The attempt that {@link #tryAcquire} admitted was abandoned without an outcome: gives the permit back. */
    void release(Channel channel);

    /** Knows nothing, allows everything: for tests and tools that do not fail over. */
    ChannelHealth NONE = new ChannelHealth() {
        @Override
        public boolean available(Channel channel, String model) {
            return true;
        }

        @Override
        public boolean tryAcquire(Channel channel, String model) {
            return true;
        }

        @Override
        public void record(Channel channel, String model, AttemptOutcome outcome, long elapsedNanos) {
        }

        @Override
        public void release(Channel channel) {
        }
    };
}
