package dev.tollgate.ledger.commands;

import dev.tollgate.contracts.events.Change;
import dev.tollgate.contracts.events.Command;
import dev.tollgate.ledger.journal.Balance;
import dev.tollgate.ledger.journal.JournalKind;
import dev.tollgate.ledger.journal.JournalRepository;
import dev.tollgate.ledger.pricing.PriceRepository;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Component;

/** Users and their balances: CreateUser, UpdateUser, TopUp. */
@Component
class UserCommands {

    static final Set<String> ROLES = Set.of("admin", "customer");

    private final JdbcTemplate jdbc;
    private final PriceRepository groups;
    private final JournalRepository journal;
    private final SessionCommands sessions;

    UserCommands(JdbcTemplate jdbc, PriceRepository groups, JournalRepository journal, SessionCommands sessions) {
        this.jdbc = jdbc;
        this.groups = groups;
        this.journal = journal;
        this.sessions = sessions;
    }

    Outcome create(Command.CreateUser c) {
        String role = c.role() == null ? "customer" : c.role();
        String group = c.group() == null ? "default" : c.group();
        Optional<Outcome> invalid = Checks.required("username", c.username(), 128)
                .or(() -> Checks.required("passwordHash", c.passwordHash(), 255));
        if (invalid.isPresent()) {
            return invalid.get();
        }
        if (!ROLES.contains(role)) {
            return Outcome.rejected(Outcome.INVALID, "role must be admin or customer");
        }
        if (!groups.groupExists(group)) {
            return Outcome.rejected(Outcome.INVALID, "no such group: " + group);
        }
        if (!jdbc.queryForList("SELECT id FROM users WHERE username = ?", Long.class, c.username()).isEmpty()) {
            return Outcome.rejected(Outcome.CONFLICT, "username already taken");
        }
        boolean enabled = c.enabled() == null || c.enabled();
        KeyHolder keys = new GeneratedKeyHolder();
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement("INSERT INTO users "
                    + "(username, password_hash, role, group_name, enabled) VALUES (?, ?, ?, ?, ?)",
                    Statement.RETURN_GENERATED_KEYS);
            ps.setString(1, c.username());
            ps.setString(2, c.passwordHash());
            ps.setString(3, role);
            ps.setString(4, group);
            ps.setBoolean(5, enabled);
            return ps;
        }, keys);
        long id = keys.getKey().longValue();
        Change.UserChanged user = load(id).orElseThrow();
        return Outcome.applied("user", Long.toString(id), user.version(), user,
                new Change.BalanceChanged(id, 0, 0, Map.of(), Map.of()));
    }

    Outcome update(Command.UpdateUser c) {
        Optional<Change.UserChanged> current = lock(c.userId());
        if (current.isEmpty()) {
            return Outcome.rejected(Outcome.NOT_FOUND, "no such user: " + c.userId());
        }
        if (c.group() != null && !groups.groupExists(c.group())) {
            return Outcome.rejected(Outcome.INVALID, "no such group: " + c.group());
        }
        if (c.passwordHash() != null && (c.passwordHash().isBlank() || c.passwordHash().length() > 255)) {
            return Outcome.rejected(Outcome.INVALID, "passwordHash must be 1 to 255 characters");
        }
        Optional<Outcome> invalid = Checks.rateLimit("rpmLimit", c.rpmLimit())
                .or(() -> Checks.rateLimit("tpmLimit", c.tpmLimit()))
                .or(() -> sessions.checkValidAfter(c.sessionsValidAfter(), false));
        if (invalid.isPresent()) {
            return invalid.get();
        }
        Change.UserChanged before = current.get();
        Integer rpm = Boolean.TRUE.equals(c.clearRpmLimit()) ? null
                : c.rpmLimit() != null ? c.rpmLimit() : before.rpmLimit();
        Long tpm = Boolean.TRUE.equals(c.clearTpmLimit()) ? null
                : c.tpmLimit() != null ? c.tpmLimit() : before.tpmLimit();
        jdbc.update("UPDATE users SET group_name = ?, enabled = ?, password_hash = COALESCE(?, password_hash), "
                        + "rpm_limit = ?, tpm_limit = ?, version = version + 1, updated_at = CURRENT_TIMESTAMP(3) "
                        + "WHERE id = ?",
                c.group() != null ? c.group() : before.group(),
                c.enabled() != null ? c.enabled() : before.enabled(),
                c.passwordHash(), rpm, tpm, c.userId());
        Change.UserChanged after = load(c.userId()).orElseThrow();
        if (c.sessionsValidAfter() != null) {
            return Outcome.applied("user", Long.toString(after.id()), after.version(), after,
                    sessions.endSessionsBefore(c.userId(), c.sessionsValidAfter()));
        }
        return Outcome.applied("user", Long.toString(after.id()), after.version(), after);
    }

    /**
     * A user's sign-in TOTP, set whole. Nothing the relays hold changes (they never see it), so no user change is
     * announced and the user's version stays; with {@code sessionsValidAfter} the user's earlier sessions end
     * (announced to the admin instances). A new secret forgets the last TOTP step used, which was the old secret's.
     */
    Outcome setTotp(Command.SetTotp c) {
        Optional<Change.UserChanged> current = lock(c.userId());
        if (current.isEmpty()) {
            return Outcome.rejected(Outcome.NOT_FOUND, "no such user: " + c.userId());
        }
        if (c.enabled() && (c.secretCiphertext() == null || c.secretCiphertext().isBlank())) {
            return Outcome.rejected(Outcome.INVALID, "TOTP cannot be enabled without a secret");
        }
        Optional<Outcome> invalid = Checks.maxLength("secretCiphertext", c.secretCiphertext(), 1024)
                .or(() -> sessions.checkValidAfter(c.sessionsValidAfter(), false));
        if (invalid.isPresent()) {
            return invalid.get();
        }
        jdbc.update("UPDATE users SET totp_last_step = CASE WHEN ? IS NOT NULL "
                        + "AND NOT (totp_secret_enc <=> ?) THEN NULL ELSE totp_last_step END, "
                        + "totp_secret_enc = ?, totp_enabled = ?, updated_at = CURRENT_TIMESTAMP(3) WHERE id = ?",
                c.secretCiphertext(), c.secretCiphertext(), c.secretCiphertext(), c.enabled(), c.userId());
        if (c.sessionsValidAfter() != null) {
            return Outcome.applied("user", Long.toString(c.userId()), current.get().version(),
                    sessions.endSessionsBefore(c.userId(), c.sessionsValidAfter()));
        }
        return Outcome.applied("user", Long.toString(c.userId()), current.get().version());
    }

    /**
     * A credit (topup) or correction (adjustment): one journal entry, ref = the whole command id (the
     * column holds every id the ledger accepts; before V5 it kept only the first 64 characters).
     */
    Outcome topUp(String commandId, Command.TopUp c) {
        if (c.amountMicros() == 0) {
            return Outcome.rejected(Outcome.INVALID, "amountMicros must not be 0");
        }
        if (lock(c.userId()).isEmpty()) {
            return Outcome.rejected(Outcome.NOT_FOUND, "no such user: " + c.userId());
        }
        Balance balance = journal.move(c.userId(), c.amountMicros()).orElseThrow();
        JournalKind kind = c.amountMicros() > 0 ? JournalKind.TOPUP : JournalKind.ADJUSTMENT;
        long entryId = journal.append(c.userId(), kind, c.amountMicros(), balance.balanceMicros(),
                commandId, Checks.truncate(c.note(), 512), 0);
        Map<String, Long> relaySeqs = journal.relaySeqs(List.of(c.userId())).getOrDefault(c.userId(), Map.of());
        return Outcome.applied("journal", Long.toString(entryId), balance.version(),
                new Change.BalanceChanged(c.userId(), balance.balanceMicros(), balance.version(), relaySeqs, Map.of()));
    }

    private static final String USER_COLUMNS = "SELECT id, username, role, group_name, enabled, version, rpm_limit, "
            + "tpm_limit FROM users WHERE id = ?";

    private Optional<Change.UserChanged> lock(long id) {
        return query(USER_COLUMNS + " FOR UPDATE", id);
    }

    private Optional<Change.UserChanged> load(long id) {
        return query(USER_COLUMNS, id);
    }

    private Optional<Change.UserChanged> query(String sql, long id) {
        return jdbc.query(sql, (rs, i) -> new Change.UserChanged(rs.getLong(1), rs.getString(2), rs.getString(3),
                rs.getString(4), rs.getBoolean(5), rs.getLong(6), JsonColumns.nullableInt(rs, "rpm_limit"),
                JsonColumns.nullableLong(rs, "tpm_limit")), id).stream().findFirst();
    }
}
