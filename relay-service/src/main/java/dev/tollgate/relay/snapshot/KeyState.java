package dev.tollgate.relay.snapshot;

import dev.tollgate.contracts.events.Change;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A customer key as the relay holds it (a few hundred bytes: a million fit comfortably). {@code rpmLimit} /
 * {@code tpmLimit}: its rate limits (null: none); {@code fallbackGroup}: routed to after its group (null: none);
 * {@code captureBodies}: its requests' bodies go on their usage events.
 */
public record KeyState(long id, long userId, String keyHash, String group, Long quotaMicros, long usedMicros,
        Set<String> models, List<String> allowedCidrs, Instant expiresAt, boolean enabled, boolean deleted,
        long version, Integer rpmLimit, Long tpmLimit, String fallbackGroup, boolean captureBodies) {

    public KeyState {
        models = Set.copyOf(models);
        allowedCidrs = List.copyOf(allowedCidrs);
    }

    /** A key without rate limits or fallback group. */
    public KeyState(long id, long userId, String keyHash, String group, Long quotaMicros, long usedMicros,
            Set<String> models, List<String> allowedCidrs, Instant expiresAt, boolean enabled, boolean deleted,
            long version) {
        this(id, userId, keyHash, group, quotaMicros, usedMicros, models, allowedCidrs, expiresAt, enabled, deleted,
                version, null, null, null);
    }

    /** A key that does not capture bodies. */
    public KeyState(long id, long userId, String keyHash, String group, Long quotaMicros, long usedMicros,
            Set<String> models, List<String> allowedCidrs, Instant expiresAt, boolean enabled, boolean deleted,
            long version, Integer rpmLimit, Long tpmLimit, String fallbackGroup) {
        this(id, userId, keyHash, group, quotaMicros, usedMicros, models, allowedCidrs, expiresAt, enabled, deleted,
                version, rpmLimit, tpmLimit, fallbackGroup, false);
    }

    static KeyState from(Change.KeyChanged c) {
        return new KeyState(c.id(), c.userId(), c.keyHash(), c.group(), c.quotaMicros(), c.usedMicros(),
                Set.copyOf(c.models()), c.allowedCidrs(), c.expiresAt(), c.enabled(), c.deleted(), c.version(),
                c.rpmLimit(), c.tpmLimit(), c.fallbackGroup(), c.captureBodies());
    }

    /** Usable at {@code now}: enabled, not deleted, not expired. */
    public boolean activeAt(Instant now) {
        return enabled && !deleted && (expiresAt == null || expiresAt.isAfter(now));
    }

    /** An empty allow-list means every model. */
    public boolean allowsModel(String model) {
        return models.isEmpty() || models.contains(model);
    }
}
