package dev.tollgate.relay.routing;

import dev.tollgate.relay.snapshot.Channel;

/**
 * What this relay has learnt about each channel from its own attempts: a circuit breaker per channel (open
 * channels are skipped; half-open lets probes through) and a cooldown per channel and model after a 429 with
 * Retry-After. Local to the relay; a channel that must be switched off everywhere is disabled by command.
 */
public interface ChannelHealth {

    /** May this channel be tried for this model now? (A half-open breaker admits a limited number of probes.) */
    boolean available(Channel channel, String model);

    /** One attempt ended; {@code elapsedNanos} from its start. */
    void record(Channel channel, String model, AttemptOutcome outcome, long elapsedNanos);

    /** Knows nothing, allows everything: for tests and tools that do not fail over. */
    ChannelHealth NONE = new ChannelHealth() {
        @Override
        public boolean available(Channel channel, String model) {
            return true;
        }

        @Override
        public void record(Channel channel, String model, AttemptOutcome outcome, long elapsedNanos) {
        }
    };
}
