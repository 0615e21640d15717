package dev.tollgate.admin.keys;

import java.time.Instant;
import java.util.List;

/**
 * The answer to creating or rotating a key: the only place the key itself is ever shown. {@code rotatedFrom}: the key
 * a rotation replaced (null on a create).
 */
public record CreatedKeyView(long id, String key, String prefix, long userId, String name, String group,
        Long quotaMicros, long usedMicros, List<String> models, List<String> allowedCidrs, Instant expiresAt,
        boolean enabled, long version, Instant createdAt, boolean captureBodies, Long rotatedFrom) {

    static CreatedKeyView of(String key, KeyView v) {
        return new CreatedKeyView(v.id(), key, v.prefix(), v.userId(), v.name(), v.group(), v.quotaMicros(),
                v.usedMicros(), v.models(), v.allowedCidrs(), v.expiresAt(), v.enabled(), v.version(), v.createdAt(),
                v.captureBodies(), v.rotatedFrom());
    }

    @Override
    public String toString() {
        return "CreatedKeyView[id=" + id + ", prefix=" + prefix + "]";
    }
}
