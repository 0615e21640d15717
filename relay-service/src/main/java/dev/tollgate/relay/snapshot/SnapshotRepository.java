package dev.tollgate.relay.snapshot;

import dev.tollgate.contracts.json.Json;
import dev.tollgate.contracts.money.Price;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;

/** Read-only SQL against the ledger's schema (V1__schema.sql). The relay never writes MySQL. */
public class SnapshotRepository {

    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() { };
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() { };
    private static final TypeReference<Map<String, Object>> OBJECT_MAP = new TypeReference<>() { };

    private final DatabaseClient db;

    public SnapshotRepository(DatabaseClient db) {
        this.db = db;
    }

    /** Channel rows as found, key still encrypted. */
    public Flux<ChannelRow> loadChannels() {
        return db.sql("SELECT id, name, provider, base_url, api_key_enc, config, models, model_mapping, groups_json, priority,"
                        + " weight, enabled, deleted, version FROM channels WHERE deleted = FALSE")
                .map(SnapshotRepository::channelRow)
                .all();
    }

    /** The newest price version of every model. */
    public Flux<PriceEntry> loadPrices() {
        return db.sql("SELECT p.model, p.version, p.input_micros_per_mtok, p.output_micros_per_mtok,"
                        + " p.cached_input_micros_per_mtok, p.cache_write_micros_per_mtok, p.per_request_micros,"
                        + " p.per_image_micros, p.per_audio_second_micros, p.reasoning_micros_per_mtok,"
                        + " p.output_reserve_tokens"
                        + " FROM prices p JOIN (SELECT model, MAX(version) AS v FROM prices GROUP BY model) m"
                        + " ON p.model = m.model AND p.version = m.v")
                .map(SnapshotRepository::priceEntry)
                .all();
    }

    public Flux<GroupEntry> loadGroups() {
        return db.sql("SELECT name, multiplier_bp, version, rpm_limit, tpm_limit FROM user_groups")
                .map(row -> new GroupEntry(row.get("name", String.class), longOf(row, "multiplier_bp"),
                        longOf(row, "version"), intOrNull(row, "rpm_limit"), row.get("tpm_limit", Long.class)))
                .all();
    }

    public Mono<KeyState> findKey(String keyHash) {
        return db.sql("SELECT id, user_id, key_hash, group_name, quota_micros, used_micros, models, allowed_cidrs,"
                        + " expires_at, enabled, deleted, version, rpm_limit, tpm_limit, fallback_group, capture_bodies"
                        + " FROM api_keys WHERE key_hash = :hash")
                .bind("hash", keyHash)
                .map(SnapshotRepository::keyState)
                .one();
    }

    /** The user with this relay's applied sequence number (0 when the ledger has applied none yet). */
    public Mono<LoadedUser> findUser(long userId, String relayId) {
        return db.sql("SELECT u.id, u.group_name, u.enabled, u.version, u.balance_micros, u.balance_version,"
                        + " u.rpm_limit, u.tpm_limit, u.role, r.seq"
                        + " FROM users u LEFT JOIN relay_seqs r ON r.user_id = u.id AND r.relay_id = :relay"
                        + " WHERE u.id = :id")
                .bind("relay", relayId)
                .bind("id", userId)
                .map(SnapshotRepository::loadedUser)
                .one();
    }

    /** A user read from MySQL and the highest of this relay's events its balance includes. */
    public record LoadedUser(UserState state, long appliedSeq) {
    }

    /** A channel row before decryption. */
    public record ChannelRow(long id, String name, String provider, String baseUrl, String apiKeyCiphertext,
            Map<String, Object> config, List<String> models, Map<String, String> modelMapping, List<String> groups, int priority, int weight,
            boolean enabled, boolean deleted, long version) {

        @Override
        public String toString() {
            return "ChannelRow[id=" + id + ", name=" + name + "]";
        }
    }

