package dev.tollgate.relay.snapshot;

/**
 * A user as the relay holds it: the profile and the balance, each with its own version, since they change
 * through different events. An entry created by an event before the user was loaded may lack one of the
 * two parts; such an entry is completed from MySQL on first use. The rate limits ({@code rpmLimit},
 * {@code tpmLimit}, null: none) and the {@code role} ({@code admin} or {@code customer}) belong to the profile.
 */
public record UserState(long id, String group, boolean enabled, long profileVersion, boolean hasProfile,
        long balanceMicros, long balanceVersion, boolean hasBalance, Integer rpmLimit, Long tpmLimit, String role) {

    public static final String ADMIN = "admin";

    /** A customer without rate limits. */
    public UserState(long id, String group, boolean enabled, long profileVersion, boolean hasProfile,
            long balanceMicros, long balanceVersion, boolean hasBalance) {
        this(id, group, enabled, profileVersion, hasProfile, balanceMicros, balanceVersion, hasBalance, null, null,
                null);
    }

    /** An admin's key may pin a request to one channel (for testing channels). */
    public boolean admin() {
        return ADMIN.equals(role);
    }

    public boolean complete() {
        return hasProfile && hasBalance;
    }

    static UserState profile(long id, String group, boolean enabled, long version, Integer rpmLimit, Long tpmLimit,
            String role) {
        return new UserState(id, group, enabled, version, true, 0, 0, false, rpmLimit, tpmLimit, role);
    }

    static UserState balance(long id, long balanceMicros, long balanceVersion) {
        return new UserState(id, null, false, 0, false, balanceMicros, balanceVersion, true);
    }

    /** Keeps, part by part, whichever copy is newer; versions decide, not arrival order. */
    UserState merge(UserState other) {
        boolean takeProfile = other.hasProfile && (!hasProfile || other.profileVersion > profileVersion);
        boolean takeBalance = other.hasBalance && (!hasBalance || other.balanceVersion > balanceVersion);
        return new UserState(id,
                takeProfile ? other.group : group,
                takeProfile ? other.enabled : enabled,
                takeProfile ? other.profileVersion : profileVersion,
                hasProfile || other.hasProfile,
                takeBalance ? other.balanceMicros : balanceMicros,
                takeBalance ? other.balanceVersion : balanceVersion,
                hasBalance || other.hasBalance,
                takeProfile ? other.rpmLimit : rpmLimit,
                takeProfile ? other.tpmLimit : tpmLimit,
                takeProfile ? other.role : role);
    }
}
