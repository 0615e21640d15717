package dev.tollgate.admin.users;

import java.time.Instant;

/**
 * A user as the API shows it: never the password hash. {@code version} is the profile's, not the balance's.
 * {@code rpmLimit}/{@code tpmLimit}: the user's rate limits over all their keys (null: none).
 */
public record UserView(long id, String username, String role, String group, boolean enabled, long balanceMicros,
        long version, Instant createdAt, Integer rpmLimit, Long tpmLimit) {
}
