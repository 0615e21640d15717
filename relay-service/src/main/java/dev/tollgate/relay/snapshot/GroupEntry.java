package dev.tollgate.relay.snapshot;

/** A user group and its price multiplier in basis points (10,000 = 1×). */
public record GroupEntry(String name, long multiplierBp, long version) {
}
