package dev.tollgate.admin.commands;

import dev.tollgate.admin.web.ApiException;
import java.util.UUID;

/**
 * A write's command id. A client's {@code Idempotency-Key} is scoped to the caller and the route it
 * was sent to, so two callers never share an id and nobody can claim an id someone else will use;
 * without the header, a fresh UUID.
 */
public final class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    static final String SCOPED_PREFIX = "idem:";
    private static final int MAX_LENGTH = 128;

    private IdempotencyKeys() {
    }

    public static String commandId(String actor, WriteRequest write) {
        String header = write.idempotencyKey();
        if (header == null || header.isBlank()) {
            return UUID.randomUUID().toString();
        }
        String key = header.trim();
        if (key.length() > MAX_LENGTH) {
            throw ApiException.invalid(HEADER, "at most " + MAX_LENGTH + " characters");
        }
        return scoped(actor, write.method(), write.route(), key);
    }

    /** {@code "idem:" + sha256hex(actor|method|route|key)}. */
    public static String scoped(String actor, String method, String route, String key) {
        return SCOPED_PREFIX + Fingerprints.sha256Hex(actor + "|" + method + "|" + route + "|" + key);
    }
}
