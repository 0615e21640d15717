package dev.tollgate.admin.keys;

import dev.tollgate.admin.users.RateLimitFields;
import dev.tollgate.admin.users.UserRequests;
import dev.tollgate.admin.web.ApiException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Bodies of the key calls. */
public final class KeyRequests {

    private static final int MAX_NAME = 128;
    private static final int MAX_LIST = 1000;

    private KeyRequests() {
    }

    /** {@code captureBodies}: keep each request's and answer's body, capped, in the request log (absent: no). */
    public record CreateKey(Long userId, String name, String group, Long quotaMicros, List<String> models,
            List<String> allowedCidrs, Instant expiresAt, Boolean enabled, Integer rpmLimit, Long tpmLimit,
            String fallbackGroup, Boolean captureBodies) {

        public CreateKey validate() {
            checkName(name);
            UserRequests.checkGroup(group);
            checkFallbackGroup(fallbackGroup);
            RateLimitFields.check(rpmLimit, tpmLimit);
            checkQuota(quotaMicros);
            checkModels(models);
            checkCidrs(allowedCidrs);
            return this;
        }
    }

    /**
     * A PATCH body: absent fields stay as they are; an explicit null removes a setting: {@code "quotaMicros": null}
     * the quota, {@code "expiresAt": null} the expiry, {@code "rpmLimit"}/{@code "tpmLimit": null} a rate limit,
     * {@code "fallbackGroup": null} the fallback group. {@code captureBodies} switches body capture on or off.
     */
    public record KeyPatch(String name, String group, Long quotaMicros, boolean clearQuota, List<String> models,
            List<String> allowedCidrs, Instant expiresAt, boolean clearExpiry, Boolean enabled, Integer rpmLimit,
            boolean clearRpmLimit, Long tpmLimit, boolean clearTpmLimit, String fallbackGroup,
            boolean clearFallbackGroup, Boolean captureBodies) {

        public static KeyPatch parse(ObjectNode body) {
            if (body == null) {
                throw ApiException.invalid("body", "a JSON object is required");
            }
            String name = text(body, "name");
            if (name != null) {
                checkName(name);
            }
            String group = text(body, "group");
            UserRequests.checkGroup(group);
            Long quota = body.has("quotaMicros") && !body.get("quotaMicros").isNull()
                    ? number(body, "quotaMicros") : null;
            checkQuota(quota);
            boolean clearQuota = body.has("quotaMicros") && body.get("quotaMicros").isNull();
            List<String> models = strings(body, "models");
            checkModels(models);
            List<String> cidrs = strings(body, "allowedCidrs");
            checkCidrs(cidrs);
            Instant expiresAt = instant(body, "expiresAt");
            boolean clearExpiry = body.has("expiresAt") && body.get("expiresAt").isNull();
            Boolean enabled = bool(body, "enabled");
            String fallbackGroup = text(body, FALLBACK_GROUP);
            checkFallbackGroup(fallbackGroup);
            return new KeyPatch(name, group, quota, clearQuota, models, cidrs, expiresAt, clearExpiry, enabled,
                    RateLimitFields.rpm(body), RateLimitFields.cleared(body, RateLimitFields.RPM),
                    RateLimitFields.tpm(body), RateLimitFields.cleared(body, RateLimitFields.TPM), fallbackGroup,
                    body.has(FALLBACK_GROUP) && body.get(FALLBACK_GROUP).isNull(), bool(body, "captureBodies"));
        }

        public boolean isEmpty() {
            return name == null && group == null && quotaMicros == null && !clearQuota && models == null
                    && allowedCidrs == null && expiresAt == null && !clearExpiry && enabled == null
                    && rpmLimit == null && !clearRpmLimit && tpmLimit == null && !clearTpmLimit
                    && fallbackGroup == null && !clearFallbackGroup && captureBodies == null;
        }
    }

    /** Default grace of a rotated key: a day, time to roll the new key out. */
    public static final long DEFAULT_GRACE_SECONDS = 86_400;
    /** The longest grace (the ledger refuses more too). */
    public static final long MAX_GRACE_SECONDS = 30L * 86_400;

    /** {@code graceSeconds}: how long the old key keeps working (absent: a day; 0: it stops at once). */
    public record RotateKey(Long graceSeconds) {

        public long grace() {
            if (graceSeconds == null) {
                return DEFAULT_GRACE_SECONDS;
            }
            if (graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS) {
                throw ApiException.invalid("graceSeconds", "0 to " + MAX_GRACE_SECONDS + " (30 days)");
            }
            return graceSeconds;
        }
    }

    static final String FALLBACK_GROUP = "fallbackGroup";

    /** Validated like {@code group}: the same names. */
    static void checkFallbackGroup(String fallbackGroup) {
        try {
            UserRequests.checkGroup(fallbackGroup);
        } catch (ApiException e) {
            throw ApiException.invalid(FALLBACK_GROUP, "1 to 64 letters, digits or _.:-");
        }
    }

    static void checkName(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME) {
            throw ApiException.invalid("name", "1 to " + MAX_NAME + " characters");
        }
    }

    static void checkQuota(Long quota) {
        if (quota != null && quota < 0) {
            throw ApiException.invalid("quotaMicros", "must not be negative");
        }
    }

    static void checkModels(List<String> models) {
        if (models == null) {
            return;
        }
        if (models.size() > MAX_LIST || models.stream().anyMatch(m -> m == null || m.isBlank() || m.length() > 128)) {
            throw ApiException.invalid("models", "a list of model names (1 to 128 characters each)");
        }
    }

    static void checkCidrs(List<String> cidrs) {
        if (cidrs == null) {
            return;
        }
        for (String c : cidrs) {
            if (!Cidrs.isValid(c)) {
                throw ApiException.invalid("allowedCidrs", "'" + c + "' is not an IP address or CIDR block");
            }
        }
    }

    private static String text(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isString()) {
            throw ApiException.invalid(field, "must be a string");
        }
        return n.asString();
    }

    private static Long number(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw ApiException.invalid(field, "must be an integer");
        }
        return n.asLong();
    }

    private static Boolean bool(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isBoolean()) {
            throw ApiException.invalid(field, "must be true or false");
        }
        return n.asBoolean();
    }

    private static List<String> strings(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw ApiException.invalid(field, "must be a list of strings");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isString()) {
                throw ApiException.invalid(field, "must be a list of strings");
            }
            out.add(e.asString());
        }
        return out;
    }

    private static Instant instant(ObjectNode body, String field) {
        String text = text(body, field);
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid(field, "must be an ISO-8601 UTC instant such as 2030-01-01T00:00:00Z");
        }
    }
}
