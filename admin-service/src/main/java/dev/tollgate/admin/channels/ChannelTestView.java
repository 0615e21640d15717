package dev.tollgate.admin.channels;

/**
 * The answer of a channel test: whether the upstream answered a one-token chat request (or, for a channel
 * without models, a model listing), its HTTP status (0: none), how long it took, and a generic message with
 * nothing key-like in it.
 */
public record ChannelTestView(boolean ok, int status, long latencyMs, String message) {
}
