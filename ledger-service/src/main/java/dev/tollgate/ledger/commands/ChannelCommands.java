package dev.tollgate.ledger.commands;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.contracts.secrets.SecretBox;
import dev.tollgate.ledger.channels.MasterKeys;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Component;

/**
 * Upstream channels: CreateChannel, UpdateChannel, AutoDisableChannel. The upstream key arrives and stays
 * encrypted. An admin's {@code enabled} (either way) ends an auto-disable: the channel is then in the admin's
 * hands and is never probed.
 */
@Component
public class ChannelCommands {

    private static final List<String> DEFAULT_GROUPS = List.of("default");
    private static final String COLUMNS = "id, name, provider, base_url, api_key_enc, config, models, model_mapping, "
            + "groups_json, priority, weight, enabled, deleted, version, auto_disabled, disabled_reason, tags";
    static final int MAX_REASON = 255;

    private final JdbcTemplate jdbc;
    private final MasterKeys masterKeys;

    ChannelCommands(JdbcTemplate jdbc, MasterKeys masterKeys) {
        this.jdbc = jdbc;
        this.masterKeys = masterKeys;
    }

    /**
     * Every channel key and TOTP secret not yet under the current master key id, re-encrypted under it, in one
     * transaction: all or nothing, so a secret that does not decrypt here (its master key not in
     * TOLLGATE_MASTER_KEYS_OLD) refuses the whole command and changes nothing. The entity id answered is the number of
     * secrets re-encrypted.
     */
    Outcome reencrypt(Command.ReencryptSecrets c) {
        if (masterKeys.box() == null) {
            return Outcome.rejected(Outcome.INVALID, "TOLLGATE_MASTER_KEY is not set on the ledger");
        }
        SecretBox box = masterKeys.box();
        if (c.keyId() != null && !c.keyId().equals(box.currentKeyId())) {
            return Outcome.rejected(Outcome.CONFLICT, "the ledger's TOLLGATE_MASTER_KEY_ID is " + box.currentKeyId()
                    + ", the sender's " + c.keyId() + ": give every service the same master key settings first");
        }
        List<Long> ids = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        jdbc.query("SELECT id, api_key_enc FROM channels WHERE api_key_enc IS NOT NULL AND api_key_enc <> '' "
                + "ORDER BY id FOR UPDATE", rs -> {
                    if (box.needsReencryption(rs.getString(2))) {
                        ids.add(rs.getLong(1));
                        texts.add(rs.getString(2));
                    }
                });
        List<Long> unreadable = new ArrayList<>();
        List<String> renewed = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            try {
                renewed.add(box.reencrypt(texts.get(i)));
            } catch (IllegalArgumentException e) {
                unreadable.add(ids.get(i));
            }
        }
        List<Long> users = new ArrayList<>();
        List<String> totp = new ArrayList<>();
        List<Long> unreadableTotp = new ArrayList<>();
        jdbc.query("SELECT id, totp_secret_enc FROM users WHERE totp_secret_enc IS NOT NULL ORDER BY id FOR UPDATE",
                rs -> {
                    if (box.needsReencryption(rs.getString(2))) {
                        try {
                            totp.add(box.reencrypt(rs.getString(2)));
                            users.add(rs.getLong(1));
                        } catch (IllegalArgumentException e) {
                            unreadableTotp.add(rs.getLong(1));
                        }
                    }
                });
        if (!unreadable.isEmpty() || !unreadableTotp.isEmpty()) {
            return Outcome.rejected(Outcome.CONFLICT, "channel keys " + unreadable + " and TOTP secrets of users "
                    + unreadableTotp + " do not decrypt under any configured master key (add their old key to "
                    + "TOLLGATE_MASTER_KEYS_OLD); nothing was changed");
        }
        for (int i = 0; i < users.size(); i++) {
            jdbc.update("UPDATE users SET totp_secret_enc = ? WHERE id = ?", totp.get(i), users.get(i));
        }
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            long id = ids.get(i);
            jdbc.update("UPDATE channels SET api_key_enc = ?, version = version + 1, "
                    + "updated_at = CURRENT_TIMESTAMP(3) WHERE id = ?", renewed.get(i), id);
            changes.add(load(id, false).orElseThrow());
        }
        return new Outcome(true, "secrets", Integer.toString(ids.size() + users.size()), 0, null, null, changes);
    }

    Outcome create(Command.CreateChannel c) {
        Optional<Outcome> invalid = Checks.required("name", c.name(), 128)
                .or(() -> Checks.required("provider", c.provider(), 32))
                .or(() -> Checks.maxLength("baseUrl", c.baseUrl(), 512));
        if (invalid.isPresent()) {
            return invalid.get();
        }
        if (c.models() == null || c.models().isEmpty()) {
            return Outcome.rejected(Outcome.INVALID, "models must not be empty");
        }
        if (nameTaken(c.name(), -1)) {
            return Outcome.rejected(Outcome.CONFLICT, "channel name already taken");
        }
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement("INSERT INTO channels (name, provider, base_url, api_key_enc, "
                    + "config, models, model_mapping, groups_json, priority, weight, enabled, tags) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS);
            ps.setString(1, c.name());
            ps.setString(2, c.provider());
            ps.setString(3, c.baseUrl() == null ? "" : c.baseUrl());
            ps.setString(4, c.apiKeyCiphertext());
            ps.setString(5, JsonColumns.write(c.config()));
            ps.setString(6, JsonColumns.write(c.models()));
            ps.setString(7, JsonColumns.write(c.modelMapping()));
            ps.setString(8, JsonColumns.write(groupsOrDefault(c.groups())));
            ps.setInt(9, c.priority() == null ? 0 : c.priority());
            ps.setInt(10, c.weight() == null ? 1 : c.weight());
            ps.setBoolean(11, c.enabled() == null || c.enabled());
            ps.setString(12, JsonColumns.write(c.tags() == null ? List.of() : c.tags()));
            return ps;
        }, keys);
        Change.ChannelChanged channel = load(keys.getKey().longValue(), false).orElseThrow();
        return Outcome.applied("channel", Long.toString(channel.id()), channel.version(), channel);
    }

    Outcome update(Command.UpdateChannel c) {
        Optional<Change.ChannelChanged> current = load(c.channelId(), true);
        if (current.isEmpty()) {
            return Outcome.rejected(Outcome.NOT_FOUND, "no such channel: " + c.channelId());
        }
        Optional<Outcome> invalid = (c.name() == null ? Optional.<Outcome>empty() : Checks.required("name", c.name(), 128))
                .or(() -> c.provider() == null ? Optional.empty() : Checks.required("provider", c.provider(), 32))
                .or(() -> Checks.maxLength("baseUrl", c.baseUrl(), 512));
        if (invalid.isPresent()) {
            return invalid.get();
        }
        if (c.models() != null && c.models().isEmpty()) {
            return Outcome.rejected(Outcome.INVALID, "models must not be empty");
        }
        if (c.name() != null && nameTaken(c.name(), c.channelId())) {
            return Outcome.rejected(Outcome.CONFLICT, "channel name already taken");
        }
        Change.ChannelChanged ch = current.get();
        jdbc.update("UPDATE channels SET name = ?, provider = ?, base_url = ?, api_key_enc = ?, config = ?, models = ?, "
                        + "model_mapping = ?, groups_json = ?, priority = ?, weight = ?, enabled = ?, deleted = ?, "
                        + "auto_disabled = ?, disabled_reason = ?, tags = ?, "
                        + "disabled_at = CASE ? WHEN 'keep' THEN disabled_at WHEN 'clear' THEN NULL "
                        + "ELSE CURRENT_TIMESTAMP(3) END, "
                        + "version = version + 1, updated_at = CURRENT_TIMESTAMP(3) WHERE id = ?",
                c.name() != null ? c.name() : ch.name(),
                c.provider() != null ? c.provider() : ch.provider(),
                c.baseUrl() != null ? c.baseUrl() : ch.baseUrl(),
                c.apiKeyCiphertext() != null ? c.apiKeyCiphertext() : ch.apiKeyCiphertext(),
                JsonColumns.write(c.config() != null ? c.config() : ch.config()),
                JsonColumns.write(c.models() != null ? c.models() : ch.models()),
                JsonColumns.write(c.modelMapping() != null ? c.modelMapping() : ch.modelMapping()),
                JsonColumns.write(c.groups() != null ? groupsOrDefault(c.groups()) : ch.groups()),
                c.priority() != null ? c.priority() : ch.priority(),
                c.weight() != null ? c.weight() : ch.weight(),
                c.enabled() != null ? c.enabled() : ch.enabled(),
                c.deleted() != null ? c.deleted() : ch.deleted(),
                c.enabled() != null ? Boolean.FALSE : ch.autoDisabled(),
                c.enabled() != null ? null : ch.disabledReason(),
                JsonColumns.write(c.tags() != null ? c.tags() : ch.tags()),
                disabledAtChange(c, ch),
                c.channelId());
        Change.ChannelChanged after = load(c.channelId(), false).orElseThrow();
        return Outcome.applied("channel", Long.toString(after.id()), after.version(), after);
    }

    /**
     * A relay's report that the upstream refused the channel's credentials or account: switches an enabled
     * channel off whatever version the relay saw, marked auto-disabled for the probe job. A channel already off
     * (by an admin, or by an earlier report) is left as it is: the report is answered ok without a change.
     */
    Outcome autoDisable(Command.AutoDisableChannel c) {
        Optional<Change.ChannelChanged> current = load(c.channelId(), true);
        if (current.isEmpty()) {
            return Outcome.rejected(Outcome.NOT_FOUND, "no such channel: " + c.channelId());
        }
        Change.ChannelChanged ch = current.get();
        if (!ch.enabled() || ch.deleted()) {
            return Outcome.applied("channel", Long.toString(ch.id()), ch.version());
        }
        String reason = Checks.truncate(c.reason() == null || c.reason().isBlank() ? "upstream refused" : c.reason(),
                MAX_REASON);
        jdbc.update("UPDATE channels SET enabled = FALSE, auto_disabled = TRUE, disabled_reason = ?, "
                + "disabled_at = CURRENT_TIMESTAMP(3), version = version + 1, updated_at = CURRENT_TIMESTAMP(3) "
                + "WHERE id = ?", reason, c.channelId());
        Change.ChannelChanged after = load(c.channelId(), false).orElseThrow();
        return Outcome.applied("channel", Long.toString(after.id()), after.version(), after);
    }

    /**
     * The probe job's re-enable: only a channel still auto-disabled, not deleted, at the version the probe
     * read (an admin's change in between wins). Runs in the caller's transaction; empty when nothing changed.
     */
    public Optional<Change.ChannelChanged> reenable(long channelId, long seenVersion) {
        int n = jdbc.update("UPDATE channels SET enabled = TRUE, auto_disabled = FALSE, disabled_reason = NULL, "
                + "disabled_at = NULL, version = version + 1, updated_at = CURRENT_TIMESTAMP(3) "
                + "WHERE id = ? AND version = ? AND auto_disabled = TRUE AND enabled = FALSE AND deleted = FALSE",
                channelId, seenVersion);
        return n == 0 ? Optional.empty() : load(channelId, false);
    }

    /** Channels the probe job may switch back on: auto-disabled, still off, not deleted. */
    public List<Change.ChannelChanged> autoDisabled() {
        return jdbc.query("SELECT " + COLUMNS + " FROM channels WHERE auto_disabled = TRUE AND enabled = FALSE "
                + "AND deleted = FALSE ORDER BY id", (rs, i) -> map(rs));
    }

    /** What happens to disabled_at: kept, cleared by an enable, set by a disable of an enabled channel. */
    private static String disabledAtChange(Command.UpdateChannel c, Change.ChannelChanged ch) {
        if (c.enabled() == null) {
            return "keep";
        }
        if (c.enabled()) {
            return "clear";
        }
        return ch.enabled() ? "now" : "keep";
    }

    private static List<String> groupsOrDefault(List<String> groups) {
        return groups == null || groups.isEmpty() ? DEFAULT_GROUPS : groups;
    }

    private boolean nameTaken(String name, long exceptId) {
        return !jdbc.queryForList("SELECT id FROM channels WHERE name = ? AND id <> ?", Long.class, name, exceptId)
                .isEmpty();
    }

    private Optional<Change.ChannelChanged> load(long id, boolean forUpdate) {
        return jdbc.query("SELECT " + COLUMNS + " FROM channels WHERE id = ?" + (forUpdate ? " FOR UPDATE" : ""),
                (rs, i) -> map(rs), id).stream().findFirst();
    }

    private static Change.ChannelChanged map(ResultSet rs) throws SQLException {
        return new Change.ChannelChanged(rs.getLong("id"), rs.getString("name"), rs.getString("provider"),
                rs.getString("base_url"), rs.getString("api_key_enc"), JsonColumns.object(rs.getString("config")),
                JsonColumns.strings(rs.getString("models")), JsonColumns.stringMap(rs.getString("model_mapping")),
                JsonColumns.strings(rs.getString("groups_json")), rs.getInt("priority"), rs.getInt("weight"),
                rs.getBoolean("enabled"), rs.getBoolean("deleted"), rs.getLong("version"),
                rs.getBoolean("auto_disabled"), rs.getString("disabled_reason"),
                JsonColumns.strings(rs.getString("tags")));
    }
}
