package dev.tollgate.ledger.commands;

import dev.tollgate.contracts.events.Command;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** SetSettings: upserts each named setting; its version is the highest of the rows it touched. */
@Component
class SettingsCommands {

    static final int MAX_VALUE = 2048;
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");

    private final JdbcTemplate jdbc;

    SettingsCommands(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Outcome set(Command.SetSettings c) {
        if (c.values() == null || c.values().isEmpty()) {
            return Outcome.rejected(Outcome.INVALID, "name at least one setting");
        }
        Optional<Outcome> invalid = c.values().entrySet().stream()
                .map(SettingsCommands::check)
                .flatMap(Optional::stream)
                .findFirst();
        if (invalid.isPresent()) {
            return invalid.get();
        }
        long version = 0;
        // A fixed order, so two concurrent sets never lock the rows in opposite orders.
        for (Map.Entry<String, String> e : new TreeMap<>(c.values()).entrySet()) {
            jdbc.update("INSERT INTO settings (name, value, version) VALUES (?, ?, 1) "
                    + "ON DUPLICATE KEY UPDATE value = VALUES(value), version = version + 1, "
                    + "updated_at = CURRENT_TIMESTAMP(3)", e.getKey(), e.getValue());
            Long v = jdbc.queryForObject("SELECT version FROM settings WHERE name = ?", Long.class, e.getKey());
            version = Math.max(version, v == null ? 1 : v);
        }
        return Outcome.applied("settings", "settings", version);
    }

    private static Optional<Outcome> check(Map.Entry<String, String> e) {
        if (e.getKey() == null || !NAME.matcher(e.getKey()).matches()) {
            return Optional.of(Outcome.rejected(Outcome.INVALID, "setting names are 1 to 64 letters, digits or _.-"));
        }
        if (e.getValue() == null) {
            return Optional.of(Outcome.rejected(Outcome.INVALID, e.getKey() + " needs a value"));
        }
        return Checks.maxLength(e.getKey(), e.getValue(), MAX_VALUE);
    }
}