    private static ChannelRow channelRow(Readable row) {
        return new ChannelRow(longOf(row, "id"), row.get("name", String.class), row.get("provider", String.class),
                row.get("base_url", String.class), row.get("api_key_enc", String.class),
                objectMap(row.get("config", String.class)), stringList(row.get("models", String.class)), stringMap(row.get("model_mapping", String.class)),
                stringList(row.get("groups_json", String.class)), (int) longOf(row, "priority"),
                (int) longOf(row, "weight"), bool(row, "enabled"), bool(row, "deleted"), longOf(row, "version"));
    }

    private static PriceEntry priceEntry(Readable row) {
        Price price = new Price(longOf(row, "input_micros_per_mtok"), longOf(row, "output_micros_per_mtok"),
                longOf(row, "cached_input_micros_per_mtok"), longOf(row, "cache_write_micros_per_mtok"),
                longOf(row, "per_request_micros"), longOf(row, "per_image_micros"),
                longOf(row, "per_audio_second_micros"), longOf(row, "reasoning_micros_per_mtok"));
        Number reserve = row.get("output_reserve_tokens", Long.class);
        return new PriceEntry(row.get("model", String.class), longOf(row, "version"), price,
                reserve == null ? null : reserve.longValue());
    }

    private static KeyState keyState(Readable row) {
        Long quota = row.get("quota_micros", Long.class);
        LocalDateTime expires = row.get("expires_at", LocalDateTime.class);
        return new KeyState(longOf(row, "id"), longOf(row, "user_id"), row.get("key_hash", String.class),
                row.get("group_name", String.class), quota, longOf(row, "used_micros"),
                java.util.Set.copyOf(stringList(row.get("models", String.class))),
                stringList(row.get("allowed_cidrs", String.class)), utc(expires), bool(row, "enabled"),
                bool(row, "deleted"), longOf(row, "version"), intOrNull(row, "rpm_limit"),
                row.get("tpm_limit", Long.class), row.get("fallback_group", String.class),
                bool(row, "capture_bodies"));
    }

    private static LoadedUser loadedUser(Readable row) {
        UserState profile = UserState.profile(longOf(row, "id"), row.get("group_name", String.class),
                bool(row, "enabled"), longOf(row, "version"), intOrNull(row, "rpm_limit"),
                row.get("tpm_limit", Long.class), row.get("role", String.class));
        UserState balance = UserState.balance(profile.id(), longOf(row, "balance_micros"),
                longOf(row, "balance_version"));
        Long seq = row.get("seq", Long.class);
        return new LoadedUser(profile.merge(balance), seq == null ? 0 : seq);
    }

    private static Instant utc(LocalDateTime time) {
        // The connection's zone is UTC (connectionTimeZone=UTC), so the wall time is a UTC instant.
        return time == null ? null : time.toInstant(ZoneOffset.UTC);
    }

    private static long longOf(Readable row, String column) {
        Long value = row.get(column, Long.class);
        return value == null ? 0 : value;
    }

    private static Integer intOrNull(Readable row, String column) {
        Number value = row.get(column, Number.class);
        return value == null ? null : value.intValue();
    }

    /** BOOLEAN is TINYINT(1): the driver may hand back a Boolean or a number. */
    private static boolean bool(Readable row, String column) {
        Object value = row.get(column);
        if (value instanceof Boolean b) {
            return b;
        }
        return value instanceof Number n && n.longValue() != 0;
    }

    static List<String> stringList(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            List<String> list = Json.mapper().readValue(json, STRING_LIST);
            return list == null ? List.of() : list.stream().filter(s -> s != null).toList();
        } catch (JacksonException e) {
            return List.of();
        }
    }

    /** A channel's provider-specific config (JSON object); empty when absent or unreadable. */
    static Map<String, Object> objectMap(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, Object> map = Json.mapper().readValue(json, OBJECT_MAP);
            return map == null ? Map.of() : map;
        } catch (JacksonException e) {
            return Map.of();
        }
    }

    static Map<String, String> stringMap(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            Map<String, String> map = Json.mapper().readValue(json, STRING_MAP);
            Map<String, String> clean = new LinkedHashMap<>();
            if (map != null) {
                map.forEach((k, v) -> {
                    if (k != null && v != null) {
                        clean.put(k, v);
                    }
                });
            }
            return clean;
        } catch (JacksonException e) {
            return Map.of();
        }
    }
}
