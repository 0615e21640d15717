package dev.tollgate.contracts;

import java.security.SecureRandom;
import java.util.OptionalLong;
import java.util.UUID;

/** Request ids: UUIDv7 (time-ordered, so request-log inserts stay near the end of the index). */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static UUID uuidV7() {
        long millis = System.currentTimeMillis();
        long randA = RANDOM.nextInt(1 << 12);
        long randB = RANDOM.nextLong();
        long msb = (millis << 16) | (0x7L << 12) | randA;
        long lsb = (randB & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /**
     * When a UUIDv7 request id was made (its first 48 bits, epoch millis), so a lookup by id can narrow itself to
     * the days around it; empty for any other id (other versions, not a UUID).
     */
    public static OptionalLong uuidV7Millis(String id) {
        if (id == null || id.length() != 36) {
            return OptionalLong.empty();
        }
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            return OptionalLong.empty();
        }
        if (uuid.version() != 7) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(uuid.getMostSignificantBits() >>> 16);
    }
}
