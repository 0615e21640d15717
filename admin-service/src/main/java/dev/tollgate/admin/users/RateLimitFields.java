package dev.tollgate.admin.users;

import dev.tollgate.admin.web.ApiException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rate-limit fields of keys, users and groups: {@code rpmLimit} (requests per minute) and {@code tpmLimit}
 * (tokens per minute), each absent/null (no limit) or at least 1. In a PATCH an explicit null removes the limit.
 */
public final class RateLimitFields {

    public static final String RPM = "rpmLimit";
    public static final String TPM = "tpmLimit";

    private RateLimitFields() {
    }

    public static void check(Integer rpmLimit, Long tpmLimit) {
        checkOne(RPM, rpmLimit);
        checkOne(TPM, tpmLimit);
    }

    /** The requests-per-minute limit a PATCH body sets, or null (absent or explicit null). */
    public static Integer rpm(ObjectNode body) {
        Long value = number(body, RPM);
        if (value != null && value > Integer.MAX_VALUE) {
            throw ApiException.invalid(RPM, "at most " + Integer.MAX_VALUE);
        }
        return value == null ? null : value.intValue();
    }

    /** The tokens-per-minute limit a PATCH body sets, or null (absent or explicit null). */
    public static Long tpm(ObjectNode body) {
        return number(body, TPM);
    }

    /** True when the body names the field with an explicit null: the limit is removed. */
    public static boolean cleared(ObjectNode body, String field) {
        return body.has(field) && body.get(field).isNull();
    }

    private static Long number(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw ApiException.invalid(field, "must be an integer");
        }
        checkOne(field, n.asLong());
        return n.asLong();
    }

    private static void checkOne(String field, Number limit) {
        if (limit != null && limit.longValue() < 1) {
            throw ApiException.invalid(field, "must be at least 1 (or null for no limit)");
        }
    }
}
