package dev.tollgate.admin.auth;

import java.util.Locale;
import java.util.Optional;

/** Who may do what: an admin runs the gateway, a customer sees and manages only their own things. */
public enum Role {
    ADMIN,
    CUSTOMER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromWire(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (Role r : values()) {
            if (r.wireName().equals(text)) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }
}
