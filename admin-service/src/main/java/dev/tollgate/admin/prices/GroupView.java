package dev.tollgate.admin.prices;

import java.time.Instant;

/** A user group and its price multiplier in basis points (10,000 = 1×). */
public record GroupView(String name, long multiplierBp, long version, Instant updatedAt) {
}
