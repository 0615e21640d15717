package dev.tollgate.admin.settings;

import java.time.Instant;

/**
 * The gateway's settings. {@code registrationEnabled}: anyone may create a customer account
 * ({@code POST /api/auth/register}) in {@code registrationGroup}; {@code relayUrl}: where clients (and the web UI's
 * playground) reach the relay; {@code version}: the highest version of the stored settings (0: all defaults).
 */
public record SettingsView(boolean registrationEnabled, String registrationGroup, String relayUrl, long version,
        Instant updatedAt) {
}
