package dev.tollgate.contracts.events;

/** One try of one channel for a request: which, how it ended, how long it took. */
public record Attempt(long channelId, String outcome, long ms) {
}
