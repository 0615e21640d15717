package dev.tollgate.admin.users;

import dev.tollgate.admin.auth.Role;
import dev.tollgate.admin.web.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Bodies of the user calls, each checking itself before anything is sent. */
public final class UserRequests {

    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.@+-]{1,128}");
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final int MIN_PASSWORD = 8;
    // bcrypt only reads the first 72 bytes; refuse longer rather than silently ignore the rest.
    private static final int MAX_PASSWORD_BYTES = 72;
    private static final int MAX_NOTE = 512;

    private UserRequests() {
    }

    public record CreateUser(String username, String password, String group, String role) {
        public CreateUser validate() {
            if (username == null || !USERNAME.matcher(username).matches()) {
                throw ApiException.invalid("username", "1 to 128 letters, digits or _.@+-");
            }
            checkPassword(password);
            checkGroup(group);
            if (role != null && Role.fromWire(role).isEmpty()) {
                throw ApiException.invalid("role", "must be admin or customer");
            }
            return this;
        }

        public String groupOrDefault() {
            return group == null ? "default" : group;
        }

        public String roleOrDefault() {
            return role == null ? Role.CUSTOMER.wireName() : role;
        }

        @Override
        public String toString() {
            return "CreateUser[username=" + username + ", group=" + group + ", role=" + role + "]";
        }
    }

    /**
     * A PATCH body: absent fields stay as they are; {@code "rpmLimit": null} / {@code "tpmLimit": null} remove a rate
     * limit.
     */
    public record UpdateUser(String group, Boolean enabled, String password, Integer rpmLimit, Long tpmLimit,
            boolean clearRpmLimit, boolean clearTpmLimit) {

        public UpdateUser(String group, Boolean enabled, String password) {
            this(group, enabled, password, null, null, false, false);
        }

        public static UpdateUser parse(ObjectNode body) {
            if (body == null) {
                throw ApiException.invalid("body", "a JSON object is required");
            }
            return new UpdateUser(text(body, "group"), bool(body, "enabled"), text(body, "password"),
                    RateLimitFields.rpm(body), RateLimitFields.tpm(body),
                    RateLimitFields.cleared(body, RateLimitFields.RPM), RateLimitFields.cleared(body, RateLimitFields.TPM));
        }

        public UpdateUser validate() {
            if (group == null && enabled == null && password == null && rpmLimit == null && tpmLimit == null
                    && !clearRpmLimit && !clearTpmLimit) {
                throw ApiException.invalid("body", "name at least one of group, enabled, password, rpmLimit, tpmLimit");
            }
            RateLimitFields.check(rpmLimit, tpmLimit);
            if (password != null) {
                checkPassword(password);
            }
            checkGroup(group);
            return this;
        }

        @Override
        public String toString() {
            return "UpdateUser[group=" + group + ", enabled=" + enabled + ", rpmLimit=" + rpmLimit + ", tpmLimit="
                    + tpmLimit + "]";
        }
    }

    public record TopUp(Long amountMicros, String note) {
        public TopUp validate() {
            if (amountMicros == null) {
                throw ApiException.invalid("amountMicros", "is required");
            }
            if (amountMicros == 0) {
                throw ApiException.invalid("amountMicros", "must not be 0");
            }
            if (note != null && note.length() > MAX_NOTE) {
                throw ApiException.invalid("note", "at most " + MAX_NOTE + " characters");
            }
            return this;
        }
    }

    static void checkPassword(String password) {
        if (password == null || password.length() < MIN_PASSWORD) {
            throw ApiException.invalid("password", "at least " + MIN_PASSWORD + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
            throw ApiException.invalid("password", "at most " + MAX_PASSWORD_BYTES + " bytes");
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

    public static void checkGroup(String group) {
        if (group != null && !GROUP.matcher(group).matches()) {
            throw ApiException.invalid("group", "1 to 64 letters, digits or _.:-");
        }
    }
}
