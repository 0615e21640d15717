package dev.tollgate.admin.prices;

import java.time.Instant;

/**
 * A user group, its price multiplier in basis points (10,000 = 1×) and its rate limits over all its users together
 * (null: none).
 */
public record GroupView(String name, long multiplierBp, long version, Instant updatedAt, Integer rpmLimit,
        Long tpmLimit) {
}
