package dev.tollgate.admin.keys;

import java.time.Instant;
import java.util.List;

/**
 * A customer key as lists show it: its display prefix, never the key or its hash. {@code rpmLimit}/{@code tpmLimit}:
 * its rate limits (null: none); {@code fallbackGroup}: routed to when its group has no channel for a model;
 * {@code captureBodies}: its requests' and answers' bodies are kept in the request log. {@code rotatedFrom}: the key
 * this one replaced; {@code rotatedTo}: the key that replaced this one (whose {@code expiresAt} ends its grace).
 */
public record KeyView(long id, String prefix, long userId, String name, String group, Long quotaMicros,
        long usedMicros, List<String> models, List<String> allowedCidrs, Instant expiresAt, boolean enabled,
        long version, Instant createdAt, Integer rpmLimit, Long tpmLimit, String fallbackGroup,
        boolean captureBodies, Long rotatedFrom, Long rotatedTo) {
}
