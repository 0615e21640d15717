package dev.tollgate.admin.redemptions;

import java.time.Instant;

/** A batch of codes in a list: how many exist and how many were redeemed. */
public record BatchView(String name, long amountMicros, long total, long redeemed, Instant expiresAt,
        Instant createdAt) {
}
