package dev.tollgate.admin.commands;

import dev.tollgate.admin.web.ApiException;
import java.util.UUID;

/** A write's command id: the client's {@code Idempotency-Key} header, else a fresh UUID. */
public final class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    private static final int MAX_LENGTH = 128;

    private IdempotencyKeys() {
    }

    public static String commandId(String header) {
        if (header == null || header.isBlank()) {
            return UUID.randomUUID().toString();
        }
        String key = header.trim();
        if (key.length() > MAX_LENGTH) {
            throw ApiException.invalid(HEADER, "at most " + MAX_LENGTH + " characters");
        }
        return key;
    }
}
