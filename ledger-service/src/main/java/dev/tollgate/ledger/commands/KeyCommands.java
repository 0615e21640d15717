package dev.tollgate.ledger.commands;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.ledger.pricing.PriceRepository;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Component;

/** Customer keys: CreateKey, UpdateKey, RotateKey. Only the key's SHA-256 and display prefix ever arrive here. */
@Component
class KeyCommands {

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final String COLUMNS = "id, user_id, name, key_hash, prefix, group_name, quota_micros, used_micros, "
            + "models, allowed_cidrs, expires_at, enabled, deleted, version, rpm_limit, tpm_limit, fallback_group, "
            + "capture_bodies";

    /** The longest grace a rotated key keeps working for. */
    static final long MAX_GRACE_SECONDS = 30L * 24 * 3600;

    private final JdbcTemplate jdbc;
    private final PriceRepository groups;
    private final Clock clock;

    KeyCommands(JdbcTemplate jdbc, PriceRepository groups, Clock clock) {
        this.jdbc = jdbc;
        this.groups = groups;
        this.clock = clock;
    }

    Outcome create(Command.CreateKey c) {
        Optional<Outcome> invalid = Checks.required("name", c.name(), 128)
                .or(() -> Checks.required("prefix", c.prefix(), 16))
                .or(() -> Checks.rateLimit("rpmLimit", c.rpmLimit()))
                .or(() -> Checks.rateLimit("tpmLimit", c.tpmLimit()));
        if (invalid.isPresent()) {
            return invalid.get();
        }
        if (c.keyHash() == null || !SHA256_HEX.matcher(c.keyHash()).matches()) {
            return Outcome.rejected(Outcome.INVALID, "keyHash must be a lower-case SHA-256 hex digest");
        }
        if (jdbc.queryForList("SELECT id FROM users WHERE id = ?", Long.class, c.userId()).isEmpty()) {
            return Outcome.rejected(Outcome.NOT_FOUND, "no such user: " + c.userId());
        }
        if (c.group() != null && !groups.groupExists(c.group())) {
            return Outcome.rejected(Outcome.INVALID, "no such group: " + c.group());
        }
        if (c.fallbackGroup() != null && !groups.groupExists(c.fallbackGroup())) {
            return Outcome.rejected(Outcome.INVALID, "no such group: " + c.fallbackGroup());
        }
        if (c.quotaMicros() != null && c.quotaMicros() < 0) {
            return Outcome.rejected(Outcome.INVALID, "quotaMicros must not be negative");
        }
        if (!jdbc.queryForList("SELECT id FROM api_keys WHERE key_hash = ?", Long.class, c.keyHash()).isEmpty()) {
            return Outcome.rejected(Outcome.CONFLICT, "key already exists");
        }
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement("INSERT INTO api_keys (user_id, name, key_hash, prefix, "
                    + "group_name, quota_micros, models, allowed_cidrs, expires_at, enabled, rpm_limit, tpm_limit, "
                    + "fallback_group, capture_bodies) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS);
            ps.setLong(1, c.userId());
            ps.setString(2, c.name());
            ps.setString(3, c.keyHash());
            ps.setString(4, c.prefix());
            ps.setString(5, c.group());
            ps.setObject(6, c.quotaMicros());
            ps.setString(7, JsonColumns.write(c.models() == null ? List.of() : c.models()));
            ps.setString(8, JsonColumns.write(c.allowedCidrs() == null ? List.of() : c.allowedCidrs()));
            ps.setObject(9, JsonColumns.utc(c.expiresAt()));
            ps.setBoolean(10, c.enabled() == null || c.enabled());
            ps.setObject(11, c.rpmLimit());
            ps.setObject(12, c.tpmLimit());
            ps.setString(13, c.fallbackGroup());
            ps.setBoolean(14, Boolean.TRUE.equals(c.captureBodies()));
            return ps;
        }, keys);
        Change.KeyChanged key = load(keys.getKey().longValue(), false).orElseThrow();
        return Outcome.applied("key", Long.toString(key.id()), key.version(), key);
    }

    /**
     * Null fields stay as they are; the clear flags remove a setting (quota, expiry, rate limits, fallback group);
     * {@code captureBodies} switches capture on or off.
     */
    Outcome update(Command.UpdateKey c) {
        Optional<Change.KeyChanged> current = load(c.keyId(), true);
        if (current.isEmpty()) {
            return Outcome.rejected(Outcome.NOT_FOUND, "no such key: " + c.keyId());
        }
        Optional<Outcome> invalid = (c.name() == null ? Optional.<Outcome>empty() : Checks.required("name", c.name(), 128))
                .or(() -> Checks.rateLimit("rpmLimit", c.rpmLimit()))
                .or(() -> Checks.rateLimit("tpmLimit", c.tpmLimit()));
        if (invalid.isPresent()) {
            return invalid.get();
        }
        if (c.group() != null && !groups.groupExists(c.group())) {
            return Outcome.rejected(Outcome.INVALID, "no such group: " + c.group());
        }
        if (c.fallbackGroup() != null && !groups.groupExists(c.fallbackGroup())) {
            return Outcome.rejected(Outcome.INVALID, "no such group: " + c.fallbackGroup());
        }
        if (c.quotaMicros() != null && c.quotaMicros() < 0) {
            return Outcome.rejected(Outcome.INVALID, "quotaMicros must not be negative");
        }
        Change.KeyChanged k = current.get();
        Long quota = Boolean.TRUE.equals(c.clearQuota()) ? null : c.quotaMicros() != null ? c.quotaMicros() : k.quotaMicros();
        Instant expiry = Boolean.TRUE.equals(c.clearExpiry()) ? null : c.expiresAt() != null ? c.expiresAt() : k.expiresAt();
        Integer rpm = Boolean.TRUE.equals(c.clearRpmLimit()) ? null : c.rpmLimit() != null ? c.rpmLimit() : k.rpmLimit();
        Long tpm = Boolean.TRUE.equals(c.clearTpmLimit()) ? null : c.tpmLimit() != null ? c.tpmLimit() : k.tpmLimit();
        String fallback = Boolean.TRUE.equals(c.clearFallbackGroup()) ? null
                : c.fallbackGroup() != null ? c.fallbackGroup() : k.fallbackGroup();
        jdbc.update("UPDATE api_keys SET name = ?, group_name = ?, quota_micros = ?, models = ?, allowed_cidrs = ?, "
                        + "expires_at = ?, enabled = ?, deleted = ?, rpm_limit = ?, tpm_limit = ?, fallback_group = ?, "
                        + "capture_bodies = ?, version = version + 1, updated_at = CURRENT_TIMESTAMP(3) WHERE id = ?",
                c.name() != null ? c.name() : k.name(),
                c.group() != null ? c.group() : k.group(),
                quota,
                JsonColumns.write(c.models() != null ? c.models() : k.models()),
                JsonColumns.write(c.allowedCidrs() != null ? c.allowedCidrs() : k.allowedCidrs()),
                JsonColumns.utc(expiry),
                c.enabled() != null ? c.enabled() : k.enabled(),
                c.deleted() != null ? c.deleted() : k.deleted(),
                rpm, tpm, fallback,
                c.captureBodies() != null ? c.captureBodies() : k.captureBodies(),
                c.keyId());
        Change.KeyChanged after = load(c.keyId(), false).orElseThrow();
        return Outcome.applied("key", Long.toString(after.id()), after.version(), after);
    }

    /**
     * A new key with the old one's settings (its spend too, so a quota carries over); the old key expires at
     * now + grace, or earlier if it already expired sooner, and both point at each other. A key already rotated is
     * refused: rotating it again would leave two live replacements.
     */
    Outcome rotate(Command.RotateKey c) {
        if (c.keyHash() == null || !SHA256_HEX.matcher(c.keyHash()).matches()) {
            return Outcome.rejected(Outcome.INVALID, "keyHash must be a lower-case SHA-256 hex digest");
        }
        Optional<Outcome> invalid = Checks.required("prefix", c.prefix(), 16);
        if (invalid.isPresent()) {
            return invalid.get();
        }
        if (c.graceSeconds() < 0 || c.graceSeconds() > MAX_GRACE_SECONDS) {
            return Outcome.rejected(Outcome.INVALID, "graceSeconds must be between 0 and " + MAX_GRACE_SECONDS);
        }
        Optional<Change.KeyChanged> current = load(c.keyId(), true);
        if (current.isEmpty() || current.get().deleted()) {
            return Outcome.rejected(Outcome.NOT_FOUND, "no such key: " + c.keyId());
        }
        Long rotatedTo = jdbc.queryForObject("SELECT rotated_to FROM api_keys WHERE id = ?", Long.class, c.keyId());
        if (rotatedTo != null) {
            return Outcome.rejected(Outcome.CONFLICT, "key " + c.keyId() + " was already rotated to key " + rotatedTo);
        }
        if (!jdbc.queryForList("SELECT id FROM api_keys WHERE key_hash = ?", Long.class, c.keyHash()).isEmpty()) {
            return Outcome.rejected(Outcome.CONFLICT, "key already exists");
        }
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement("INSERT INTO api_keys (user_id, name, key_hash, prefix, "
                    + "group_name, quota_micros, used_micros, models, allowed_cidrs, expires_at, enabled, rpm_limit, "
                    + "tpm_limit, fallback_group, capture_bodies, rotated_from) SELECT user_id, name, ?, ?, group_name, "
                    + "quota_micros, used_micros, models, allowed_cidrs, expires_at, enabled, rpm_limit, tpm_limit, "
                    + "fallback_group, capture_bodies, id FROM api_keys WHERE id = ?", Statement.RETURN_GENERATED_KEYS);
            ps.setString(1, c.keyHash());
            ps.setString(2, c.prefix());
            ps.setLong(3, c.keyId());
            return ps;
        }, keys);
        long newId = keys.getKey().longValue();
        Instant graceEnd = clock.instant().plusSeconds(c.graceSeconds());
        Instant oldExpiry = current.get().expiresAt();
        Instant expiry = oldExpiry != null && oldExpiry.isBefore(graceEnd) ? oldExpiry : graceEnd;
        jdbc.update("UPDATE api_keys SET expires_at = ?, rotated_to = ?, version = version + 1, "
                + "updated_at = CURRENT_TIMESTAMP(3) WHERE id = ?", JsonColumns.utc(expiry), newId, c.keyId());
        Change.KeyChanged created = load(newId, false).orElseThrow();
        Change.KeyChanged old = load(c.keyId(), false).orElseThrow();
        return Outcome.applied("key", Long.toString(newId), created.version(), created, old);
    }

    private Optional<Change.KeyChanged> load(long id, boolean forUpdate) {
        return jdbc.query("SELECT " + COLUMNS + " FROM api_keys WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""),
                (rs, i) -> map(rs), id).stream().findFirst();
    }

    private static Change.KeyChanged map(ResultSet rs) throws SQLException {
        return new Change.KeyChanged(rs.getLong("id"), rs.getLong("user_id"), rs.getString("name"),
                rs.getString("key_hash"), rs.getString("prefix"), rs.getString("group_name"),
                JsonColumns.nullableLong(rs, "quota_micros"), rs.getLong("used_micros"),
                JsonColumns.strings(rs.getString("models")), JsonColumns.strings(rs.getString("allowed_cidrs")),
                JsonColumns.instant(rs, "expires_at"), rs.getBoolean("enabled"), rs.getBoolean("deleted"),
                rs.getLong("version"), JsonColumns.nullableInt(rs, "rpm_limit"),
                JsonColumns.nullableLong(rs, "tpm_limit"), rs.getString("fallback_group"),
                rs.getBoolean("capture_bodies"));
    }
}
