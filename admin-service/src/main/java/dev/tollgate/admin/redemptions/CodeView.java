package dev.tollgate.admin.redemptions;

import java.time.Instant;

/** One code of a batch as listed: its display prefix and who redeemed it, never its hash. */
public record CodeView(String prefix, Long redeemedBy, Instant redeemedAt) {
}
