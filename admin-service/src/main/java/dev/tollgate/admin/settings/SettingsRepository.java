package dev.tollgate.admin.settings;

import dev.tollgate.admin.db.Rows;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Reads the settings table: stored values over the configured defaults. */
@Repository
public class SettingsRepository {

    static final String REGISTRATION_ENABLED = "registrationEnabled";
    static final String REGISTRATION_GROUP = "registrationGroup";
    static final String RELAY_URL = "relayUrl";

    private final DatabaseClient db;
    private final UiProperties defaults;

    public SettingsRepository(DatabaseClient db, UiProperties defaults) {
        this.db = db;
        this.defaults = defaults;
    }

    public Mono<SettingsView> current() {
        return db.sql("SELECT name, value, version, updated_at FROM settings")
                .map((row, meta) -> new Stored(row.get("name", String.class), row.get("value", String.class),
                        Rows.longValue(row, "version"), Rows.instant(row, "updated_at")))
                .all()
                .collectList()
                .map(rows -> {
                    Map<String, String> values = new HashMap<>();
                    long version = 0;
                    Instant updated = null;
                    for (Stored s : rows) {
                        values.put(s.name(), s.value());
                        version = Math.max(version, s.version());
                        updated = updated == null || (s.updatedAt() != null && s.updatedAt().isAfter(updated))
                                ? s.updatedAt() : updated;
                    }
                    return view(values, version, updated);
                });
    }

    SettingsView view(Map<String, String> values, long version, Instant updatedAt) {
        String relay = values.get(RELAY_URL);
        return new SettingsView(Boolean.parseBoolean(values.getOrDefault(REGISTRATION_ENABLED, "false")),
                values.getOrDefault(REGISTRATION_GROUP, "default"),
                relay == null || relay.isBlank() ? defaults.relayUrl() : relay, version, updatedAt);
    }

    private record Stored(String name, String value, long version, Instant updatedAt) {
    }
}
